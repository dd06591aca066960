package fleet.console.ui.nats;

import fleet.console.cluster.ClusterConnector;
import fleet.console.messaging.ConsumerHealth;
import fleet.console.messaging.StreamRow;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.shell.Area;
import fleet.console.ui.shell.ConsoleWindow;
import fleet.console.ui.shell.ShellOptions;
import fleet.console.ui.shell.ShellServices;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NATS area in the console's window, headless, on the sandbox with its real nats-server, reached
 * the way a real cluster's NATS is: a port-forward through the API server. The window is opened once
 * for the class; the sandbox's event trickle is off, so only the test moves the counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsWindowTest {

    private FleetSandbox sandbox;
    private ScheduledExecutorService background;
    private Path auditFile;
    private ConsoleWindow window;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    void openWindowOnTheSandbox() throws Exception {
        sandbox = FleetSandbox.start(SandboxOptions.defaults().withRegistry(false).withEventTrickle(false));
        Assumptions.assumeTrue(sandbox.sandbox().natsUrl().isPresent(),
                "nats-server is not installed: sudo apt-get install -y nats-server (scripts/test installs it)");
        background = Executors.newScheduledThreadPool(4);
        auditFile = Files.createTempDirectory("nats-window-test").resolve("audit.jsonl");
        FxToolkit.registerPrimaryStage();
        AtomicReference<ConsoleWindow> opened = new AtomicReference<>();
        FxToolkit.setupStage(stage -> {
            ShellServices services = new ShellServices(ClusterConnector.withDefaultTimeout(), auditFile.resolveSibling("no-kubeconfig"),
                    sandbox::handle, FleetSandbox.health(), background, new FxBatcher()).withAuditFile(auditFile);
            opened.set(ConsoleWindow.open(stage, services, ShellOptions.defaults()));
            stage.show();
        });
        window = opened.get();
        waitFor(20, () -> window.model().getSession() != null);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT4).release(KeyCode.DIGIT4, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().getArea()).isEqualTo(Area.NATS);
        waitFor(30, () -> !streamTable().getItems().isEmpty() && stream("PLANNING_EVENTS") != null);
    }

    @AfterAll
    void close() throws Exception {
        if (sandbox == null) {
            return;
        }
        FleetSandbox.stopThenDispose(sandbox, background, () -> {
            if (window != null) {
                window.dispose();
            }
        });
        FxToolkit.cleanupStages();
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private TableView<StreamRow> streamTable() {
        return robot.lookup("#streamTable").queryTableView();
    }

    private StreamRow stream(String name) {
        return streamTable().getItems().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    private void selectStream(String name) throws Exception {
        robot.clickOn("#streamsTab");
        robot.clickOn(robot.lookup("#streamTable .table-row-cell").match((Node n) -> n instanceof TableRow<?> r
                && r.getItem() instanceof StreamRow s && s.name().equals(name)).<Node>query());
        waitFor(5, () -> name.equals(streamTable().getSelectionModel().getSelectedItem() == null ? null
                : streamTable().getSelectionModel().getSelectedItem().name()));
    }

    private void publishTestMessage() throws Exception {
        robot.clickOn("#publishTab");
        robot.lookup("#publishSubject").queryTextInputControl().setText("planning.story.transitioned");
        robot.interact(() -> robot.lookup("#publishPayload").queryTextInputControl().setText("{\"story_id\":\"test-001\"}"));
        robot.clickOn("#publishButton");
        waitFor(15, () -> robot.lookup("#publishResult").queryAs(StatusBadge.class).getText().startsWith("Published"));
    }

    @Test
    void showsTheFleetsStreamsAsDeclaredWithTheServicesDurablesAndTheConnection() throws Exception {
        assertThat(streamTable().getItems()).extracting(StreamRow::name)
                .containsExactlyInAnyOrder("AGENT_REQUESTS", "AGENT_RESPONSES", "CONTEXT", "ORCHESTRATOR_EVENTS", "PLANNING_EVENTS");
        StatusBadge connection = robot.lookup("#natsConnection").queryAs(StatusBadge.class);
        assertThat(connection.getText()).isEqualTo("Connected to NATS at svc/nats:4222 in swe-ai-fleet (port-forward)");
        assertThat(connection.icon().getStyleClass()).contains("ok");

        selectStream("PLANNING_EVENTS");
        TableView<ConsumerHealth> consumers = robot.lookup("#streamConsumerTable").queryTableView();
        waitFor(10, () -> !consumers.getItems().isEmpty());
        assertThat(consumers.getItems()).extracting(c -> c.consumer().durable()).contains("orch-planning-story-transitions");
        assertThat(consumers.getItems()).allSatisfy(c -> assertThat(c.consumer().stream()).isEqualTo("PLANNING_EVENTS"));

        robot.clickOn("#driftTab");
        assertThat(robot.lookup("#driftSummary").queryAs(StatusBadge.class).getText())
                .isEqualTo("The server has exactly the 5 declared streams, as declared.");

        // The filter narrows the streams by name or subject.
        robot.clickOn("#streamsTab");
        robot.clickOn("#streamFilter").write("agent.");
        waitFor(5, () -> streamTable().getItems().size() == 2);
        assertThat(streamTable().getItems()).extracting(StreamRow::name).containsExactly("AGENT_REQUESTS", "AGENT_RESPONSES");
        robot.interact(() -> robot.lookup("#streamFilter").queryTextInputControl().clear());
        waitFor(5, () -> streamTable().getItems().size() == 5);
    }

    @Test
    void aTestPublishSaysWhereItWentAndTheStreamsMessageCountGoesUp() throws Exception {
        long before = stream("PLANNING_EVENTS").messages();

        publishTestMessage();

        String result = robot.lookup("#publishResult").queryAs(StatusBadge.class).getText();
        assertThat(result).startsWith("Published to planning.story.transitioned: stream PLANNING_EVENTS, sequence ");
        robot.clickOn("#streamsTab");
        waitFor(10, () -> stream("PLANNING_EVENTS").messages() == before + 1);
    }

    @Test
    void purgeAsksFirstShowingTheMessageCountThenEmptiesTheStream() throws Exception {
        publishTestMessage();
        robot.clickOn("#streamsTab");
        waitFor(10, () -> stream("PLANNING_EVENTS").messages() > 0);
        selectStream("PLANNING_EVENTS");
        long count = stream("PLANNING_EVENTS").messages();
        long consumers = stream("PLANNING_EVENTS").consumers();

        robot.clickOn("#purgeButton");
        waitFor(10, () -> robot.lookup("#confirmNumbers").tryQuery().isPresent());
        String numbers = robot.lookup("#confirmNumbers").queryAs(Label.class).getText();
        assertThat(numbers).contains(String.format("Messages: %,d", count))
                .contains(String.format("Consumers: %,d (kept", consumers)).contains("Bytes: ");
        assertThat(robot.lookup("#confirmSummary").queryAs(Label.class).getText())
                .startsWith(String.format("Purging PLANNING_EVENTS destroys %,d messages", count));
        assertThat(stream("PLANNING_EVENTS").messages()).as("nothing purged before the yes").isEqualTo(count);

        robot.clickOn("#confirmButton");
        waitFor(15, () -> stream("PLANNING_EVENTS").messages() == 0);
        assertThat(robot.lookup("#confirmNumbers").tryQuery()).as("the dialog is gone").isEmpty();
        assertThat(robot.lookup("#natsActionResult").queryAs(StatusBadge.class).getText())
                .startsWith(String.format("Purged PLANNING_EVENTS: %,d messages", count));
        assertThat(Files.readString(auditFile)).contains("\"action\":\"nats stream purge\"").contains("PLANNING_EVENTS");
    }
}
