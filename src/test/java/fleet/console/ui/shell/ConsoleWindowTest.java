package fleet.console.ui.shell;

import fleet.console.cluster.ClusterConnector;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.FaultKind;
import fleet.console.sandbox.process.ScratchDir;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.Kubeconfigs;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.common.StatusBadge;
import fleet.console.cluster.WorkloadHealth;
import fleet.console.ui.common.StyleClasses;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's window, headless, against the real sandbox. Its kubeconfig has two broken contexts:
 * one whose port refuses connections, and one that accepts them and never answers (a cluster behind
 * a dead VPN), the slow failure during which the window must stay usable.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleWindowTest {

    private static FleetSandbox sandbox;
    private static ScheduledExecutorService background;
    private static ServerSocket silentServer;
    private static Path kubeconfig;
    private static final List<ConsoleWindow> windows = new ArrayList<>();

    private ConsoleWindow window;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = FleetSandbox.start();
        background = Executors.newScheduledThreadPool(4);
        // Accepts connections into its backlog and never reads: requests just wait.
        silentServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Path dir = ScratchDir.create("console-window-test").path();
        kubeconfig = Kubeconfigs.withContexts(dir, "unreachable", "https://127.0.0.1:1",
                "silent", "https://127.0.0.1:" + silentServer.getLocalPort());
    }

    @AfterAll
    static void stopSandbox() throws IOException {
        FleetSandbox.stopThenDispose(sandbox, background, () -> windows.forEach(ConsoleWindow::dispose));
        silentServer.close();
    }

    @Start
    void start(Stage stage) {
        ShellServices services = new ShellServices(ClusterConnector.withDefaultTimeout(), kubeconfig, sandbox::handle,
                FleetSandbox.health(), background, new FxBatcher());
        window = ConsoleWindow.open(stage, services, ShellOptions.defaults());
        windows.add(window);
        stage.show();
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        fleet.console.ui.SceneWait.until(seconds, condition);
    }

    private void waitForWorkloads() throws Exception {
        waitFor(10, () -> window.model().getState() == ConnectionState.CONNECTED && window.model().overview().isLoaded()
                && !window.model().overview().rows().isEmpty());
    }

    private static TableView<WorkloadHealth> healthTable(FxRobot robot) {
        return robot.lookup("#healthTable").queryTableView();
    }

    private static void choose(FxRobot robot, String target) {
        robot.clickOn("#contextChooser");
        robot.clickOn(robot.lookup(".list-cell").match((Node n) -> n instanceof javafx.scene.control.ListCell<?> c
                && target.equals(c.getText())).<Node>query());
    }

    @Test
    void opensOnTheSandboxAndTheOverviewListsTheFleetsWorkloads(FxRobot robot) throws Exception {
        waitForWorkloads();

        TableView<WorkloadHealth> table = healthTable(robot);
        assertThat(table.getItems()).extracting(WorkloadHealth::name)
                .contains("nats", "orchestrator", "context", "monitoring-dashboard", "ray-executor", "neo4j", "valkey");
        ComboBox<?> chooser = robot.lookup("#contextChooser").queryComboBox();
        assertThat(chooser.getValue()).isEqualTo(ConnectionTarget.SANDBOX);
        StatusBar statusBar = robot.lookup("#statusBar").query();
        assertThat(statusBar.getText()).contains("sandbox / swe-ai-fleet");
        assertThat(robot.lookup("#serverVersion").queryAs(Label.class).getText()).isEqualTo("Kubernetes v1.31.2");

        // Healthy rows carry the check-mark shape and no problem style.
        TableRow<?> nats = tableRow(robot, "nats");
        assertThat(nats.getPseudoClassStates()).doesNotContain(StyleClasses.PROBLEM);
        StatusBadge natsState = robot.from(nats).lookup(".status-badge").queryAs(StatusBadge.class);
        assertThat(natsState.getText()).isEqualTo("Running");
        assertThat(natsState.icon().getStyleClass()).contains("ok");
    }

    @Test
    void sortingByAColumnReordersTheTableButNotTheOverviewsRows(FxRobot robot) throws Exception {
        waitForWorkloads();
        TableView<WorkloadHealth> table = healthTable(robot);
        List<WorkloadHealth> modelOrder = List.copyOf(window.model().overview().rows());

        robot.clickOn(robot.lookup(".column-header .label").match((Node n) -> n instanceof Label l
                && "Workload".equals(l.getText())).<Node>query());
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(table.getItems()).extracting(WorkloadHealth::name).isSorted();
        assertThat(window.model().overview().rows()).containsExactlyElementsOf(modelOrder);
    }

    @Test
    void themeShortcutSwitchesTheRootStyleClassAndTheTokenDerivedBackground(FxRobot robot) throws Exception {
        Region root = (Region) window.scene().getRoot();
        assertThat(root.getStyleClass()).doesNotContain("dark");
        assertThat(root.getBackground().getFills().get(0).getFill()).isEqualTo(Color.web("#f4f5f7"));

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T).release(KeyCode.T, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(root.getStyleClass()).contains("dark");
        assertThat(root.getBackground().getFills().get(0).getFill()).isEqualTo(Color.web("#16191e"));
        assertThat(window.model().getTheme()).isEqualTo(fleet.console.ui.common.Theme.DARK);

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T).release(KeyCode.T, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(root.getStyleClass()).doesNotContain("dark");
        assertThat(root.getBackground().getFills().get(0).getFill()).isEqualTo(Color.web("#f4f5f7"));
    }

    @Test
    void theAreasAreWarmedWhileTheWindowIsIdleAndThePodsAreaShowsItsPodsOnItsFirstVisit(FxRobot robot) throws Exception {
        waitForWorkloads();
        waitFor(60, window::isWarmedUp);
        // The warm-up's throwaway copies of the views are nowhere in the window.
        assertThat(robot.lookup("#podTable").tryQuery()).isEmpty();
        // The Pods and Events areas were built ahead of their first visit, and that read nothing yet: their
        // view-models start their watches when their area is shown.
        assertThat(WaitForAsyncUtils.asyncFx(() -> List.of(window.isBuilt(Area.PODS), window.isBuilt(Area.EVENTS),
                window.isBuilt(Area.RUNBOOKS))).get()).containsExactly(true, true, false);
        assertThat(window.model().pods().rows()).isEmpty();
        assertThat(window.model().events().rows()).isEmpty();

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        waitFor(10, () -> !window.model().pods().rows().isEmpty());

        assertThat(robot.lookup("#podTable").queryAll()).hasSize(1);
        TableView<?> pods = robot.lookup("#podTable").queryTableView();
        assertThat(pods.getScene()).isSameAs(window.scene());
        assertThat(pods.isVisible()).isTrue();
        assertThat(robot.from(pods).lookup(".table-row-cell").queryAll()).isNotEmpty();
        assertThat(robot.lookup("#podFilter").tryQuery()).isPresent();
    }

    @Test
    void areaShortcutsSwitchTheContentAndUnbuiltAreasSayWhatIsComingWithoutData(FxRobot robot) throws Exception {
        waitForWorkloads();

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().getArea()).isEqualTo(Area.PODS);
        assertThat(robot.lookup("#podTable").tryQuery()).isPresent();
        assertThat(robot.lookup("#healthTable").tryQuery()).isEmpty();

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().getArea()).isEqualTo(Area.ROLLOUTS);
        assertThat(robot.lookup("#workloadTable").tryQuery()).isPresent();

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT4).release(KeyCode.DIGIT4, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().getArea()).isEqualTo(Area.NATS);
        assertThat(robot.lookup("#streamTable").tryQuery()).isPresent();

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT7).release(KeyCode.DIGIT7, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#eventTable").tryQuery()).isPresent();
        assertThat(robot.lookup("#areaList").queryListView().getSelectionModel().getSelectedItem()).isEqualTo(Area.EVENTS);

        robot.clickOn("#nav-overview");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#healthTable").tryQuery()).isPresent();
    }

    @Test
    void anUnreachableContextIsExplainedWhileTheWindowKeepsRespondingAndSandboxComesBack(FxRobot robot)
            throws Exception {
        waitForWorkloads();
        MainViewModel model = window.model();
        var sandboxSession = model.getSession();

        choose(robot, "silent");
        waitFor(2, () -> model.getState() == ConnectionState.CONNECTING);
        // The silent cluster keeps the attempt busy for seconds: the window answers meanwhile.
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#workloadTable").tryQuery()).isPresent();
        assertThat(model.getState()).isEqualTo(ConnectionState.CONNECTING);

        waitFor(8, () -> robot.lookup("#banner").query().isVisible());
        assertThat(robot.lookup("#bannerText").queryAs(Label.class).getText())
                .contains("Cannot reach the API server of context 'silent'");
        assertThat(robot.lookup("#bannerAdvice").queryAs(Label.class).getText())
                .contains("Still connected to sandbox / swe-ai-fleet");
        assertThat(robot.lookup("#connectionBadge").queryAs(StatusBadge.class).getText())
                .isEqualTo("Connected to sandbox / swe-ai-fleet");
        assertThat(model.getSession()).isSameAs(sandboxSession);

        choose(robot, "unreachable");
        waitFor(6, () -> robot.lookup("#bannerText").queryAs(Label.class).getText().contains("'unreachable'"));
        assertThat(robot.lookup("#bannerText").queryAs(Label.class).getText()).contains("https://127.0.0.1:1");

        choose(robot, ConnectionTarget.SANDBOX.label());
        waitFor(6, () -> model.getSession() != sandboxSession && model.getState() == ConnectionState.CONNECTED);
        assertThat(robot.lookup("#banner").query().isVisible()).isFalse();
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
        waitFor(6, () -> robot.lookup("#healthTable").tryQuery().isPresent() && !healthTable(robot).getItems().isEmpty());
    }

    @Test
    void theSandboxMenuCrashesTheChosenWorkloadAndTheTableMarksIt(FxRobot robot) throws Exception {
        waitForWorkloads();
        MenuBar menuBar = robot.lookup(".menu-bar").queryAs(MenuBar.class);
        var sandboxMenu = menuBar.getMenus().stream().filter(m -> m.getText().equals("_Sandbox")).findFirst().orElseThrow();
        waitFor(5, () -> !sandboxMenu.isDisable() && window.model().faultsAvailableProperty().get());

        // Opening the menu fills it from the live workloads; the submenu item is then fired directly,
        // since a robot's pointer path through nested popups says nothing about the console.
        robot.clickOn("Sandbox");
        WaitForAsyncUtils.waitForFxEvents();
        Menu crash = (Menu) sandboxMenu.getItems().stream()
                .filter(i -> FaultKind.CRASH.description().equals(i.getText())).findFirst().orElseThrow();
        assertThat(crash.isDisable()).isFalse();
        MenuItem orchestrator = crash.getItems().stream().filter(i -> "orchestrator".equals(i.getText()))
                .findFirst().orElseThrow();
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        robot.interact(orchestrator::fire);
        waitFor(5, () -> !window.model().activeFaults().isEmpty());

        try {
            assertThat(sandbox.sandbox().activeFaults()).contains(new Fault(FaultKind.CRASH, "orchestrator"));
            assertThat(robot.lookup("#bannerText").queryAs(Label.class).getText())
                    .contains("Injected crash=orchestrator");

            // The crash reaches the table through the watch: marked by style, icon shape and words.
            waitFor(30, () -> window.model().overview().rows().stream().anyMatch(r -> r.name().equals("orchestrator")
                    && "CrashLoopBackOff".equals(r.state())));
            TableRow<?> orchestratorRow = tableRow(robot, "orchestrator");
            assertThat(orchestratorRow.getPseudoClassStates()).contains(StyleClasses.PROBLEM);
            // ... which the stylesheet tints (the theme's danger tint, on the next frame's CSS pass).
            Color tint = Color.web(window.scene().getRoot().getStyleClass().contains("dark") ? "#3d1f22" : "#fde8e8");
            waitFor(5, () -> orchestratorRow.getBackground() != null && orchestratorRow.getBackground().getFills().stream()
                    .anyMatch(f -> tint.equals(f.getFill())));
            StatusBadge state = robot.from(orchestratorRow).lookup(".status-badge").queryAs(StatusBadge.class);
            assertThat(state.getText()).isEqualTo("CrashLoopBackOff");
            assertThat(state.icon().getStyleClass()).contains("problem");
            assertThat(window.model().overview().summaryProperty().get()).startsWith("6 of 7 workloads healthy");
        } finally {
            window.model().clearAllFaults();
            waitFor(5, () -> window.model().activeFaults().isEmpty());
            sandbox.awaitReady();
        }
    }

    private static TableRow<?> tableRow(FxRobot robot, String workload) {
        return robot.lookup(".table-row-cell").match((Node n) -> n instanceof TableRow<?> r
                && r.getItem() instanceof WorkloadHealth h && h.name().equals(workload)).query();
    }
}
