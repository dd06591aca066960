package fleet.console.ui.councils;

import fleet.console.cluster.ClusterConnector;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.shell.Area;
import fleet.console.ui.shell.ConnectionState;
import fleet.console.ui.shell.ConsoleWindow;
import fleet.console.ui.shell.ShellOptions;
import fleet.console.ui.shell.ShellServices;
import javafx.scene.control.Label;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's window routes its Councils area to the councils of the session it is connected to. */
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
        Path noKubeconfig = Files.createTempDirectory("councils-window").resolve("absent.kubeconfig");
        ShellServices services = new ShellServices(ClusterConnector.withDefaultTimeout(), noKubeconfig, sandbox::handle,
                FleetSandbox.health(), background, new FxBatcher());
        window = ConsoleWindow.open(stage, services, ShellOptions.defaults());
        windows.add(window);
        stage.show();
    }

    @Test
    void theCouncilsShortcutShowsEveryReplicaOfTheConnectedSandbox(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.model().getState() == ConnectionState.CONNECTED);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT5).release(KeyCode.DIGIT5, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().getArea()).isEqualTo(Area.COUNCILS);
        assertThat(robot.lookup("Councils: coming").tryQuery()).isEmpty();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#replicaTable").queryTableView().getItems().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#councilsSummary").queryAs(Label.class).getText()).startsWith("0 councils on 2 of 2 replicas answering");
    }
}
