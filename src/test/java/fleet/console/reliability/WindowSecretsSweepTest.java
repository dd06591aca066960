package fleet.console.reliability;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.pods.PodRow;
import fleet.console.sandbox.process.ScratchDir;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.logs.LogStreamControl;
import fleet.console.ui.pods.PodsViewModel;
import fleet.console.ui.shell.Area;
import fleet.console.ui.shell.ConnectionState;
import fleet.console.ui.shell.ConsoleWindow;
import fleet.console.ui.shell.ShellOptions;
import fleet.console.ui.shell.ShellServices;
import io.fabric8.kubernetes.api.model.Secret;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Control;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.TreeTableView;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, secrets: the UI's text after a session in the window on the sandbox (which holds
 * {@code neo4j-auth} and the token-like {@code huggingface-token}). The Overview, the Pods area with the
 * detail of the neo4j pod (its env takes NEO4J_PASSWORD from the secret) and its log, and the Events area
 * are each swept: the text of every Labeled, text input, tooltip, and every cell of every table and list
 * in the scene graph, shown or not. No secret value, plain or base64, is in any of it.
 */
@ExtendWith(ApplicationExtension.class)
class WindowSecretsSweepTest {

    private static FleetSandbox sandbox;
    private static ScheduledExecutorService background;
    private static Path dir;
    private static final List<ConsoleWindow> windows = new ArrayList<>();

    private ConsoleWindow window;

    @BeforeAll
    static void startSandbox() {
        sandbox = FleetSandbox.start();
        background = Executors.newScheduledThreadPool(4);
        dir = ScratchDir.create("window-secrets-sweep").path();
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
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        fleet.console.ui.SceneWait.until(seconds, condition);
    }

    /** Every value of every Secret in the namespace, as the cluster holds it. */
    private static Map<String, String> secretValues() {
        Map<String, String> values = new LinkedHashMap<>();
        for (Secret s : sandbox.client().secrets().inNamespace(FleetSandbox.NAMESPACE).list().getItems()) {
            if (s.getData() != null) {
                s.getData().forEach((k, v) -> values.put(s.getMetadata().getName() + "/" + k,
                        new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            if (s.getStringData() != null) {
                s.getStringData().forEach((k, v) -> values.put(s.getMetadata().getName() + "/" + k, v));
            }
        }
        return values;
    }

    /** The text of the scene graph as it is now, read on the FX thread. */
    private String sweep(FxRobot robot) throws Exception {
        StringBuilder out = new StringBuilder();
        robot.interact(() -> collect(window.scene().getRoot(), out));
        return out.toString();
    }

    private static void collect(Node node, StringBuilder out) {
        if (node instanceof Labeled l && l.getText() != null) {
            out.append(l.getText()).append('\n');
        }
        if (node instanceof TextInputControl t && t.getText() != null) {
            out.append(t.getText()).append('\n');
        }
        if (node instanceof Control c && c.getTooltip() != null && c.getTooltip().getText() != null) {
            out.append(c.getTooltip().getText()).append('\n');
        }
        if (node instanceof TableView<?> table) {
            tableText(table, out);
        }
        if (node instanceof TreeTableView<?> tree) {
            tree.getColumns().forEach(col -> out.append(col.getText()).append('\n'));
        }
        if (node instanceof ListView<?> list) {
            // Every item, not only the cells on screen: what scrolling would show.
            list.getItems().forEach(item -> out.append(item).append('\n'));
        }
        if (node instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                collect(child, out);
            }
        }
    }

    private static <S> void tableText(TableView<S> table, StringBuilder out) {
        List<TableColumn<S, ?>> leaves = table.getVisibleLeafColumns();
        for (TableColumn<S, ?> column : table.getColumns()) {
            out.append(column.getText()).append('\n');
        }
        // Every row's every column, not only the cells on screen: what scrolling would show.
        for (S item : table.getItems()) {
            for (TableColumn<S, ?> column : leaves) {
                Object value = column.getCellData(item);
                if (value != null) {
                    out.append(value).append('\n');
                }
            }
            out.append(item).append('\n');
        }
    }

    @Test
    void noSecretValueIsInTheWindowsTextAfterOverviewPodsWithEnvAndLogsAndEvents(FxRobot robot) throws Exception {
        Map<String, String> secrets = secretValues();
        assertThat(secrets).containsKeys("neo4j-auth/NEO4J_PASSWORD", "huggingface-token/HF_TOKEN");
        secrets.values().removeIf(v -> v.length() < 8); // a user name such as "neo4j" is not a secret worth the name
        assertThat(secrets).as("the password and the token are long enough to be searched for")
                .containsKeys("neo4j-auth/NEO4J_PASSWORD", "huggingface-token/HF_TOKEN");

        StringBuilder seen = new StringBuilder();

        // Overview: the fleet's health table.
        waitFor(30, () -> window.model().getState() == ConnectionState.CONNECTED && window.model().overview().isLoaded()
                && !window.model().overview().rows().isEmpty());
        String overview = sweep(robot);
        assertThat(overview).as("the overview lists the workloads").contains("neo4j", "orchestrator");
        seen.append(overview);

        // Pods: the neo4j pod's detail, whose env takes NEO4J_PASSWORD from neo4j-auth, and its log.
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        PodsViewModel pods = window.model().pods();
        waitFor(15, () -> window.model().getArea() == Area.PODS && pods.isLoaded()
                && pods.rows().stream().anyMatch(r -> r.workload().name().equals("neo4j")));
        PodRow neo4j = pods.rows().stream().filter(r -> r.workload().name().equals("neo4j")).findFirst().orElseThrow();
        robot.interact(() -> pods.reveal(neo4j.name()));
        waitFor(30, () -> robot.lookup(".env-secret").tryQuery().isPresent());
        String detail = sweep(robot);
        assertThat(detail).as("the detail names the secret the env comes from")
                .contains("NEO4J_PASSWORD from secret neo4j-auth / NEO4J_PASSWORD (value not shown)");
        seen.append(detail);

        robot.interact(() -> pods.openLogs(neo4j));
        waitFor(15, () -> !pods.logs().isEmpty());
        LogStreamControl log = pods.logs().get(0);
        waitFor(15, () -> !log.view().lines().isEmpty());
        String withLog = sweep(robot);
        String firstLine = WaitForAsyncUtils.asyncFx(() -> log.view().lines().get(0).text()).get(10, TimeUnit.SECONDS);
        assertThat(withLog).as("the sweep reads the log's lines").contains(firstLine);
        seen.append(withLog);

        // Events: the namespace's events.
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT7).release(KeyCode.DIGIT7, KeyCode.CONTROL);
        waitFor(15, () -> robot.lookup("#eventTable").tryQuery().isPresent()
                && !robot.lookup("#eventTable").queryTableView().getItems().isEmpty());
        String events = sweep(robot);
        assertThat(events).as("the events of the fleet's start are listed").contains("Scheduled");
        seen.append(events);

        // Back to the Overview, as the session ends.
        robot.clickOn("#nav-overview");
        waitFor(10, () -> robot.lookup("#healthTable").tryQuery().isPresent());
        seen.append(sweep(robot));

        String all = seen.toString();
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            String value = secret.getValue();
            String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
            int at = all.indexOf(value);
            assertThat(at).as("%s appears in clear: ...%s", secret.getKey(),
                    at < 0 ? "" : all.substring(Math.max(0, at - 200), Math.min(all.length(), at + 50))).isEqualTo(-1);
            assertThat(all).as("%s appears base64-encoded", secret.getKey()).doesNotContain(base64);
        }
    }
}
