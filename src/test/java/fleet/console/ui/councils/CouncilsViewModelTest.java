package fleet.console.ui.councils;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.councils.CouncilJobs;
import fleet.console.councils.OrchestratorCouncils;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.ui.StandInUiThread;
import fleet.console.ui.common.Severity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Councils area's view-model against the sandbox's orchestrator replicas, without a window. */
class CouncilsViewModelTest {

    private static final FleetProfile PROFILE = FleetProfile.defaults();
    private static Sandbox sandbox;
    private static ScheduledExecutorService background;
    private static StandInUiThread uiThread;
    private static ClusterSession session;
    private static final List<AuditEntry> journal = new CopyOnWriteArrayList<>();

    private CouncilsViewModel model;
    private OrchestratorCouncils councils;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(PROFILE, SandboxOptions.defaults());
        assertThat(sandbox.awaitFleetReady(Duration.ofSeconds(60))).isTrue();
        background = Executors.newScheduledThreadPool(3);
        uiThread = new StandInUiThread();
        session = ClusterConnector.withDefaultTimeout().connect(sandbox.clientConfig(), Sandbox.CONTEXT_NAME, sandbox.namespace(), true);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        session.close();
        background.shutdownNow();
        background.awaitTermination(5, TimeUnit.SECONDS);
        uiThread.close();
        sandbox.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        assertThat(sandbox.awaitFleetReady(Duration.ofSeconds(60))).isTrue();
        councils = new OrchestratorCouncils(session.client(), session.contextName(), session.namespace(), PROFILE, journal::add);
        councils.deleteAll();
        model = new CouncilsViewModel(s -> councils, background, uiThread, Duration.ofMillis(100));
    }

    @AfterEach
    void dispose() throws Exception {
        onUi(model::dispose);
    }

    private static <T> T onUi(Callable<T> work) throws Exception {
        return uiThread.call(work);
    }

    private static void onUi(Runnable work) throws Exception {
        uiThread.run(work);
    }

    private static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onUi(condition));
    }

    @Test
    void everyReplicaIsShownWithItsCouncilsAndTheConfigurationInForce() throws Exception {
        councils.initialise();
        onUi(() -> model.show(session));
        waitFor(() -> model.isLoaded() && model.rows().size() == 10);

        onUi(() -> everyReplicaAgrees(model));
    }

    private static void everyReplicaAgrees(CouncilsViewModel model) {
        assertThat(model.replicas()).hasSize(2).allSatisfy(r -> {
            assertThat(r.severity()).isEqualTo(Severity.OK);
            assertThat(r.state()).startsWith("healthy, up ");
            assertThat(r.councils()).isEqualTo(5);
        });
        assertThat(model.rows()).extracting(CouncilsViewModel.CouncilRow::replica).containsOnly(
                model.replicas().get(0).pod(), model.replicas().get(1).pod());
        assertThat(model.rows()).allSatisfy(r -> {
            assertThat(r.severity()).isEqualTo(Severity.OK);
            assertThat(r.agentCount()).isEqualTo("3");
            assertThat(r.agents()).contains("ready");
        });
        assertThat(model.disagreements()).isEmpty();
        assertThat(model.summaryProperty().get()).isEqualTo("10 councils on 2 of 2 replicas answering, in agreement.");
        assertThat(model.configurationProperty().get()).contains("model:").contains("VLLM_MODEL of ConfigMap service-urls");
        assertThat(model.roles()).containsExactly("DEV", "QA", "ARCHITECT", "DEVOPS", "DATA");
    }

    @Test
    void aReadOnlySessionShowsTheCouncilsButChangesNoneOfThem() throws Exception {
        councils.initialise();
        try (ClusterSession readOnly = ClusterConnector.withDefaultTimeout().readOnly(true)
                .connect(sandbox.clientConfig(), Sandbox.CONTEXT_NAME, sandbox.namespace(), true)) {
            onUi(() -> model.show(readOnly));
            waitFor(() -> model.isLoaded() && model.rows().size() == 10
                    && model.permits().refusalNow(CouncilsViewModel.CHANGE) != null);

            onUi(() -> {
                assertThat(model.permits().refusalNow(CouncilsViewModel.CHANGE)).contains("read-only mode is on");
                assertThat(model.permits().refusalNow(CouncilsViewModel.RUN_JOB)).contains("read-only mode is on");
                assertThat(model.permits().summaryProperty().get())
                        .isEqualTo("Read-only mode: change councils, run council Jobs disabled.");

                // gRPC goes through a port-forward, which a read-only client lets through: the view model refuses.
                model.deleteAll();
                model.deleteCouncil("DEV");
                model.runJob(fleet.console.councils.CouncilJobs.Kind.DELETE);

                assertThat(model.resultSummaryProperty().get()).startsWith("Running Job ").contains("refused, read-only mode is on");
                assertThat(model.busyProperty().get()).isFalse();
            });
            assertThat(councils.read().councilCount()).as("every council is still held by every replica").isEqualTo(10);
            assertThat(sandbox.client().batch().v1().jobs().withName(fleet.console.councils.CouncilJobs.Kind.DELETE.jobName()).get())
                    .as("no Job was created").isNull();
        }
    }

    @Test
    void aRestartedReplicaShowsUpAsDisagreementWithoutAskingAgain() throws Exception {
        councils.initialise();
        onUi(() -> model.show(session));
        waitFor(() -> model.rows().size() == 10);
        String restarted = onUi(() -> model.replicas().get(0).pod());

        sandbox.client().pods().withName(restarted).delete();

        waitFor(() -> model.disagreements().size() == 5 && model.replicas().stream().noneMatch(r -> r.pod().equals(restarted))
                && model.replicas().stream().allMatch(r -> r.severity() == Severity.OK));
        onUi(() -> restartedReplicaDisagrees(model));
    }

    private static void restartedReplicaDisagrees(CouncilsViewModel model) {
        String survivor = model.rows().stream().filter(CouncilsViewModel.CouncilRow::present).map(CouncilsViewModel.CouncilRow::replica)
                .findFirst().orElseThrow();
        String replacement = model.replicas().stream().map(CouncilsViewModel.ReplicaRow::pod).filter(p -> !p.equals(survivor)).findFirst().orElseThrow();
        assertThat(model.disagreements()).contains("DEV exists on " + survivor + ", missing on " + replacement);
        assertThat(model.rows()).filteredOn(r -> !r.present()).hasSize(5).allSatisfy(r -> {
            assertThat(r.replica()).isEqualTo(replacement);
            assertThat(r.severity()).isEqualTo(Severity.PROBLEM);
            assertThat(r.statusText()).isEqualTo("missing here");
        });
    }

    @Test
    void initThenDeleteReportPerRoleAndReplicaAndTheTableFollows() throws Exception {
        onUi(() -> model.show(session));
        waitFor(model::isLoaded);
        onUi(() -> {
            assertThat(model.rows()).isEmpty();
            assertThat(model.emptyTextProperty().get()).contains("No councils on any replica");
            model.initialise();
        });
        waitFor(() -> !model.isBusy());
        onUi(() -> {
            assertThat(model.rows()).as("the table shows what the init left once it is done").hasSize(10)
                    .allSatisfy(r -> assertThat(r.present()).isTrue());
            assertThat(model.results()).hasSize(10).allSatisfy(r -> assertThat(r).contains(": created ("));
            assertThat(model.resultSummaryProperty().get()).startsWith("Done: ");

            assertThat(model.deleteConsequences(java.util.Optional.empty())).contains("30 agents in all");
            model.deleteAll();
        });
        waitFor(() -> !model.isBusy() && model.rows().isEmpty() && model.results().size() == 10);
        onUi(() -> {
            assertThat(model.results()).allSatisfy(r -> assertThat(r).contains(": deleted (3 agents removed)"));
        });
    }

    @Test
    void badInputIsSaidAndNothingIsChanged() throws Exception {
        onUi(() -> model.show(session));
        waitFor(model::isLoaded);
        onUi(() -> model.createCouncil("QA", 0, PROFILE.councils().model(), "RAY_VLLM"));
        waitFor(() -> !model.isBusy() && model.resultSummaryProperty().get().contains("at least 1 agent"));
        onUi(() -> model.createCouncil("PM", 3, PROFILE.councils().model(), "RAY_VLLM"));
        waitFor(() -> !model.isBusy() && model.resultSummaryProperty().get().contains("'PM' is not a council role"));
        onUi(model::refresh);
        waitFor(() -> model.rows().isEmpty());
        assertThat(councils.read().councilCount()).isZero();
    }

    @Test
    void aChangedAgentCountIsExplainedAndReinitIsOffered() throws Exception {
        councils.initialise();
        onUi(() -> model.show(session));
        waitFor(() -> model.rows().size() == 10);
        onUi(() -> model.adviseChange(2, PROFILE.councils().model()));
        waitFor(() -> !model.isBusy() && model.reinitOfferedProperty().get());
        onUi(() -> {
            assertThat(model.adviceProperty().get()).contains("keep the agents and model they were created with");
            model.reinitialise(2, PROFILE.councils().model());
        });
        waitFor(() -> !model.isBusy() && model.rows().size() == 10 && model.rows().stream().allMatch(r -> r.agentCount().equals("2")));
        assertThat(onUi(() -> model.reinitOfferedProperty().get())).isFalse();
    }

    @Test
    void theInitJobsLogArrivesLineByLineAndItsVerdictIsShown() throws Exception {
        sandbox.client().batch().v1().jobs().withName(CouncilJobs.Kind.INIT.jobName()).delete();
        onUi(() -> model.show(session));
        waitFor(model::isLoaded);
        onUi(() -> model.runJob(CouncilJobs.Kind.INIT));
        waitFor(() -> !model.isBusy() && model.resultSummaryProperty().get().startsWith("Job orchestrator-init-councils: Complete"));
        onUi(() -> {
            assertThat(model.jobLog()).anySatisfy(l -> assertThat(l).contains("Council DEV"));
            assertThat(model.resultSummaryProperty().get()).contains("without --via-job");
        });
        waitFor(() -> model.disagreements().size() == 5);
    }
}
