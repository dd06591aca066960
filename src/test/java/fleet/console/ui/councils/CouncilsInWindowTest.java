package fleet.console.ui.councils;

import fleet.console.cluster.ClusterConnector;
import fleet.console.sandbox.process.ScratchDir;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.shell.Area;
import fleet.console.ui.shell.ConnectionState;
import fleet.console.ui.shell.ConsoleWindow;
import fleet.console.ui.shell.ShellOptions;
import fleet.console.ui.shell.ShellServices;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.common.StyleClasses;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
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
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's window on the sandbox: its Councils area shows the orchestrator replicas of the session it is connected to. */
@ExtendWith(ApplicationExtension.class)
class CouncilsInWindowTest {

    private static FleetSandbox sandbox;
    private static ScheduledExecutorService background;
    private static final List<ConsoleWindow> windows = new ArrayList<>();
    private ConsoleWindow window;

    @BeforeAll
    static void startSandbox() {
        sandbox = FleetSandbox.start();
        background = Executors.newScheduledThreadPool(3);
    }

    @AfterAll
    static void stopSandbox() {
        FleetSandbox.stopThenDispose(sandbox, background, () -> windows.forEach(ConsoleWindow::dispose));
    }

    @Start
    void start(Stage stage) throws Exception {
        Path noKubeconfig = ScratchDir.create("councils-window").path().resolve("absent.kubeconfig");
        ShellServices services = new ShellServices(ClusterConnector.withDefaultTimeout(), noKubeconfig, sandbox::handle,
                FleetSandbox.health(), background, new FxBatcher());
        window = ConsoleWindow.open(stage, services, ShellOptions.defaults());
        windows.add(window);
        // Within the headless screen (1280 x 800), so that a confirmation centred on the window can be clicked.
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    private static void waitFor(Callable<Boolean> condition) throws Exception {
        fleet.console.ui.SceneWait.until(60, condition);
    }

    private static TableView<CouncilsViewModel.CouncilRow> councils(FxRobot robot) {
        return robot.lookup("#councilTable").queryTableView();
    }

    private static boolean idle(FxRobot robot) {
        return !robot.lookup("#initButton").queryButton().isDisabled();
    }

    /**
     * The operator's path through the window: the Councils area shows both orchestrator replicas; the init Job
     * reaches one of them, and the window says which replica lacks which council; initialising directly puts
     * every council on both; delete-all asks first, naming roles, replicas and agents, and empties the table.
     */
    @Test
    void theCouncilsAreaShowsBothReplicasTheirDisagreementAndInitAndDeleteOnBoth(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.model().getState() == ConnectionState.CONNECTED);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT5).release(KeyCode.DIGIT5, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().getArea()).isEqualTo(Area.COUNCILS);
        assertThat(robot.lookup("Councils: coming").tryQuery()).isEmpty();
        waitFor(() -> robot.lookup("#replicaTable").queryTableView().getItems().size() == 2 && idle(robot));
        assertThat(robot.lookup("#councilsSummary").queryAs(Label.class).getText()).startsWith("0 councils on 2 of 2 replicas answering");
        List<String> pods = sandbox.client().pods().inNamespace(FleetSandbox.NAMESPACE).withLabel("app", "orchestrator").list().getItems()
                .stream().filter(p -> p.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getKind().equals("ReplicaSet")))
                .map(p -> p.getMetadata().getName()).sorted().toList();
        assertThat(pods).hasSize(2);
        List<?> replicaRows = robot.lookup("#replicaTable").queryTableView().getItems();
        assertThat(replicaRows).extracting(r -> ((CouncilsViewModel.ReplicaRow) r).pod()).containsExactlyInAnyOrderElementsOf(pods);

        // The runbook's init Job goes through the orchestrator Service: one replica gets the councils.
        robot.clickOn("#viaJobCheck");
        robot.clickOn("#initButton");
        waitFor(() -> idle(robot) && robot.lookup("#disagreementList").queryListView().getItems().size() == 5
                && councils(robot).getItems().size() == 10);
        assertThat(robot.lookup("#jobLogList").queryListView().getItems()).anySatisfy(l -> assertThat(l.toString()).contains("Council DEV"));
        String holder = councils(robot).getItems().stream().filter(CouncilsViewModel.CouncilRow::present)
                .map(CouncilsViewModel.CouncilRow::replica).distinct().collect(java.util.stream.Collectors.toList()).get(0);
        String lacking = pods.stream().filter(p -> !p.equals(holder)).findFirst().orElseThrow();
        assertThat(robot.lookup("#disagreementList").queryListView().getItems()).contains("DEV exists on " + holder + ", missing on " + lacking);
        StatusBadge warning = robot.from(robot.lookup("#disagreementList").<Node>query()).lookup(".status-badge").queryAs(StatusBadge.class);
        assertThat(warning.icon().getStyleClass()).contains("warning");
        assertThat(warning.getText()).contains("exists on " + holder);
        TableRow<?> missing = robot.lookup("#councilTable .table-row-cell").match((Node n) -> n instanceof TableRow<?> row
                && row.getItem() instanceof CouncilsViewModel.CouncilRow r && !r.present()).query();
        assertThat(((CouncilsViewModel.CouncilRow) missing.getItem()).replica()).isEqualTo(lacking);
        assertThat(missing.getPseudoClassStates()).contains(StyleClasses.PROBLEM);
        StatusBadge gap = robot.from(missing).lookup(".status-badge").queryAs(StatusBadge.class);
        assertThat(gap.getText()).isEqualTo("missing here");
        assertThat(gap.icon().getStyleClass()).contains("problem");

        // Initialise directly: every replica is asked, the one that had them keeps them.
        robot.clickOn("#viaJobCheck");
        robot.clickOn("#initButton");
        waitFor(() -> idle(robot) && councils(robot).getItems().size() == 10
                && councils(robot).getItems().stream().allMatch(CouncilsViewModel.CouncilRow::present)
                && robot.lookup("#disagreementList").queryListView().getItems().isEmpty());
        assertThat(robot.lookup("#councilsSummary").queryAs(Label.class).getText())
                .isEqualTo("10 councils on 2 of 2 replicas answering, in agreement.");
        assertThat(robot.lookup("#resultList").queryListView().getItems()).hasSize(10)
                .anySatisfy(l -> assertThat(l.toString()).contains(lacking).contains("created"))
                .anySatisfy(l -> assertThat(l.toString()).contains(holder).contains("already"));

        // Delete all asks first, naming what goes where; nothing is gone before the answer.
        robot.clickOn("#deleteAllButton");
        waitFor(() -> robot.lookup(".councils-confirm").tryQuery().isPresent());
        DialogPane dialog = robot.lookup(".councils-confirm").queryAs(DialogPane.class);
        assertThat(dialog.getHeaderText()).isEqualTo("Delete every council?");
        String consequences = ((Label) dialog.getContent()).getText();
        assertThat(consequences).contains("DEV, QA, ARCHITECT, DEVOPS, DATA on " + pods.get(0)).contains(pods.get(1))
                .contains("30 agents in all").contains("no undo");
        assertThat(councils(robot).getItems()).as("nothing deleted before the answer").hasSize(10);
        Button confirm = (Button) dialog.lookupButton(dialog.getButtonTypes().stream()
                .filter(b -> b.getText().equals("Delete councils")).findFirst().orElseThrow());
        assertThat(confirm.isDefaultButton()).as("Enter must not destroy").isFalse();
        robot.clickOn(confirm);
        waitFor(() -> idle(robot) && councils(robot).getItems().isEmpty());
        assertThat(robot.lookup("#councilsSummary").queryAs(Label.class).getText()).startsWith("0 councils on 2 of 2 replicas answering");
        assertThat(robot.lookup("#resultList").queryListView().getItems()).hasSize(10)
                .allSatisfy(l -> assertThat(l.toString()).contains("deleted (3 agents removed)"));
    }
}
