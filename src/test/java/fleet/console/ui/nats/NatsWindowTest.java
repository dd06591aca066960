package fleet.console.ui.nats;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.messaging.ConsumerHealth;
import fleet.console.messaging.StreamRow;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.sandbox.process.ScratchDir;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.pods.PodsViewModel;
import fleet.console.ui.shell.Area;
import fleet.console.ui.shell.ConsoleWindow;
import fleet.console.ui.shell.ShellOptions;
import fleet.console.ui.shell.ShellServices;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
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
import java.util.List;
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
        auditFile = ScratchDir.create("nats-window-test").path().resolve("audit.jsonl");
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
        if (window != null) {
            FxToolkit.cleanupStages(); // skipped (no nats-server): no toolkit was started
        }
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        fleet.console.ui.SceneWait.until(seconds, condition);
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
        long before = stream("PLANNING_EVENTS").messages();
        publishTestMessage();
        robot.clickOn("#streamsTab");
        // Until the table shows this message too: "more than none" held while it still showed only the other
        // test's, and the dialog, which reads the server, then counted one more (cc39).
        waitFor(10, () -> stream("PLANNING_EVENTS").messages() == before + 1);
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

    private TableView<ConsumerHealth> consumerTable() {
        return robot.lookup("#consumerTable").queryTableView();
    }

    private void selectConsumer(String durable) throws Exception {
        robot.clickOn("#consumersTab");
        waitFor(15, () -> consumerTable().getItems().stream().anyMatch(c -> c.consumer().durable().equals(durable)));
        robot.interact(() -> consumerTable().getItems().stream().filter(c -> c.consumer().durable().equals(durable)).findFirst()
                .ifPresent(c -> consumerTable().scrollTo(c)));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.lookup("#consumerTable .table-row-cell").match((Node n) -> n instanceof TableRow<?> r
                && r.getItem() instanceof ConsumerHealth h && h.consumer().durable().equals(durable)).<Node>query());
        waitFor(5, () -> consumerTable().getSelectionModel().getSelectedItem() != null
                && consumerTable().getSelectionModel().getSelectedItem().consumer().durable().equals(durable));
    }

    @Test
    void theSelectedConsumersChartShowsItsReadingsAndGoToPodOpensItsServicesPods() throws Exception {
        selectConsumer("orch-planning-story-transitions");

        LineChart<Number, Number> chart = robot.lookup("#consumerChart").query();
        Label title = robot.lookup("#consumerChartTitle").queryAs(Label.class);
        // A reading every 3 s while shown: two readings of this consumer are two points on each line.
        waitFor(20, () -> chart.getData().get(0).getData().size() >= 2);
        assertThat(chart.getData()).extracting(XYChart.Series::getName).containsExactly("Unprocessed", "Ack pending");
        assertThat(title.getText()).startsWith("PLANNING_EVENTS > orch-planning-story-transitions: ");
        ConsumerHealth shown = consumerTable().getSelectionModel().getSelectedItem();
        List<XYChart.Data<Number, Number>> unprocessed = chart.getData().get(0).getData();
        assertThat(unprocessed.get(unprocessed.size() - 1).getXValue().doubleValue()).as("the last reading is at 0 minutes").isZero();
        assertThat(chart.getData().get(1).getData()).hasSameSizeAs(unprocessed);
        assertThat(chart.lookupAll(".chart-line-symbol")).as("points drawn").hasSizeGreaterThanOrEqualTo(4);
        assertThat(title.getText()).contains(String.format("%,d unprocessed", shown.consumer().unprocessed()));

        try {
            robot.clickOn("#goToPodButton");
            waitFor(10, () -> window.model().getArea() == Area.PODS);
            PodsViewModel pods = window.model().pods();
            assertThat(pods.workloadFilterProperty().get()).isEqualTo(new WorkloadRef("Deployment", "orchestrator"));
            waitFor(20, () -> !pods.shownRows().isEmpty());
            assertThat(pods.shownRows()).allSatisfy(p -> assertThat(p.workload()).isEqualTo(new WorkloadRef("Deployment", "orchestrator")));
            assertThat(robot.lookup("#podTable").tryQuery()).isPresent();
        } finally {
            robot.interact(() -> window.model().pods().clearFilters());
            robot.interact(() -> window.model().selectArea(Area.NATS));
            waitFor(10, () -> window.model().getArea() == Area.NATS);
        }
    }

    @Test
    void inReadOnlyModeTheNatsChangesAreDisabledSayingWhy() throws Exception {
        try {
            robot.interact(() -> window.model().readOnlyProperty().set(true));
            waitFor(30, () -> window.model().getSession() != null && window.model().getSession().readOnly());
            waitFor(30, () -> stream("PLANNING_EVENTS") != null);
            selectStream("PLANNING_EVENTS");
            for (String id : List.of("#publishButton", "#purgeButton", "#deleteStreamButton", "#deleteConsumerButton", "#recreateButton")) {
                Button b = robot.lookup(id).queryButton();
                assertThat(b.isDisabled()).as(id + " disabled").isTrue();
                assertThat(b.getTooltip().getText()).as(id + " says why").isEqualTo(NatsPermits.READ_ONLY);
            }
            // A disabled button shows no tooltip: the area says it in a line too.
            Label permits = robot.lookup("#natsPermits").queryAs(Label.class);
            assertThat(permits.isVisible()).isTrue();
            assertThat(permits.getText()).isEqualTo(NatsPermits.SUMMARY);
            // Reading stays possible: the port-forward goes through the read-only client.
            assertThat(robot.lookup("#lastMessagesButton").queryButton().isDisabled()).isFalse();
        } finally {
            robot.interact(() -> window.model().readOnlyProperty().set(false));
            waitFor(30, () -> window.model().getSession() != null && !window.model().getSession().readOnly());
            waitFor(30, () -> stream("PLANNING_EVENTS") != null && robot.lookup("#natsConnection").queryAs(StatusBadge.class)
                    .getText().startsWith("Connected"));
        }
        Button publish = robot.lookup("#publishButton").queryButton();
        waitFor(10, () -> !publish.isDisabled());
        assertThat(publish.getTooltip().getText()).startsWith("Publishes once");
        assertThat(robot.lookup("#recreateButton").queryButton().isDisabled()).isFalse();
        assertThat(robot.lookup("#natsPermits").queryAs(Label.class).isVisible()).isFalse();
    }
}
