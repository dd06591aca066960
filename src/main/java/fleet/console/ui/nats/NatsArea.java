package fleet.console.ui.nats;

import fleet.console.audit.AuditJournal;
import fleet.console.cluster.ClusterSession;
import fleet.console.messaging.NatsContexts;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.ProfileException;
import fleet.console.profile.ProfileLocator;
import fleet.console.ui.events.ObjectNavigator;
import javafx.beans.value.ObservableValue;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/** The NATS area put together: its FXML view on a view-model, for the console's window and for tests. */
public final class NatsArea {

    public static final String FXML = "/fxml/nats/nats.fxml";

    private NatsArea() {
    }

    /** The view of a view-model. Call on the FX thread. */
    public static Parent view(NatsViewModel model) {
        URL url = Objects.requireNonNull(NatsArea.class.getResource(FXML), FXML + " is not on the class path");
        FXMLLoader loader = new FXMLLoader(url);
        loader.setControllerFactory(type -> {
            if (type == NatsView.class) {
                return new NatsView(model);
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
     * The area inside the console's window: it follows the window's session (its NATS by port-forward)
     * and reads only while {@code shown}. The shell hands its areas no profile yet, so the one the
     * console uses by default is read (on the background, at the first read).
     *
     * @param navigator where "go to pod" leads (the shell's Pods area)
     * @param onDispose where the area registers what closes it with the window
     */
    public static Parent inShell(ObservableValue<ClusterSession> session, ObservableValue<Boolean> shown,
                                 ScheduledExecutorService background, Executor ui, Clock clock, Path auditFile,
                                 ObjectNavigator navigator, Consumer<Runnable> onDispose) {
        AuditJournal journal = new AuditJournal(auditFile);
        Path home = Path.of(System.getProperty("user.home"));
        NatsViewModel model = new NatsViewModel(NatsArea::defaultProfile, journal::append, NatsContexts.forUser(System.getenv(), home),
                background, ui, clock, NatsViewModel.DEFAULT_PERIOD);
        model.setNavigator(navigator);
        model.setActive(Boolean.TRUE.equals(shown.getValue()));
        shown.addListener((o, old, now) -> model.setActive(Boolean.TRUE.equals(now)));
        session.addListener((o, old, now) -> model.show(now));
        model.show(session.getValue());
        model.loadSources();
        onDispose.accept(model::dispose);
        Parent view = view(model);
        // A binding handed in is observed only weakly by what it derives from: the view keeps it alive.
        view.getProperties().put(NatsArea.class.getName() + ".shown", shown);
        return view;
    }

    private static FleetProfile defaultProfile() {
        try {
            return ProfileLocator.forCurrentUser().choose(Optional.empty()).load();
        } catch (ProfileException e) {
            throw new IllegalStateException("the fleet profile is not valid: " + e.getMessage(), e);
        }
    }
}
