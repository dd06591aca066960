package fleet.console.runbook;

import fleet.console.audit.AuditEntry;
import fleet.console.messaging.JetStreamInventory;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.messaging.StreamRow;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NATS away during a runbook (the sandbox's nats-down fault: the server stops answering): a step that
 * needs NATS waits for it within its time, goes on the moment NATS answers, and otherwise fails with
 * that reason once its time is up; the failed run resumes and completes once NATS is back, with the
 * services it stopped at their recorded counts again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsOutageRunbookTest {

    private static final String NS = "swe-ai-fleet";
    private Sandbox sandbox;
    private KubernetesClient client;
    private final List<AuditEntry> journal = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withRegistry(false).withEventTrickle(false));
        Assumptions.assumeTrue(sandbox.natsUrl().isPresent(),
                "nats-server is not installed: sudo apt-get install -y nats-server (scripts/test installs it)");
        assertThat(sandbox.awaitFleetReady(Duration.ofSeconds(60))).isTrue();
        client = new KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build();
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

    @AfterEach
    void recover() throws InterruptedException {
        sandbox.clearFaults();
        assertThat(sandbox.awaitFleetReady(Duration.ofSeconds(60))).isTrue();
    }

    private RunContext context(RunOptions options) {
        return new RunContext(client, "sandbox", NS, FleetProfile.defaults(), options,
                () -> NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(2)), journal::add, Clock.systemUTC());
    }

    private int replicas(String deployment) {
        return client.apps().deployments().inNamespace(NS).withName(deployment).get().getSpec().getReplicas();
    }

    private List<String> streams() throws Exception {
        try (NatsLink link = NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(5))) {
            return new JetStreamInventory(link.management()).streams().stream().map(StreamRow::name).toList();
        }
    }

    @Test
    void aStepWaitingForNatsGoesOnTheMomentItAnswers(@TempDir Path dir) throws Exception {
        RunStore store = new RunStore(dir);
        sandbox.inject(Fault.parse("nats-down"));
        RunContext ctx = context(RunOptions.none());
        Runbook rb = Runbooks.named("nats-clean-slate").orElseThrow().planner().plan(ctx);
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<RunRecord> run = CompletableFuture.supplyAsync(() -> {
            try {
                return new RunbookEngine(store, journal::add, Clock.systemUTC()).run(rb, ctx, e -> {
                    if (e instanceof RunEvent.Progress p && p.stepId().equals("delete-streams") && p.message().contains("waiting for NATS")) {
                        waiting.countDown();
                    }
                });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(waiting.await(60, TimeUnit.SECONDS)).as("the step says it waits for NATS").isTrue();
        assertThat(run).isNotDone();
        sandbox.clearFaults();

        RunRecord result = run.get(90, TimeUnit.SECONDS);
        assertThat(result.status()).as(String.valueOf(result.reason())).isEqualTo(RunRecord.Status.SUCCEEDED);
        assertThat(streams()).containsExactly("AGENT_REQUESTS", "AGENT_RESPONSES", "CONTEXT", "ORCHESTRATOR_EVENTS", "PLANNING_EVENTS");
        assertThat(replicas("orchestrator")).isEqualTo(2);
    }

    @Test
    void natsAwayForTheWholeStepFailsItWithThatReasonAndTheRunResumesOnceItIsBack(@TempDir Path dir) throws Exception {
        RunStore store = new RunStore(dir);
        sandbox.inject(Fault.parse("nats-down"));
        RunContext ctx = context(RunOptions.none());
        Runbook rb = Runbooks.named("nats-clean-slate").orElseThrow().planner().plan(ctx);
        Step deleteStreams = rb.steps().stream().filter(s -> s.id().equals("delete-streams")).findFirst().orElseThrow();

        long started = System.nanoTime();
        RunRecord failed = new RunbookEngine(store, journal::add, Clock.systemUTC()).run(rb, ctx, e -> { });
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failed.status()).isEqualTo(RunRecord.Status.FAILED);
        assertThat(failed.stoppedAt()).contains("delete-streams");
        assertThat(failed.reason().orElseThrow()).contains("NATS").contains("Waited ");
        assertThat(took).as("it waited the step's time, not failing at the first refusal").isGreaterThanOrEqualTo(deleteStreams.timeout());
        assertThat(replicas("orchestrator")).as("stopped by the run, not yet back").isZero();
        assertThat(store.unfinished()).extracting(RunRecord::id).contains(failed.id());

        sandbox.clearFaults();
        RunRecord saved = store.load(failed.id()).orElseThrow();
        RunContext later = context(RunbookEngine.optionsFrom(saved.options()));
        Runbook again = Runbooks.named("nats-clean-slate").orElseThrow().planner().plan(later);
        RunRecord resumed = new RunbookEngine(store, journal::add, Clock.systemUTC()).resume(again, later, saved, e -> { });

        assertThat(resumed.status()).as(String.valueOf(resumed.reason())).isEqualTo(RunRecord.Status.SUCCEEDED);
        assertThat(replicas("orchestrator")).isEqualTo(2);
        assertThat(replicas("context")).isEqualTo(2);
        assertThat(streams()).hasSize(5);
    }
}
