package fleet.console.ui.rollouts;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.rollouts.RolloutActions;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.ProfileException;
import fleet.console.profile.ProfileLocator;
import javafx.beans.value.ObservableValue;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The Rollouts area put together: its FXML view on a view-model that follows the window's connection. */
public final class RolloutsArea {

    public static final String FXML = "/fxml/rollouts/rollouts.fxml";
    private static final Duration QUIET = Duration.ofMillis(200);

    private RolloutsArea() {
    }

    /** The view of a view-model. Call on the FX thread. */
    public static Parent view(RolloutsViewModel model) {
        URL url = Objects.requireNonNull(RolloutsArea.class.getResource(FXML), FXML + " is not on the class path");
        FXMLLoader loader = new FXMLLoader(url);
        loader.setControllerFactory(type -> {
            if (type == RolloutsView.class) {
                return new RolloutsView(model);
            }
            throw new IllegalArgumentException(FXML + " names an unexpected controller " + type);
        });
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load " + FXML + ": " + e.getMessage(), e);
        }
    }

    /**
     * The area inside the console's window: a view-model that shows the window's session from now on
     * (its informers start here, the first time the area is shown) and the view on it.
     */
    public static Parent inShell(ObservableValue<ClusterSession> session, ScheduledExecutorService background, Executor ui,
                                 Supplier<FleetProfile> profile, Consumer<AuditEntry> journal, Clock clock) {
        RolloutsViewModel model = new RolloutsViewModel(background, ui, profile, journal, clock, QUIET, RolloutActions.READY_TIMEOUT);
        session.addListener((o, old, now) -> model.show(now));
        model.show(session.getValue());
        Parent view = view(model);
        view.getProperties().put(RolloutsViewModel.class, model);
        // Watches end with the window: MainViewModel.dispose closes the session, which ends the informers' client.
        return view;
    }

    /** The view-model behind a view made by {@link #inShell}, for tests. */
    public static RolloutsViewModel modelOf(Parent view) {
        return (RolloutsViewModel) view.getProperties().get(RolloutsViewModel.class);
    }

    /**
     * The fleet profile as the console finds it by default (the user's file, else the built-in one); a
     * broken file falls back to the built-in profile, as the console's start does. Reads a file: call
     * it off the FX thread (the view-model does, once per session).
     */
    public static FleetProfile userProfile() {
        try {
            return ProfileLocator.forCurrentUser().choose(Optional.empty()).load();
        } catch (ProfileException e) {
            return FleetProfile.defaults();
        }
    }
}
