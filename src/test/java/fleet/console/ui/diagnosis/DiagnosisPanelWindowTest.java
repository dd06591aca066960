package fleet.console.ui.diagnosis;

import fleet.console.diagnosis.DiagnosisOptions;
import fleet.console.diagnosis.DiagnosisReport;
import fleet.console.diagnosis.DiagnosisService;
import fleet.console.diagnosis.Fix;
import fleet.console.diagnosis.LinkedNats;
import fleet.console.diagnosis.RegistryLookup;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.shell.ConsoleWindow;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
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

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Diagnosis panel in a headless window on the sandbox with the runbook's Issue A injected (two
 * orchestrator versions overlapping on a push durable): the crashing pod's cause, the log line that proves
 * it with its source, and the safe redeploy one click away, handed to the shell rather than run here.
 */
@ExtendWith(ApplicationExtension.class)
class DiagnosisPanelWindowTest {

    private static final String NS = "swe-ai-fleet";

    private static Sandbox sandbox;
    private static KubernetesClient client;
    private static DiagnosisService service;
    private static ExecutorService background;
    private static String crashingPod;
    private static final List<Fix.RunbookFix> started = new CopyOnWriteArrayList<>();
    private static final List<String> copied = new CopyOnWriteArrayList<>();

    private DiagnosisViewModel model;

    @BeforeAll
    static void startSandbox() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withRegistry(false));
        if (sandbox.natsUrl().isEmpty()) {
            sandbox.close();
            Assumptions.assumeTrue(false, "nats-server is not installed: sudo apt-get install -y nats-server");
        }
        client = new KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build();
        background = Executors.newFixedThreadPool(2);
        Clock clock = Clock.systemUTC();
        service = new DiagnosisService(client, "sandbox", NS, sandbox.profile(),
                new LinkedNats(() -> NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(5)), clock),
                RegistryLookup.none(), DiagnosisOptions.defaults(), background, clock, e -> { });
        assertThat(sandbox.awaitFleetReady(Duration.ofSeconds(180))).as("the fleet comes up").isTrue();
        assertThat(sandbox.injectOnceReady(List.of(Fault.parse("double-bind=orchestrator")), Duration.ofSeconds(120)))
                .as("the double bind shows").isTrue();
        AtomicReference<String> pod = new AtomicReference<>();
        assertThat(sandbox.await(c -> {
            DiagnosisReport r = service.namespaceNow();
            r.diagnoses().stream().filter(d -> d.rule().equals("consumer-already-bound") && d.subject().isPod())
                    .findFirst().ifPresent(d -> pod.set(d.subject().name()));
            return pod.get() != null;
        }, Duration.ofSeconds(90))).as("the overlap crashes an orchestrator pod").isTrue();
        crashingPod = pod.get();
    }

    @AfterAll
    static void stopSandbox() throws InterruptedException {
        if (service != null) {
            service.close();
        }
        if (client != null) {
            client.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (background != null) {
            background.shutdown();
            background.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Start
    void start(Stage stage) {
        model = new DiagnosisViewModel(service::podInContextNow, background, new FxBatcher(), started::add, copied::add);
        Scene scene = new Scene(DiagnosisView.load(model), 900, 700);
        scene.getStylesheets().setAll(ConsoleWindow.class.getResource(ConsoleWindow.THEME_CSS).toExternalForm(),
                ConsoleWindow.class.getResource(ConsoleWindow.CONSOLE_CSS).toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void theCrashingPodShowsItsCauseTheLogLineWithItsSourceAndTheSafeRedeployOneClickAway(FxRobot robot) throws Exception {
        // Chosen while it crashed; between two crashes it runs for a moment, and a pod running again says no
        // symptom (cc34). Selected once it waits in its back-off, as an operator sees it in the table.
        assertThat(sandbox.await(c -> {
            var pod = c.pods().inNamespace(NS).withName(crashingPod).get();
            return pod != null && pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                    && pod.getStatus().getContainerStatuses().stream().anyMatch(s -> s.getState() != null && s.getState().getWaiting() != null
                    && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason()));
        }, Duration.ofSeconds(90))).as(crashingPod + " waits in CrashLoopBackOff").isTrue();
        robot.interact(() -> model.select(crashingPod, java.util.Optional.of(new fleet.console.cluster.pods.WorkloadRef("Deployment", "orchestrator"))));
        // The read runs in the background (the pod's logs and events, NATS): on a loaded machine that takes a while.
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> model.getState() != DiagnosisViewModel.State.READING);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.getState()).as(model.headlineProperty().get()).isEqualTo(DiagnosisViewModel.State.DIAGNOSED);

        // The cause in the list, chosen with a click (another, weaker cause may be listed beside it).
        String cause = "Push durable bound twice (consumer is already bound)";
        robot.clickOn(robot.lookup(".list-cell").match((javafx.scene.Node n) -> n instanceof javafx.scene.control.ListCell<?> c
                && c.getGraphic() instanceof StatusBadge b && cause.equals(b.getText())).<javafx.scene.Node>query());
        WaitForAsyncUtils.waitForFxEvents();
        StatusBadge badge = robot.lookup("#causeBadge").query();
        assertThat(badge.getText()).isEqualTo(cause);
        assertThat(badge.getSeverity()).isEqualTo(fleet.console.ui.common.Severity.PROBLEM);
        assertThat(robot.lookup("#diagnosisHeadline").queryAs(Label.class).getText()).startsWith("pod/" + crashingPod + ": ");
        assertThat(robot.lookup("#causeExplanation").queryAs(Label.class).getText()).contains("deliberation-collector-completed");

        TableView<DiagnosisViewModel.EvidenceRow> evidence = robot.lookup("#evidenceTable").queryTableView();
        assertThat(evidence.getItems()).anySatisfy(row -> {
            assertThat(row.origin()).isEqualTo("log line");
            assertThat(row.text()).contains("consumer is already bound to a subscription");
            assertThat(row.where()).startsWith("pod/" + crashingPod + " container orchestrator");
        });

        Button fix = robot.lookup("#fixButton").queryButton();
        assertThat(fix.getText()).isEqualTo("Run redeploy for orchestrator");
        robot.clickOn(fix);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(started).hasSize(1);
        assertThat(started.get(0).runbook()).isEqualTo("redeploy");
        assertThat(started.get(0).options().service()).contains("orchestrator");
        assertThat(started.get(0).options().skipBuild()).as("redeploys the image it runs, no build").isTrue();
        assertThat(robot.lookup("#diagnosisNotice").queryAs(Label.class).getText()).startsWith("Started the redeploy runbook for orchestrator");

        robot.clickOn("#copyFixButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(copied).last().asString().startsWith("fleet-console runbook redeploy --service orchestrator --skip-build");
        assertThat(started).as("copying runs nothing").hasSize(1);

        // Filtering the evidence to the log line and pressing Enter copies the command that shows it.
        robot.clickOn("#evidenceFilter").write("already bound");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(evidence.getItems()).isNotEmpty().allSatisfy(r -> assertThat(r.text()).contains("already bound"));
        robot.interact(() -> {
            evidence.getSelectionModel().select(0);
            evidence.requestFocus();
        });
        robot.type(javafx.scene.input.KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(copied).last().asString().startsWith("kubectl logs -n swe-ai-fleet " + crashingPod + " -c orchestrator");
    }
}
