package fleet.console.ui.rollouts;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.rollouts.Revision;
import fleet.console.cluster.rollouts.TemplateDiff;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.process.ScratchDir;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.logs.LogEntry;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.shell.Area;
import fleet.console.ui.shell.ConnectionState;
import fleet.console.ui.shell.ConsoleWindow;
import fleet.console.ui.shell.ShellOptions;
import fleet.console.ui.shell.ShellServices;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Rollouts area in the console's window, headless, against the real sandbox; the window is opened
 * once (one test: the operator's whole story). An image change makes revision 2, the history shows both
 * revisions with their images, the diff names the change, and one click on revision 1 plus the
 * confirmation rolls back: revision 3 goes live with the old image.
 */
@ExtendWith(ApplicationExtension.class)
class RolloutsAreaTest {

    private static final String OLD_IMAGE = "registry.underpassai.com/swe-ai-fleet/ray-executor:v3.0.0-core-refactor";
    private static final String NEW_IMAGE = "registry.underpassai.com/swe-ai-fleet/ray-executor:v3.1.0";

    private static FleetSandbox sandbox;
    private static ScheduledExecutorService background;
    private static Path dir;
    private static ConsoleWindow window;

    @BeforeAll
    static void startSandbox() {
        sandbox = FleetSandbox.start();
        background = Executors.newScheduledThreadPool(4);
        dir = ScratchDir.create("rollouts-area-test").path();
    }

    @AfterAll
    static void stopSandbox() {
        FleetSandbox.stopThenDispose(sandbox, background, () -> {
            if (window != null) {
                window.dispose();
            }
        });
    }

    @Start
    void start(Stage stage) {
        ShellServices services = new ShellServices(ClusterConnector.withDefaultTimeout(), dir.resolve("no-kubeconfig"),
                sandbox::handle, FleetSandbox.health(), background, new FxBatcher()).withAuditFile(dir.resolve("audit.jsonl"));
        window = ConsoleWindow.open(stage, services, ShellOptions.defaults());
        // Monocle's headless screen is 1280x800; a larger stage overflows its frame buffer.
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        fleet.console.ui.SceneWait.until(seconds, condition);
    }

    private static TableView<WorkloadRow> workloads(FxRobot robot) {
        return robot.lookup("#workloadTable").queryTableView();
    }

    private static TableView<Revision> revisions(FxRobot robot) {
        return robot.lookup("#revisionTable").queryTableView();
    }

    private static TableRow<?> workloadRow(FxRobot robot, String name) {
        return robot.lookup("#workloadTable .table-row-cell").match((Node n) -> n instanceof TableRow<?> r
                && r.getItem() instanceof WorkloadRow w && w.name().equals(name)).query();
    }

    private static TableRow<?> revisionRow(FxRobot robot, long number) {
        return robot.lookup("#revisionTable .table-row-cell").match((Node n) -> n instanceof TableRow<?> r
                && r.getItem() instanceof Revision rev && rev.number() == number).query();
    }

    /** The texts of a row's cells, as the operator reads them. */
    private static List<String> cellTexts(FxRobot robot, TableRow<?> row) {
        return robot.from(row).lookup(".table-cell").queryAllAs(TableCell.class).stream()
                .map(c -> c.getText() != null ? c.getText() : c.getGraphic() instanceof Label l ? l.getText() : "").toList();
    }

    private static boolean live(FxRobot robot, long number, String image) {
        List<Revision> shown = revisions(robot).getItems();
        return !shown.isEmpty() && shown.get(0).number() == number && shown.get(0).live() && shown.get(0).images().equals(List.of(image));
    }

    @Test
    void anImageChangeMakesRevisionTwoItsDiffIsShownAndOneClickRollsBackToRevisionOneAsRevisionThree(FxRobot robot) throws Exception {
        waitFor(20, () -> window.model().getState() == ConnectionState.CONNECTED);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        waitFor(20, () -> window.model().getArea() == Area.ROLLOUTS
                && workloads(robot).getItems().stream().anyMatch(w -> w.name().equals("ray-executor")));

        // The workload as it stands: one revision, the profile's image.
        robot.clickOn(workloadRow(robot, "ray-executor"));
        waitFor(10, () -> revisions(robot).getItems().size() == 1);
        assertThat(cellTexts(robot, workloadRow(robot, "ray-executor"))).contains("ray-executor", "Deployment", "1 / 1 / 1 / 1", "1",
                "Complete", "Profile's image", OLD_IMAGE);
        assertThat(robot.lookup("#rollbackBlocked").queryAs(Label.class).getText())
                .isEqualTo("deployment/ray-executor has a single revision: there is nothing to roll back to.");
        assertThat(robot.lookup("#rollbackButton").queryButton().isDisabled()).isTrue();

        // Set image: revision 2.
        robot.clickOn("#setImageButton");
        waitFor(5, () -> robot.lookup("#setImageField").tryQuery().isPresent());
        TextField field = robot.lookup("#setImageField").queryAs(TextField.class);
        assertThat(field.getText()).isEqualTo(OLD_IMAGE);
        robot.interact(() -> field.setText(NEW_IMAGE));
        robot.clickOn("#setImageButtonOk");
        waitFor(60, () -> revisions(robot).getItems().size() == 2 && live(robot, 2, NEW_IMAGE)
                && workloads(robot).getItems().stream().anyMatch(w -> w.name().equals("ray-executor") && w.stateWords().equals("Complete")
                && w.revisionText().equals("2")));

        List<String> newest = cellTexts(robot, revisionRow(robot, 2));
        List<String> oldest = cellTexts(robot, revisionRow(robot, 1));
        assertThat(newest).contains("2", "live", NEW_IMAGE, "fleet-console: set image ray-executor=" + NEW_IMAGE + " (was " + OLD_IMAGE + ")");
        assertThat(oldest).contains("1", OLD_IMAGE).doesNotContain("live");

        // The diff of the two.
        robot.clickOn(revisionRow(robot, 2));
        robot.press(KeyCode.CONTROL).clickOn(revisionRow(robot, 1)).release(KeyCode.CONTROL);
        robot.clickOn("#compareButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#diffTitle").queryAs(Label.class).getText()).isEqualTo("Revision 1 → 2: 1 change.");
        ListView<TemplateDiff.Change> diff = robot.lookup("#diffList").queryListView();
        assertThat(diff.getItems()).extracting(TemplateDiff.Change::line)
                .containsExactly("container ray-executor: image " + OLD_IMAGE + " -> " + NEW_IMAGE);

        // One click on revision 1, then the confirmation shows the plan.
        robot.clickOn(revisionRow(robot, 1));
        Button rollback = robot.lookup("#rollbackButton").queryButton();
        assertThat(rollback.isDisabled()).isFalse();
        robot.clickOn(rollback);
        waitFor(10, () -> robot.lookup("#confirmButton").tryQuery().isPresent());
        assertThat(robot.lookup("#confirmConsequences").queryAs(Label.class).getText())
                .startsWith("Replaces 1 pod of deployment/ray-executor one by one with pods of revision 1.");
        assertThat(robot.lookup("#confirmDetails").queryAs(TextArea.class).getText())
                .contains("container ray-executor: image " + NEW_IMAGE + " -> " + OLD_IMAGE)
                .contains("Pods that will be replaced (1):")
                .contains("ConfigMaps and Secrets are not rolled back");
        java.util.Set<String> oldPods = podNames();
        robot.clickOn("#confirmButton");

        // The log tail follows the workload's pods: the new pod's startup line arrives by itself.
        waitFor(90, () -> {
            java.util.Set<String> newPods = podNames();
            newPods.removeAll(oldPods);
            return !newPods.isEmpty() && logLines(robot).stream().anyMatch(e -> newPods.contains(e.pod())
                    && e.text().contains("Ray Executor Service listening on port 50056"));
        });
        assertThat(robot.lookup("#rollbackLogTitle").queryAs(Label.class).getText()).contains("deployment/ray-executor");

        // Revision 1's template is live again, numbered 3, with the old image.
        waitFor(90, () -> live(robot, 3, OLD_IMAGE) && revisions(robot).getItems().size() == 2
                && workloads(robot).getItems().stream().anyMatch(w -> w.name().equals("ray-executor") && w.revisionText().equals("3")
                && w.stateWords().equals("Complete") && w.images().equals(OLD_IMAGE)));
        waitFor(10, () -> robot.lookup("#rollbackOutcome").queryAs(StatusBadge.class).getText().contains("revision 1's template again"));
        assertThat(cellTexts(robot, revisionRow(robot, 3))).contains("3", "live", OLD_IMAGE);
        assertThat(robot.lookup("#rollbackOutcome").queryAs(StatusBadge.class).icon().getStyleClass()).contains("ok");
        ListView<String> progress = robot.lookup("#rollbackProgress").queryListView();
        assertThat(progress.getItems()).last().isEqualTo("2/2 Wait until the rollout is complete: done");
        assertThat(Files.readString(dir.resolve("audit.jsonl"))).contains("rollout undo").contains("deployment/ray-executor");

        // The API server goes away: the area says since when its rows are stale and keeps them; so does the overview.
        int rows = workloads(robot).getItems().size();
        sandbox.sandbox().inject(Fault.parse("api-down=5"));
        waitFor(5, () -> badge(robot, "#rolloutsLive").getText().startsWith("Stale since "));
        StatusBadge stale = badge(robot, "#rolloutsLive");
        assertThat(stale.getText()).matches("Stale since \\d\\d:\\d\\d:\\d\\d — the API does not answer; .*");
        assertThat(stale.icon().getStyleClass()).contains("warning");
        assertThat(workloads(robot).getItems()).hasSize(rows);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
        waitFor(5, () -> window.model().getArea() == Area.OVERVIEW && badge(robot, "#liveBadge").getText().startsWith("Stale since "));
        assertThat(badge(robot, "#liveBadge").icon().getStyleClass()).contains("warning");
        assertThat(robot.lookup("#healthTable").queryTableView().getItems()).isNotEmpty();
        waitFor(30, () -> sandbox.sandbox().apiListening() && badge(robot, "#liveBadge").getText().equals("Following changes"));
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        waitFor(10, () -> window.model().getArea() == Area.ROLLOUTS && badge(robot, "#rolloutsLive").getText().equals("Following changes"));
        assertThat(badge(robot, "#rolloutsLive").icon().getStyleClass()).contains("ok");

        // Read-only mode: every change of the area is off, and says why.
        robot.interact(() -> window.model().readOnlyProperty().set(true));
        waitFor(30, () -> window.model().getState() == ConnectionState.CONNECTED && window.model().sessionProperty().get() != null
                && window.model().sessionProperty().get().readOnly()
                && workloads(robot).getItems().stream().anyMatch(w -> w.name().equals("ray-executor")));
        robot.clickOn(workloadRow(robot, "ray-executor"));
        waitFor(10, () -> revisions(robot).getItems().size() == 2);
        robot.clickOn(revisionRow(robot, 2));
        for (String id : List.of("#rollbackButton", "#restartButton", "#pauseButton", "#scaleButton", "#setImageButton")) {
            waitFor(10, () -> robot.lookup(id).queryButton().isDisabled());
            assertThat(robot.lookup(id).queryButton().getTooltip().getText()).as(id).contains("read-only mode is on");
        }
        assertThat(robot.lookup("#rollbackBlocked").queryAs(Label.class).getText()).startsWith("Rollback not offered: read-only mode is on");
        StatusBadge permits = badge(robot, "#rolloutsPermits");
        assertThat(permits.isVisible()).isTrue();
        assertThat(permits.getText()).isEqualTo("Read-only mode: rollback, scale, restart, pause/resume, set image disabled.");
        assertThat(permits.icon().getStyleClass()).contains("warning");
        robot.interact(() -> window.model().readOnlyProperty().set(false));
        waitFor(30, () -> window.model().getState() == ConnectionState.CONNECTED && !window.model().sessionProperty().get().readOnly());
    }

    private static StatusBadge badge(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(StatusBadge.class);
    }

    private static java.util.Set<String> podNames() {
        return sandbox.client().pods().inNamespace(FleetSandbox.NAMESPACE).withLabel("app", "ray-executor").list().getItems().stream()
                .map(p -> p.getMetadata().getName()).collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }

    /** What the rollback's log view holds, as its list shows it. */
    @SuppressWarnings("unchecked")
    private static List<LogEntry> logLines(FxRobot robot) {
        return List.copyOf(((ListView<LogEntry>) robot.lookup("#rollbackLog .log-lines").queryAs(ListView.class)).getItems());
    }
}
