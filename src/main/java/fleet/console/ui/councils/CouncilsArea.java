package fleet.console.ui.councils;

import fleet.console.audit.AuditJournal;
import fleet.console.cluster.ClusterSession;
import fleet.console.councils.OrchestratorCouncils;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.ProfileException;
import fleet.console.profile.ProfileLocator;
import fleet.console.ui.common.FxBatcher;
import javafx.beans.value.ObservableValue;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The Councils area put together: its FXML view on a view-model, for the console's window and for tests. */
public final class CouncilsArea {

    public static final String FXML = "/fxml/councils/councils.fxml";
    private static final Duration QUIET = Duration.ofMillis(300);

    private CouncilsArea() {
    }

    /** The view of a view-model. Call on the FX thread. */
    public static Parent view(CouncilsViewModel model) {
        URL url = Objects.requireNonNull(CouncilsArea.class.getResource(FXML), FXML + " is not on the class path");
        FXMLLoader loader = new FXMLLoader(url);
        loader.setControllerFactory(type -> {
            if (type == CouncilsView.class) {
                return new CouncilsView(model);
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
     * The area inside the console's window, following the window's connection. The shell hands its areas no
     * profile, journal or executor yet, so this one finds them as the console does by default: the profile the
     * ProfileLocator chooses (read on the background, at the first use), the default audit journal, and a small
     * executor of its own whose idle threads end by themselves.
     */
    public static Parent inShell(ObservableValue<ClusterSession> session) {
        ScheduledThreadPoolExecutor background = new ScheduledThreadPoolExecutor(2, daemonThreads());
        background.setKeepAliveTime(30, TimeUnit.SECONDS);
        background.allowCoreThreadTimeOut(true);
        Path home = Path.of(System.getProperty("user.home"));
        AuditJournal journal = new AuditJournal(AuditJournal.defaultFile(System.getenv(), home));
        FleetProfile[] profile = new FleetProfile[1];
        CouncilsViewModel model = new CouncilsViewModel(s -> {
            synchronized (profile) {
                if (profile[0] == null) {
                    profile[0] = profile();
                }
            }
            return new OrchestratorCouncils(s.client(), s.contextName(), s.namespace(), profile[0], journal::append);
        }, background, new FxBatcher(), QUIET);
        session.addListener((o, old, now) -> model.show(now));
        model.show(session.getValue());
        return view(model);
    }

    private static FleetProfile profile() {
        try {
            return ProfileLocator.forCurrentUser().choose(Optional.empty()).load();
        } catch (ProfileException e) {
            throw new IllegalStateException("the fleet profile is not valid: " + e.getMessage(), e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "councils-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
