package fleet.console.ui.runbooks;

import fleet.console.cluster.ClusterConnector;
import fleet.console.messaging.JetStreamInventory;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.messaging.StreamRow;
import fleet.console.profile.StreamSpec;
import fleet.console.runbook.RunEvent;
import fleet.console.runbook.RunStore;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.sandbox.process.ScratchDir;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.logs.LogEntry;
import fleet.console.ui.shell.Area;
import fleet.console.ui.shell.ConnectionState;
import fleet.console.ui.shell.ConsoleWindow;
import fleet.console.ui.shell.ShellOptions;
import fleet.console.ui.shell.ShellServices;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NATS clean slate from the Runbooks area of the console's window, headless, on the sandbox with the
 * real nats-server: the operator reads the plan with its commands, types the confirmation, runs it,
 * watches each step turn succeeded with log lines in the tail, and the declared streams exist again.
 */
@ExtendWith(ApplicationExtension.class)
class RunbooksAreaTest {

    private static FleetSandbox sandbox;
    private static ScheduledExecutorService background;
    private static Path dir;
    private static ConsoleWindow window;

    @BeforeAll
    static void startSandbox() throws Exception {
        sandbox = FleetSandbox.start(SandboxOptions.defaults().withRegistry(false));
        Assumptions.assumeTrue(sandbox.sandbox().natsUrl().isPresent(), "nats-server is not installed: sudo apt-get install -y nats-server");
        background = Executors.newScheduledThreadPool(4);
        dir = ScratchDir.create("runbooks-area-test").path();
    }

    @AfterAll
    static void stopSandbox() {
        if (sandbox != null) {
            FleetSandbox.stopThenDispose(sandbox, background, () -> {
                if (window != null) {
                    window.dispose();
                }
            });
        }
    }

    @Start
    void start(Stage stage) {
        ShellServices services = new ShellServices(ClusterConnector.withDefaultTimeout(), dir.resolve("no-kubeconfig"),
                sandbox::handle, FleetSandbox.health(), background, new FxBatcher()).withAuditFile(dir.resolve("audit.jsonl"));
        window = ConsoleWindow.open(stage, services, ShellOptions.defaults());
        window.model().runbooks().useSetup(RunSetup.standard(FleetSandbox.PROFILE, new RunStore(dir.resolve("runs")),
                dir.resolve("audit.jsonl")));
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        fleet.console.ui.SceneWait.until(seconds, condition);
    }

    private static RunWizardViewModel wizard() {
        return window.model().runbooks().wizard();
    }

    private static StatusBadge badgeOf(FxRobot robot, String stepId) {
        return robot.lookup("#step-" + stepId + " .status-badge").queryAs(StatusBadge.class);
    }

    @Test
    void theNatsCleanSlateRunsFromTheWizardStepByStepAndTheDeclaredStreamsExistAgain(FxRobot robot) throws Exception {
        waitFor(20, () -> window.model().getState() == ConnectionState.CONNECTED);
        robot.press(KeyCode.CONTROL, KeyCode.getKeyCode(Integer.toString(Area.RUNBOOKS.shortcutDigit())))
                .release(KeyCode.getKeyCode(Integer.toString(Area.RUNBOOKS.shortcutDigit())), KeyCode.CONTROL);
        waitFor(10, () -> window.model().getArea() == Area.RUNBOOKS && robot.lookup("#runbook-nats-clean-slate").tryQuery().isPresent());

        // The list says what each runbook does; choosing one shows its plan.
        Label summary = robot.lookup("#runbook-nats-clean-slate .runbook-summary").queryAs(Label.class);
        assertThat(summary.getText()).contains("delete and recreate the declared streams");
        robot.clickOn("#runbook-nats-clean-slate");
        waitFor(30, () -> wizard().getPhase() == RunWizardViewModel.Phase.PLANNED);
        assertThat(robot.lookup("#planTitle").queryAs(Label.class).getText()).isEqualTo("NATS clean slate");
        assertThat(robot.lookup("#destroysText").queryAs(Label.class).getText()).startsWith("This destroys: ").contains("messages")
                .contains("streams");
        Button run = robot.lookup("#runButton").queryButton();
        assertThat(run.isDisabled()).as("Run waits for the name typed back").isTrue();

        // Every step with why and its commands: the deletion's are nats commands.
        ListView<?> stepList = robot.lookup("#stepList").queryAs(ListView.class);
        robot.interact(() -> stepList.scrollTo(wizard().steps().indexOf(wizard().step("delete-streams").orElseThrow())));
        WaitForAsyncUtils.waitForFxEvents();
        Node cellNode = robot.lookup("#step-delete-streams").query();
        String where = "list " + stepList.localToScreen(stepList.getBoundsInLocal()) + " cell " + cellNode.localToScreen(cellNode.getBoundsInLocal())
                + " split " + robot.lookup("#stepLog").query().localToScreen(robot.lookup("#stepLog").query().getBoundsInLocal())
                + " podlog " + robot.lookup("#podLog").query().localToScreen(robot.lookup("#podLog").query().getBoundsInLocal())
                + " window " + stepList.getScene().getWindow().getX() + "," + stepList.getScene().getWindow().getY() + " "
                + stepList.getScene().getWidth() + "x" + stepList.getScene().getHeight();
        robot.clickOn("#step-delete-streams");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#stepTitle").queryAs(Label.class).getText()).as(where).contains("Delete the streams");
        assertThat(robot.lookup("#stepWhy").queryAs(Label.class).getText()).startsWith("Why: ");
        assertThat(robot.lookup("#stepCommands").queryAs(TextArea.class).getText()).contains("nats stream rm");
        assertThat(wizard().steps()).allMatch(s -> !s.commands().isEmpty() && !s.why().isBlank());

        // On a context marked as production the same plan asks a second question, naming the context, before
        // its first step (the shell marks only real contexts; here the flag is set on the sandbox's wizard).
        robot.interact(() -> wizard().productionProperty().set(true));
        Node productionBox = robot.lookup("#productionBox").query();
        javafx.scene.control.TextField productionField = robot.lookup("#productionConfirmField").queryAs(javafx.scene.control.TextField.class);
        assertThat(productionBox.isVisible()).isTrue();
        assertThat(robot.lookup("#productionPrompt").queryAs(Label.class).getText())
                .contains("Context sandbox is marked as PRODUCTION").contains("'sandbox'");
        assertThat(productionField.isDisabled()).as("asked once the first question is answered").isTrue();
        robot.clickOn("#confirmField").write("nats-clean-slate");
        waitFor(5, () -> !productionField.isDisabled());
        assertThat(run.isDisabled()).as("the runbook's name alone does not run it on production").isTrue();
        robot.clickOn(productionField).write("sandbox");
        waitFor(5, () -> !run.isDisabled());
        robot.interact(() -> {
            wizard().productionConfirmationProperty().set("");
            wizard().productionProperty().set(false);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(productionBox.isVisible()).isFalse();
        waitFor(5, () -> !run.isDisabled());
        assertThat(run.getTooltip().getText()).contains("Run the plan step by step");

        // Watched as it goes: the steps the list shows turn succeeded one after the other.
        Set<String> seenRunning = ConcurrentHashMap.newKeySet();
        List<String> tailWhileRunning = new java.util.concurrent.CopyOnWriteArrayList<>();
        // The pods' tail switches as the steps change: to the pods each touches.
        List<String> podTailTitles = new java.util.concurrent.CopyOnWriteArrayList<>();
        wizard().podLog().titleProperty().addListener((o, old, now) -> {
            if (wizard().getPhase() == RunWizardViewModel.Phase.RUNNING) {
                podTailTitles.add(now);
            }
        });
        wizard().steps().forEach(s -> s.stateProperty().addListener((o, old, now) -> {
            if (now == StepState.RUNNING) {
                seenRunning.add(s.id());
            }
        }));
        wizard().log().lines().addListener((javafx.collections.ListChangeListener<LogEntry>) c -> {
            while (c.next()) {
                if (wizard().getPhase() == RunWizardViewModel.Phase.RUNNING) {
                    c.getAddedSubList().forEach(e -> tailWhileRunning.add(wizard().log().prefixOf(e) + e.text()));
                }
            }
        });
        // Any run counts as long here: its end is notified.
        robot.interact(() -> wizard().notifyAfterProperty().set(Duration.ZERO));
        robot.clickOn(run);
        waitFor(60, () -> wizard().getPhase() == RunWizardViewModel.Phase.FINISHED);
        assertNotified(robot);
        assertThat(wizard().getOutcome()).as(wizard().getProblem()).isEqualTo(RunEvent.Outcome.SUCCEEDED);
        assertThat(wizard().steps()).allMatch(s -> s.getState() == StepState.SUCCEEDED);
        assertThat(seenRunning).containsAll(wizard().steps().stream().map(StepItem::id).toList());
        // Log lines arrived in the tail while the steps ran, each marked with its step.
        assertThat(tailWhileRunning).as(String.join("\n", tailWhileRunning))
                .anyMatch(l -> l.matches("step \\d+.*orchestrator runs 2 replica\\(s\\)"))
                .anyMatch(l -> l.matches("step \\d+.*Created: " + FleetSandbox.PROFILE.streams().size() + " .*"));
        assertThat(podTailTitles).as(String.join("\n", podTailTitles))
                .anyMatch(t -> t.startsWith("Pods of deployment/orchestrator (") && t.contains("Wait until orchestrator is Ready"))
                .anyMatch(t -> t.startsWith("Pods of statefulset/nats (") && t.contains("Delete the streams"));
        // After the run the tail follows the last step's pods (every NATS service's): their own lines arrive,
        // each with its pod's name, the orchestrator's startup among them.
        ListView<?> podTail = robot.lookup("#podLog .log-lines").queryAs(ListView.class);
        assertThat(wizard().podTailFollowing()).containsExactlyElementsOf(FleetSandbox.PROFILE.servicesWithNatsConsumers().stream()
                .map(sv -> "deployment/" + sv.name()).toList());
        try {
            waitFor(15, () -> podTail.getItems().stream().map(e -> (LogEntry) e)
                    .anyMatch(e -> wizard().podLog().prefixOf(e).startsWith("orchestrator-") && e.text().contains("All NATS consumers started")));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("pod tail '" + wizard().podLog().titleProperty().get() + "' status '"
                    + wizard().podLog().statusProperty().get() + "': " + podTail.getItems().stream()
                    .map(x -> wizard().podLog().prefixOf((LogEntry) x) + " " + ((LogEntry) x).text()).toList());
        }
        StatusBadge outcome = robot.lookup("#runOutcome").queryAs(StatusBadge.class);
        assertThat(outcome.getText()).isEqualTo("Succeeded");
        assertThat(outcome.icon().getStyleClass()).contains("ok");

        // Every step cell on screen shows it: icon, colour and words.
        ListView<?> steps = robot.lookup("#stepList").queryAs(ListView.class);
        for (StepItem s : wizard().steps()) {
            robot.interact(() -> steps.scrollTo(wizard().steps().indexOf(s)));
            WaitForAsyncUtils.waitForFxEvents();
            StatusBadge badge = badgeOf(robot, s.id());
            assertThat(badge.getText()).as(s.id()).isEqualTo("Succeeded");
            assertThat(badge.icon().getStyleClass()).as(s.id()).contains("ok");
            assertThat(s.getElapsed()).as(s.id()).matches("\\d+\\.\\d s");
        }

        // The last step's lines are in the log view: each NATS service owns its consumers again.
        ListView<?> tail = robot.lookup("#stepLog .log-lines").queryAs(ListView.class);
        try {
            waitFor(5, () -> tail.getItems().stream().map(e -> ((LogEntry) e).text()).anyMatch(t -> t.contains("consumer(s)")));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("tail: " + tail.getItems().stream().map(x -> ((LogEntry) x).text()).toList() + " shown "
                    + wizard().shownStepProperty().get().id() + " title " + wizard().log().titleProperty().get());
        }
        // Choosing a step shows only its lines.
        robot.interact(() -> steps.scrollTo(wizard().steps().indexOf(wizard().step("create-streams").orElseThrow())));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#step-create-streams");
        try {
            waitFor(5, () -> wizard().shownStepProperty().get().id().equals("create-streams")
                    && tail.getItems().stream().map(e -> ((LogEntry) e).text()).anyMatch(t -> t.startsWith("Created: ")));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("tail: " + tail.getItems().stream().map(x -> ((LogEntry) x).text()).toList() + " shown "
                    + wizard().shownStepProperty().get().id() + " lines " + wizard().shownStepProperty().get().lines()
                    + " title " + wizard().log().titleProperty().get());
        }

        try (NatsLink nats = NatsLink.open(NatsTarget.InCluster.fleet(FleetSandbox.NAMESPACE), sandbox.client(), Duration.ofSeconds(5))) {
            List<String> streams = new JetStreamInventory(nats.management()).streams().stream().map(StreamRow::name).toList();
            assertThat(streams).containsExactlyInAnyOrderElementsOf(FleetSandbox.PROFILE.streams().stream().map(StreamSpec::name).toList());
        }
        assertThat(sandbox.client().apps().deployments().inNamespace(FleetSandbox.NAMESPACE).withName("orchestrator").get()
                .getSpec().getReplicas()).as("orchestrator back to its 2 replicas").isEqualTo(2);

        // Read-only mode (Console > Read-only mode): the changing runbook's Run is disabled, the reason in its tooltip.
        robot.interact(() -> window.model().readOnlyProperty().set(true));
        try {
            waitFor(30, () -> window.model().getState() == ConnectionState.CONNECTED && window.model().isReadOnly()
                    && wizard().runRefusalProperty().get() != null);
            Button runNow = robot.lookup("#runButton").queryButton();
            assertThat(runNow.isDisabled()).isTrue();
            assertThat(runNow.getTooltip().getText()).contains("read-only mode is on");
            // A disabled button shows no tooltip: the wizard says it in words too.
            Label refusal = robot.lookup("#runRefusal").queryAs(Label.class);
            assertThat(refusal.isVisible()).isTrue();
            assertThat(refusal.getText()).startsWith("Run is disabled: ").contains("read-only mode is on");
            // The health check only reads: it runs in read-only mode too.
            robot.interact(() -> window.model().runbooks().select("health"));
            waitFor(30, () -> wizard().getPhase() == RunWizardViewModel.Phase.PLANNED && "health".equals(wizard().runbookNameProperty().get()));
            assertThat(runNow.isDisabled()).isFalse();
            assertThat(refusal.isVisible()).as("health only reads").isFalse();
        } finally {
            robot.interact(() -> window.model().readOnlyProperty().set(false));
        }
    }

    /**
     * A run of the configured length ends with a notification: ControlsFX's popup over the window where a
     * screen can show it, and always the same words in the wizard.
     */
    private static void assertNotified(FxRobot robot) throws Exception {
        waitFor(10, () -> robot.lookup("#runNotice").tryQuery().map(Node::isVisible).orElse(false));
        assertThat(robot.lookup("#runNotice").queryAs(Label.class).getText())
                .matches("NATS clean slate \\(nats-clean-slate\\) succeeded after \\d+\\.\\d s on sandbox / swe-ai-fleet\\.");
        // ControlsFX's notification popup, over the window's corner, with the same words.
        waitFor(10, () -> robot.listWindows().stream().filter(javafx.stage.Window::isShowing)
                .map(w -> w.getScene().getRoot().lookupAll(".notification-bar")).anyMatch(nodes -> !nodes.isEmpty()));
        List<String> shown = robot.listWindows().stream().filter(javafx.stage.Window::isShowing)
                .flatMap(w -> w.getScene().getRoot().lookupAll(".label").stream()).filter(n -> n instanceof Label)
                .map(n -> ((Label) n).getText()).filter(java.util.Objects::nonNull).toList();
        assertThat(shown).anyMatch(t -> t.contains("Runbook nats-clean-slate succeeded"));
        robot.interact(() -> wizard().notifyAfterProperty().set(RunWizardViewModel.NOTIFY_AFTER));
    }
}
