package fleet.console.ui.common;

import fleet.console.cluster.Access;
import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.sandbox.SandboxUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an area offers, asked of the sandbox's API as each user: an admin may delete pods, a viewer
 * (Kubernetes' view role) may not and is told why with the kubectl question, and a read-only session
 * refuses everything in one line. Answers arrive on the UI executor; a later session's answers win.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActionPermitsTest {

    private Sandbox sandbox;
    private ClusterSession admin;
    private ClusterSession viewer;
    private ClusterSession readOnly;
    private final ExecutorService background = Executors.newFixedThreadPool(2);
    /** The "UI thread": tasks run when the test takes them, in order. */
    private final LinkedBlockingQueue<Runnable> ui = new LinkedBlockingQueue<>();

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withNats(false).withRegistry(false));
        String ns = sandbox.namespace();
        admin = ClusterConnector.withDefaultTimeout().connect(sandbox.clientConfig(), Sandbox.CONTEXT_NAME, ns, true);
        viewer = ClusterConnector.withDefaultTimeout().connect(sandbox.clientConfig(SandboxUser.VIEWER), Sandbox.CONTEXT_NAME, ns, true);
        readOnly = ClusterConnector.withDefaultTimeout().readOnly(true).connect(sandbox.clientConfig(), Sandbox.CONTEXT_NAME, ns, true);
    }

    @AfterAll
    void stop() {
        background.shutdownNow();
        for (AutoCloseable c : new AutoCloseable[]{admin, viewer, readOnly, sandbox}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing what the test opened
            }
        }
    }

    private ActionPermits permits() {
        return new ActionPermits(background, ui::add)
                .define("delete pod", ns -> Access.Permission.of("delete", "", "pods", ns))
                .define("scale", ns -> Access.Permission.of("patch", "apps", "deployments", ns).sub("scale"));
    }

    /** Runs the UI tasks of the answers: one per update. */
    private void answered() throws InterruptedException {
        Runnable task = ui.poll(20, TimeUnit.SECONDS);
        assertThat(task).as("the answers reach the UI executor").isNotNull();
        task.run();
    }

    @Test
    void nothingIsOfferedBeforeASessionAndEverythingTheAdminMayIsOffered() throws Exception {
        ActionPermits p = permits();
        assertThat(p.refusalNow("delete pod")).isEqualTo(ActionPermits.NOT_CONNECTED);
        assertThat(p.summaryProperty().get()).as("not connected is said by the window, not by each area").isNull();

        p.update(admin);
        answered();

        assertThat(p.refusalNow("delete pod")).isNull();
        assertThat(p.refusalNow("scale")).isNull();
        assertThat(p.summaryProperty().get()).isNull();

        p.update(null);
        assertThat(p.refusalNow("scale")).isEqualTo(ActionPermits.NOT_CONNECTED);
    }

    @Test
    void aViewerIsRefusedWithTheServersReasonAndTheKubectlQuestion() throws Exception {
        ActionPermits p = permits();
        p.update(viewer);
        answered();

        assertThat(p.refusalNow("delete pod")).startsWith("not allowed to delete pods in " + sandbox.namespace())
                .contains("kubectl auth can-i delete pods -n " + sandbox.namespace());
        assertThat(p.refusalNow("scale")).contains("patch deployments/scale (apps)");
        assertThat(p.summaryProperty().get()).startsWith("Disabled: delete pod (not allowed").contains("; scale (not allowed");
    }

    @Test
    void readOnlyRefusesEveryActionInOneLine() throws Exception {
        ActionPermits p = permits();
        p.update(readOnly);
        answered();

        assertThat(p.refusalNow("delete pod")).contains("read-only mode is on");
        assertThat(p.summaryProperty().get()).isEqualTo("Read-only mode: delete pod, scale disabled.");
    }

    @Test
    void theAnswersOfALaterSessionWinOverAnEarliersLateOnes() throws Exception {
        ActionPermits p = permits();
        p.update(viewer);
        p.update(admin);
        answered();
        answered();

        assertThat(p.refusalNow("delete pod")).isNull();
        assertThat(p.summaryProperty().get()).isNull();
    }
}
