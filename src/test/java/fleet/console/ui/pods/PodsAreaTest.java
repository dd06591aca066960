package fleet.console.ui.pods;

import fleet.console.audit.AuditJournal;
import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.pods.PodRow;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.process.ScratchDir;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.logs.LogEntry;
import fleet.console.ui.logs.LogStreamControl;
import fleet.console.ui.shell.Area;
import fleet.console.ui.shell.ConnectionState;
import fleet.console.ui.shell.ConsoleWindow;
import fleet.console.ui.shell.ShellOptions;
import fleet.console.ui.shell.ShellServices;
import fleet.console.ui.common.StyleClasses;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Pods area in the console's window, headless, against the real sandbox: what an operator does when
 * a service crash-loops, a namespace is empty, or a pod vanishes under their eyes.
 */
@ExtendWith(ApplicationExtension.class)
class PodsAreaTest {

    private static FleetSandbox sandbox;
    private static ScheduledExecutorService background;
    private static Path dir;
    private static final List<ConsoleWindow> windows = new ArrayList<>();

    private ConsoleWindow window;

    @BeforeAll
    static void startSandbox() {
        sandbox = FleetSandbox.start();
        background = Executors.newScheduledThreadPool(4);
        dir = ScratchDir.create("pods-area-test").path();
    }

    @AfterAll
    static void stopSandbox() {
        FleetSandbox.stopThenDispose(sandbox, background, () -> windows.forEach(ConsoleWindow::dispose));
    }

    @Start
    void start(Stage stage) {
        ShellServices services = new ShellServices(ClusterConnector.withDefaultTimeout(), dir.resolve("no-kubeconfig"),
                sandbox::handle, FleetSandbox.health(), background, new FxBatcher()).withAuditFile(dir.resolve("audit.jsonl"));
        window = ConsoleWindow.open(stage, services, ShellOptions.defaults());
        windows.add(window);
        // Monocle's headless screen is 1280x800; a larger stage overflows its frame buffer.
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        fleet.console.ui.SceneWait.until(seconds, condition);
    }

    private PodsViewModel pods() {
        return window.model().pods();
    }

    private void openPodsArea(FxRobot robot) throws Exception {
        waitFor(15, () -> window.model().getState() == ConnectionState.CONNECTED);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        waitFor(10, () -> window.model().getArea() == Area.PODS && pods().isLoaded());
    }

    private static String parents(Node n) {
        StringBuilder out = new StringBuilder();
        for (Node p = n; p != null; p = p.getParent()) {
            out.append(p.getClass().getSimpleName()).append(p.getId() == null ? "" : "#" + p.getId()).append(p.isVisible() ? "" : "(hidden)").append(" < ");
        }
        return out.toString();
    }

    private static TableRow<?> row(FxRobot robot, String podName) {
        return robot.lookup("#podTable .table-row-cell").match((Node n) -> n instanceof TableRow<?> r
                && r.getItem() instanceof PodRow p && p.name().equals(podName)).query();
    }

    /**
     * Selects the pod by clicking its row. A live table re-renders as pods change, and the row found
     * may leave the scene before the click lands: then it is found and clicked again.
     */
    private void clickRowOf(FxRobot robot, String podName) throws Exception {
        waitFor(30, () -> {
            try {
                TableRow<?> r = row(robot, podName);
                if (r.getScene() == null) {
                    return false;
                }
                robot.clickOn(r);
            } catch (RuntimeException rowLeftTheSceneMeanwhile) {
                return false;
            }
            WaitForAsyncUtils.waitForFxEvents();
            PodRow chosen = pods().getSelected();
            return chosen != null && chosen.name().equals(podName);
        });
    }

    private Optional<PodRow> podOf(String workload, String status) {
        return pods().rows().stream().filter(r -> r.workload().name().equals(workload) && r.status().equals(status)).findFirst();
    }

    @Test
    void aCrashingPodShowsItsReasonAndLastTerminationAndItsPreviousLogFindsTheError(FxRobot robot) throws Exception {
        openPodsArea(robot);
        sandbox.sandbox().inject(Fault.parse("crash=ray-executor"));
        try {
            // The pod runs for a moment between crashes: the row is kept as it was when it showed the back-off.
            AtomicReference<PodRow> seen = new AtomicReference<>();
            waitFor(60, () -> {
                podOf("ray-executor", "CrashLoopBackOff").ifPresent(seen::set);
                return seen.get() != null;
            });
            PodRow crashing = seen.get();
            robot.clickOn("#problemsFirst");
            WaitForAsyncUtils.waitForFxEvents();

            // The pod runs for a moment between its crashes: the table is read when it shows the back-off.
            waitFor(30, () -> {
                TableRow<?> r = row(robot, crashing.name());
                StatusBadge badge = robot.from(r).lookup(".status-badge").queryAs(StatusBadge.class);
                return r.getPseudoClassStates().contains(StyleClasses.PROBLEM) && "CrashLoopBackOff".equals(badge.getText())
                        && badge.icon().getStyleClass().contains("problem");
            });
            assertThat(pods().shownRows().get(0).name()).as("problems first").isEqualTo(crashing.name());
            clickRowOf(robot, crashing.name());

            // The detail is read in the background: on a loaded machine that can take a while.
            waitFor(30, () -> robot.lookup("#container-ray-executor .last-termination").tryQuery().isPresent());
            Label lastTermination = robot.lookup("#container-ray-executor .last-termination .detail-value").queryAs(Label.class);
            assertThat(lastTermination.getText()).startsWith("Error, exit code 1");
            assertThat(robot.lookup("#detailName").queryAs(Label.class).getText()).isEqualTo(crashing.name());

            robot.type(KeyCode.L);
            waitFor(10, () -> !pods().logs().isEmpty());
            LogStreamControl log = pods().logs().get(0);
            assertThat(log.previousProperty().get()).as("a crash loop opens on the previous run").isTrue();
            assertThat(robot.lookup(".log-previous").queryAs(CheckBox.class).isSelected()).isTrue();
            waitFor(15, () -> log.view().lines().stream().map(LogEntry::text).anyMatch(t -> t.startsWith("ModuleNotFoundError")));

            robot.clickOn(".log-search").write("ModuleNotFoundError").type(KeyCode.ENTER);
            waitFor(5, () -> robot.lookup(".log-match-current").tryQuery().isPresent());
            assertThat(robot.lookup(".log-match-current").queryAs(Label.class).getText()).isEqualTo("ModuleNotFoundError");
            assertThat(log.view().errorsProperty().get()).as("the traceback counts as one error per run").isPositive();
        } finally {
            sandbox.sandbox().clearFaults();
            sandbox.awaitReady();
        }
    }

    @Test
    void aCrashingPodGetsADiagnosisBadgeAndItsDetailTheDiagnosisWithTheFix(FxRobot robot) throws Exception {
        List<String> copied = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> window.model().enableDiagnosis(new fleet.console.ui.diagnosis.ClusterDiagnosisSource(FleetSandbox.PROFILE,
                background, e -> { }), copied::add));
        openPodsArea(robot);
        sandbox.sandbox().inject(Fault.parse("crash=ray-executor"));
        try {
            String cause = "Import error after the src/ -> core/ move";
            // The pod is taken when the condition holds: the live diagnosis replaces its badges as the pod
            // crash-loops, so a second look a moment later may find none.
            java.util.concurrent.atomic.AtomicReference<PodRow> found = new java.util.concurrent.atomic.AtomicReference<>();
            waitFor(60, () -> pods().rows().stream().filter(r -> r.workload().name().equals("ray-executor")
                    && java.util.Optional.ofNullable(pods().diagnosisBadges().get(r.name())).filter(b -> b.text().startsWith(cause)).isPresent())
                    .findFirst().map(r -> {
                        found.set(r);
                        return true;
                    }).orElse(false));
            PodRow crashing = found.get();
            robot.clickOn("#problemsFirst");
            // The table shows the badge in the pod's row (rows are replaced as the pod changes: looked up afresh).
            waitFor(30, () -> robot.lookup("#podTable .table-row-cell").match((Node n) -> n instanceof TableRow<?> r
                    && r.getItem() instanceof PodRow p && p.name().equals(crashing.name())).tryQuery()
                    .map(r -> robot.from(r).lookup(".status-badge").queryAllAs(StatusBadge.class).stream()
                            .anyMatch(b -> b.getText() != null && b.getText().startsWith(cause))).orElse(false));

            // Rows are replaced as the crashing pod changes: chosen through the model, as a click on it does.
            robot.interact(() -> pods().reveal(crashing.name()));
            // The panel lists the pod's causes; read while the pod was between two crashes, it may have chosen
            // another one first (and keeps what was chosen): the operator clicks the import error in the list.
            fleet.console.ui.diagnosis.DiagnosisViewModel panel = pods().diagnosis();
            try {
                waitFor(30, () -> panel.causes().stream().anyMatch(r -> cause.equals(r.diagnosis().cause())));
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the Diagnosis panel never listed '" + cause + "': state " + panel.stateProperty().get()
                        + ", headline '" + panel.headlineProperty().get() + "', causes " + panel.causes().stream()
                        .map(fleet.console.ui.diagnosis.DiagnosisViewModel.CauseRow::title).toList(), e);
            }
            robot.interact(() -> panel.causes().stream().filter(r -> cause.equals(r.diagnosis().cause())).findFirst()
                    .filter(r -> panel.selectedProperty().get() != r).ifPresent(panel::choose));
            waitFor(30, () -> robot.lookup("#causeBadge").tryQuery().isPresent()
                    && cause.equals(robot.lookup("#causeBadge").queryAs(StatusBadge.class).getText()));
            assertThat(robot.lookup("#diagnosisHeadline").queryAs(Label.class).getText()).startsWith("pod/" + crashing.name() + ": ");
            javafx.scene.control.Button fix = robot.lookup("#fixButton").queryButton();
            assertThat(pods().diagnosis().hasFixProperty().get()).as("a fix is offered: " + pods().diagnosis().fixSummaryProperty().get()).isTrue();
            assertThat(fix.isVisible()).as("fix button visible; parents: " + parents(fix)).isTrue();
            robot.interact(fix::fire);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(copied).anyMatch(c -> c.contains("fleet-console runbook redeploy --service ray-executor"));
        } finally {
            sandbox.sandbox().clearFaults();
            sandbox.awaitReady();
            // The crashed pods are gone too: the next test's crash is a new one.
            waitFor(60, () -> podOf("ray-executor", "CrashLoopBackOff").isEmpty());
        }
    }

    @Test
    void aNamespaceWithoutPodsSaysSo(FxRobot robot) throws Exception {
        sandbox.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("quiet-team")
                .endMetadata().build()).createOr(existing -> existing.update());
        waitFor(15, () -> window.model().getState() == ConnectionState.CONNECTED);

        robot.interact(() -> {
            window.model().namespaceProperty().set("quiet-team");
            window.model().connect();
        });
        waitFor(10, () -> window.model().getSession() != null && window.model().getSession().namespace().equals("quiet-team"));
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        waitFor(10, pods()::isLoaded);

        Label empty = robot.lookup("#podsEmpty").queryAs(Label.class);
        assertThat(empty.getText()).startsWith("No pods in namespace quiet-team on sandbox.");
        assertThat(empty.isVisible()).isTrue();
        assertThat(robot.lookup("#podsSummary").queryAs(Label.class).getText()).isEqualTo("0 pods in quiet-team");
    }

    @Test
    void aPodDeletedWhileOpenSaysItIsGoneAndTheDeletionIsInTheJournal(FxRobot robot) throws Exception {
        openPodsArea(robot);
        PodRow victim = pods().rows().stream().filter(r -> r.workload().name().equals("context")).findFirst().orElseThrow();
        clickRowOf(robot, victim.name());
        waitFor(10, () -> robot.lookup("#container-context").tryQuery().isPresent());

        robot.type(KeyCode.DELETE);
        waitFor(5, () -> robot.lookup(".confirm-dialog").tryQuery().isPresent());
        assertThat(robot.lookup(".confirm-consequences").queryAs(Label.class).getText())
                .contains("Deletes pod " + victim.name()).contains("on the embedded sandbox")
                .contains("Deployment context creates a replacement");
        robot.clickOn("Delete pod");
        try {
            waitFor(30, () -> robot.lookup("#detailNote").tryQuery().map(n -> ((Label) n).getText())
                    .filter(t -> t.startsWith("Pod " + victim.name() + " is gone")).isPresent());
            assertThat(robot.lookup("#container-context").tryQuery()).as("what it was stays readable").isPresent();
            assertThat(new AuditJournal(dir.resolve("audit.jsonl")).read()).anyMatch(e -> e.target().equals(victim.name())
                    && e.action().equals("delete pod") && e.context().equals("sandbox"));
            assertThat(pods().noticeProperty().get()).startsWith("Deleted pod " + victim.name());
        } finally {
            sandbox.awaitReady();
        }
    }
}
