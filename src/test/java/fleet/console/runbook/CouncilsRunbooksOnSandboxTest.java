package fleet.console.runbook;

import fleet.console.audit.AuditEntry;
import fleet.console.councils.CouncilJobs;
import fleet.console.councils.CouncilsSnapshot;
import fleet.console.councils.OrchestratorCouncils;
import fleet.console.councils.ReplicaCouncils;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.FaultKind;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runbook's council procedures, councils-init and councils-delete, end to end on the sandbox: the
 * orchestrator replicas are asked afterwards through their own port-forwards, not the run's words.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CouncilsRunbooksOnSandboxTest {

    private static final FleetProfile PROFILE = FleetProfile.defaults();
    private static final List<String> ROLES = List.of("DEV", "QA", "ARCHITECT", "DEVOPS", "DATA");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private Sandbox sandbox;
    private KubernetesClient client;
    private OrchestratorCouncils councils;
    private final List<AuditEntry> journal = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(PROFILE, SandboxOptions.defaults().withRegistry(false));
        assertThat(sandbox.awaitFleetReady(WAIT)).isTrue();
        client = new KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build();
        councils = new OrchestratorCouncils(client, Sandbox.CONTEXT_NAME, sandbox.namespace(), PROFILE, journal::add);
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void emptyOrchestrator() throws Exception {
        sandbox.clearFaults();
        assertThat(sandbox.awaitFleetReady(WAIT)).isTrue();
        councils.deleteAll();
        journal.clear();
    }

    private RunContext context(RunOptions options) {
        return new RunContext(client, Sandbox.CONTEXT_NAME, sandbox.namespace(), PROFILE, options,
                () -> {
                    throw new IllegalStateException("the council runbooks do not use NATS");
                }, journal::add, Clock.systemUTC());
    }

    private Runbook plan(String name, RunOptions options) throws StepFailure {
        return Runbooks.named(name).orElseThrow().planner().plan(context(options));
    }

    private RunRecord run(Runbook rb, RunOptions options, Path dir, List<RunEvent> events) throws Exception {
        return new RunbookEngine(new RunStore(dir), journal::add, Clock.systemUTC()).run(rb, context(options), events::add);
    }

    private static List<String> log(List<RunEvent> events) {
        return events.stream().filter(e -> e instanceof RunEvent.LogLine).map(e -> ((RunEvent.LogLine) e).line()).toList();
    }

    private List<String> pods() {
        return sandbox.client().pods().inNamespace(sandbox.namespace()).withLabel("app", "orchestrator").list().getItems().stream()
                .filter(p -> p.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getKind().equals("ReplicaSet")))
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    @Test
    void bothAreNamedWithStepsThatSayWhyWhatAndTheEquivalentCommands() throws Exception {
        assertThat(Runbooks.all()).extracting(Runbooks.Entry::name).contains("councils-init", "councils-delete");
        for (String name : List.of("councils-init", "councils-delete")) {
            for (RunOptions options : List.of(RunOptions.none(), RunOptions.none().withViaJob(true))) {
                Runbook rb = plan(name, options);
                List<RunbookEngine.PlannedStep> planned = RunbookEngine.dryRun(rb, context(options));
                assertThat(planned).hasSizeGreaterThanOrEqualTo(2).allSatisfy(s -> {
                    assertThat(s.title()).isNotBlank();
                    assertThat(s.why()).isNotBlank();
                    assertThat(s.does()).isNotBlank();
                    assertThat(s.commands()).isNotEmpty();
                });
                assertThat(planned.get(0).id()).isEqualTo("orchestrator-answers");
                String job = name.equals("councils-init") ? CouncilJobs.Kind.INIT.jobName() : CouncilJobs.Kind.DELETE.jobName();
                if (options.viaJob()) {
                    assertThat(planned.get(1).commands()).anySatisfy(c -> assertThat(c).contains("kubectl logs -f job/" + job));
                } else {
                    assertThat(planned.get(1).commands()).anySatisfy(c -> assertThat(c).contains("kubectl port-forward"));
                }
            }
        }
        assertThat(plan("councils-init", RunOptions.none()).destroys()).as("init destroys nothing").isEmpty();
        assertThat(journal).as("planning and a dry run change nothing").isEmpty();
        assertThat(councils.read().councilCount()).isZero();
    }

    @Test
    void initCreatesEveryRoleOnEveryReplicaAndASecondInitKeepsThem(@TempDir Path dir) throws Exception {
        List<RunEvent> events = new ArrayList<>();
        RunRecord first = run(plan("councils-init", RunOptions.none()), RunOptions.none(), dir, events);

        assertThat(first.status()).as(String.valueOf(first.reason())).isEqualTo(RunRecord.Status.SUCCEEDED);
        CouncilsSnapshot after = councils.read();
        assertThat(after.replicas()).hasSize(2).allSatisfy(r -> {
            assertThat(r.councils()).extracting(c -> c.role()).containsExactlyInAnyOrderElementsOf(ROLES);
            assertThat(r.councils()).allSatisfy(c -> assertThat(c.agentCount()).isEqualTo(3));
        });
        assertThat(after.disagreements()).isEmpty();
        List<String> pods = pods();
        assertThat(log(events)).anySatisfy(l -> assertThat(l).startsWith(pods.get(0) + ": healthy").contains("no councils"))
                .anySatisfy(l -> assertThat(l).startsWith("DEV on " + pods.get(0) + ": created"))
                .anySatisfy(l -> assertThat(l).isEqualTo(pods.get(1) + ": every council (5)"));
        assertThat(journal).extracting(AuditEntry::action).contains(OrchestratorCouncils.ACTION_INIT);

        List<String> ids = ids(after);
        List<RunEvent> again = new ArrayList<>();
        RunRecord second = run(plan("councils-init", RunOptions.none()), RunOptions.none(), dir, again);
        assertThat(second.status()).isEqualTo(RunRecord.Status.SUCCEEDED);
        assertThat(log(again)).filteredOn(l -> l.contains(": already existed")).hasSize(10);
        assertThat(ids(councils.read())).as("existing councils kept as they were").isEqualTo(ids);
    }

    @Test
    void deleteSaysWhatItDestroysInNumbersWantsTheNamespaceTypedBackAndLeavesEveryReplicaEmpty(@TempDir Path dir) throws Exception {
        councils.initialise();
        Runbook rb = plan("councils-delete", RunOptions.none());
        assertThat(rb.destroys()).hasValueSatisfying(d -> assertThat(d)
                .startsWith("10 councils (5 councils x 2 replicas) with 30 agents in all")
                .contains("sandbox / " + sandbox.namespace()));
        assertThat(rb.confirmName()).contains(sandbox.namespace());

        List<RunEvent> events = new ArrayList<>();
        RunRecord done = run(rb, RunOptions.none(), dir, events);
        assertThat(done.status()).as(String.valueOf(done.reason())).isEqualTo(RunRecord.Status.SUCCEEDED);
        assertThat(councils.read().replicas()).hasSize(2).allSatisfy(r -> assertThat(r.councils()).isEmpty());
        assertThat(log(events)).filteredOn(l -> l.contains(": deleted (3 agents removed)")).hasSize(10);

        Runbook nothing = plan("councils-delete", RunOptions.none());
        assertThat(nothing.destroys()).hasValueSatisfying(d -> assertThat(d).startsWith("nothing"));
        assertThat(nothing.confirmName()).as("nothing to lose, nothing to type").isEmpty();
        List<RunEvent> twice = new ArrayList<>();
        assertThat(run(nothing, RunOptions.none(), dir, twice).status()).isEqualTo(RunRecord.Status.SUCCEEDED);
        assertThat(log(twice)).filteredOn(l -> l.contains(": skipped, not found")).hasSize(10);
    }

    @Test
    void deleteCountsUnevenReplicasByName() throws Exception {
        councils.initialise();
        String restarted = pods().get(0);
        sandbox.client().pods().inNamespace(sandbox.namespace()).withName(restarted).delete();
        assertThat(sandbox.awaitFleetReady(WAIT)).isTrue();
        // Ready, then answering through its port-forward: the replacement is asked until it answers.
        org.testfx.util.WaitForAsyncUtils.waitFor(30, java.util.concurrent.TimeUnit.SECONDS,
                () -> councils.read().answering().size() == 2);
        CouncilsSnapshot now = councils.read();
        String survivor = now.replicas().stream().map(ReplicaCouncils::replica).map(r -> r.pod())
                .filter(p -> !now.replica(p).orElseThrow().councils().isEmpty()).findFirst().orElseThrow();
        String fresh = pods().stream().filter(p -> !p.equals(survivor)).findFirst().orElseThrow();

        Runbook rb = plan("councils-delete", RunOptions.none());
        assertThat(rb.destroys()).hasValueSatisfying(d -> assertThat(d)
                .startsWith("5 councils (").contains(survivor + " 5").contains(fresh + " 0").contains("with 15 agents in all")
                .doesNotContain(restarted));
    }

    @Test
    void initThroughTheJobFollowsItsLogAndSaysWhichReplicaItDidNotReach(@TempDir Path dir) throws Exception {
        RunOptions viaJob = RunOptions.none().withViaJob(true);
        List<RunEvent> events = new ArrayList<>();
        RunRecord done = run(plan("councils-init", viaJob), viaJob, dir, events);

        assertThat(done.status()).as(String.valueOf(done.reason())).isEqualTo(RunRecord.Status.SUCCEEDED);
        assertThat(log(events)).anySatisfy(l -> assertThat(l).contains("Council DEV"))
                .anySatisfy(l -> assertThat(l).contains("Job orchestrator-init-councils completed").contains("without --via-job"))
                .anySatisfy(l -> assertThat(l).startsWith("still: DEV exists on"));
        CouncilsSnapshot after = councils.read();
        assertThat(after.replicas().stream().filter(r -> after.holdsAll(r.replica().pod())).count())
                .as("the job reaches one replica through the Service").isEqualTo(1);

        // The delete job reaches one replica too; the direct delete empties every one.
        List<RunEvent> deleted = new ArrayList<>();
        RunRecord cleared = run(plan("councils-delete", RunOptions.none()), RunOptions.none(), dir, deleted);
        assertThat(cleared.status()).isEqualTo(RunRecord.Status.SUCCEEDED);
        assertThat(log(deleted)).filteredOn(l -> l.contains(": deleted (")).hasSize(5);
        assertThat(log(deleted)).filteredOn(l -> l.contains(": skipped, not found")).hasSize(5);
    }

    @Test
    void aCrashLoopingOrchestratorStopsTheRunAtItsFirstStepAndNothingIsCreated(@TempDir Path dir) throws Exception {
        assertThat(sandbox.injectOnceReady(List.of(new Fault(FaultKind.CRASH, "orchestrator")), WAIT)).isTrue();
        List<RunEvent> events = new ArrayList<>();
        RunRecord failed = run(plan("councils-init", RunOptions.none()), RunOptions.none(), dir, events);

        assertThat(failed.status()).isEqualTo(RunRecord.Status.FAILED);
        RunEvent.Failed why = events.stream().filter(e -> e instanceof RunEvent.Failed).map(e -> (RunEvent.Failed) e).findFirst().orElseThrow();
        assertThat(why.stepId()).isIn("orchestrator-answers", "init-councils");
        assertThat(why.reason()).containsAnyOf("No orchestrator replica answers", "Nothing was changed");
        assertThat(why.whatToDo()).isNotBlank();
        assertThat(journal).noneSatisfy(e -> assertThat(e.result()).startsWith("ok"));
        sandbox.clearFaults();
        assertThat(sandbox.awaitFleetReady(WAIT)).isTrue();
        assertThat(councils.read().councilCount()).isZero();
    }

    private static List<String> ids(CouncilsSnapshot s) {
        return s.replicas().stream().flatMap(r -> r.councils().stream()).map(c -> c.id()).sorted().toList();
    }
}
