package fleet.console.ui.councils;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.councils.OrchestratorCouncils;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.common.StyleClasses;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Councils area, headless, on the sandbox: per-replica rows, disagreements marked, delete-all asks first. */
@ExtendWith(ApplicationExtension.class)
class CouncilsViewTest {

    private static final FleetProfile PROFILE = FleetProfile.defaults();
    private static Sandbox sandbox;
    private static ScheduledExecutorService background;
    private static ClusterSession session;
    private static final List<AuditEntry> journal = new CopyOnWriteArrayList<>();
    private static final List<CouncilsViewModel> models = new CopyOnWriteArrayList<>();

    private CouncilsViewModel model;
    private OrchestratorCouncils councils;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(PROFILE, SandboxOptions.defaults());
        assertThat(sandbox.awaitFleetReady(Duration.ofSeconds(60))).isTrue();
        background = Executors.newScheduledThreadPool(3);
        session = ClusterConnector.withDefaultTimeout().connect(sandbox.clientConfig(), Sandbox.CONTEXT_NAME, sandbox.namespace(), true);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        models.forEach(CouncilsViewModel::dispose);
        session.close();
        background.shutdownNow();
        background.awaitTermination(5, TimeUnit.SECONDS);
        sandbox.close();
    }

    @Start
    void start(Stage stage) throws Exception {
        assertThat(sandbox.awaitFleetReady(Duration.ofSeconds(60))).isTrue();
        councils = new OrchestratorCouncils(session.client(), session.contextName(), session.namespace(), PROFILE, journal::add);
        model = new CouncilsViewModel(s -> councils, background, new FxBatcher(), Duration.ofMillis(100));
        models.add(model);
        // Within the headless screen (1280 x 800), so that the confirmation, centred on it, can be clicked.
        stage.setScene(new Scene(CouncilsArea.view(model), 1100, 720));
        stage.setX(0);
        stage.setY(0);
        stage.getScene().getStylesheets().setAll(
                CouncilsViewTest.class.getResource("/styles/theme.css").toExternalForm(),
                CouncilsViewTest.class.getResource("/styles/console.css").toExternalForm());
        stage.show();
    }

    private static void waitFor(Callable<Boolean> condition) throws Exception {
        fleet.console.ui.SceneWait.until(20, condition);
    }

    private static TableView<CouncilsViewModel.CouncilRow> councilTable(FxRobot robot) {
        return robot.lookup("#councilTable").queryTableView();
    }

    private void showWithCouncilsEverywhere(FxRobot robot) throws Exception {
        councils.deleteAll();
        councils.initialise();
        robot.interact(() -> model.show(session));
        waitFor(() -> councilTable(robot).getItems().size() == 10);
    }

    @Test
    void theTableShowsEveryCouncilPerReplicaAndDeleteAllAsksFirstThenEmptiesIt(FxRobot robot) throws Exception {
        showWithCouncilsEverywhere(robot);
        TableView<CouncilsViewModel.CouncilRow> table = councilTable(robot);
        List<String> pods = councils.replicas().stream().map(r -> r.pod()).toList();
        assertThat(table.getItems()).extracting(CouncilsViewModel.CouncilRow::replica).containsOnlyElementsOf(pods).contains(pods.get(0), pods.get(1));
        assertThat(table.getItems()).filteredOn(r -> r.role().equals("DEV")).hasSize(2);
        assertThat(robot.lookup("#replicaTable").queryTableView().getItems()).hasSize(2);
        assertThat(robot.lookup("#councilsSummary").queryAs(Label.class).getText()).contains("in agreement");
        StatusBadge status = robot.from(robot.lookup("#councilTable").<Node>query()).lookup(".status-badge").queryAs(StatusBadge.class);
        assertThat(status.getText()).isEqualTo("active");
        assertThat(status.icon().getStyleClass()).contains("ok");

        robot.clickOn("#deleteAllButton");
        waitFor(() -> robot.lookup(".councils-confirm").tryQuery().isPresent());
        DialogPane dialog = robot.lookup(".councils-confirm").queryAs(DialogPane.class);
        assertThat(dialog.getHeaderText()).isEqualTo("Delete every council?");
        assertThat(((Label) dialog.getContent()).getText()).contains("Deletes DEV, QA, ARCHITECT, DEVOPS, DATA on " + pods.get(0))
                .contains("30 agents in all").contains("no undo");
        Button confirm = (Button) dialog.lookupButton(dialog.getButtonTypes().stream()
                .filter(b -> b.getText().equals("Delete councils")).findFirst().orElseThrow());
        assertThat(confirm.isDefaultButton()).as("Enter must not destroy").isFalse();
        assertThat(table.getItems()).as("nothing deleted before the answer").hasSize(10);

        robot.clickOn(confirm);
        waitFor(() -> table.getItems().isEmpty() && !model.isBusy());
        assertThat(councils.read().councilCount()).isZero();
        assertThat(robot.lookup("No councils on any replica. Initialise creates DEV, QA, ARCHITECT, DEVOPS, DATA with 3 agents each on every replica.")
                .tryQuery()).isPresent();
        assertThat(robot.lookup("#resultList").queryListView().getItems()).hasSize(10);
    }

    @Test
    void cancellingDeleteAllKeepsEveryCouncil(FxRobot robot) throws Exception {
        showWithCouncilsEverywhere(robot);
        robot.clickOn("#deleteAllButton");
        waitFor(() -> robot.lookup(".councils-confirm").tryQuery().isPresent());
        robot.clickOn("Cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".councils-confirm").tryQuery()).isEmpty();
        assertThat(councils.read().councilCount()).isEqualTo(10);
        assertThat(councilTable(robot).getItems()).hasSize(10);
    }

    @Test
    void aReplicaThatLostItsCouncilsIsMarkedWithIconAndRowStyle(FxRobot robot) throws Exception {
        showWithCouncilsEverywhere(robot);
        String restarted = councils.replicas().get(0).pod();
        sandbox.client().pods().withName(restarted).delete();

        waitFor(() -> robot.lookup("#disagreementList").queryListView().getItems().size() == 5
                && councilTable(robot).getItems().stream().filter(r -> !r.present()).count() == 5);
        assertThat(robot.lookup("#disagreementList").queryListView().getItems().get(0).toString()).matches("DEV exists on \\S+, missing on \\S+");
        StatusBadge warning = robot.from(robot.lookup("#disagreementList").<Node>query()).lookup(".status-badge").queryAs(StatusBadge.class);
        assertThat(warning.icon().getStyleClass()).contains("warning");
        TableRow<?> missing = robot.lookup("#councilTable .table-row-cell").match((Node n) -> n instanceof TableRow<?> row
                && row.getItem() instanceof CouncilsViewModel.CouncilRow r && !r.present()).query();
        assertThat(missing.getPseudoClassStates()).contains(StyleClasses.PROBLEM);
        StatusBadge badge = robot.from(missing).lookup(".status-badge").queryAs(StatusBadge.class);
        assertThat(badge.getText()).isEqualTo("missing here");
        assertThat(badge.icon().getStyleClass()).contains("problem");
        assertThat(sandbox.awaitFleetReady(Duration.ofSeconds(60))).isTrue();
    }
}
