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
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runbooks end to end on the sandbox (real nats-server): the cluster's and NATS's state afterwards is
 * what is checked, not only the outcome.
 */
class RunbooksOnSandboxTest {

    private static final String NS = "swe-ai-fleet";
    private static Sandbox sandbox;
    private static KubernetesClient client;
    private final List<AuditEntry> journal = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withRegistry(false));
        Assumptions.assumeTrue(sandbox.natsUrl().isPresent(), "nats-server is not installed: sudo apt-get install -y nats-server");
        assertTrue(sandbox.awaitFleetReady(Duration.ofSeconds(60)));
        client = new KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @AfterEach
    void recover() throws Exception {
        sandbox.clearFaults();
        assertTrue(sandbox.awaitFleetReady(Duration.ofSeconds(60)));
    }

    private RunContext context(RunOptions options) {
        return new RunContext(client, "sandbox", NS, FleetProfile.defaults(), options,
                () -> NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(5)), journal::add, Clock.systemUTC());
    }

    private RunRecord run(String name, RunOptions options, RunStore store, List<RunEvent> events) throws Exception {
        RunContext ctx = context(options);
        Runbook rb = Runbooks.named(name).orElseThrow().planner().plan(ctx);
        return new RunbookEngine(store, journal::add, Clock.systemUTC()).run(rb, ctx, events::add);
    }

    @Test
    void safeRedeployStopsEveryOldPodBeforeTheNewImageAndRestoresTwoReplicas(@TempDir Path dir) throws Exception {
        String image = "registry.underpassai.com/swe-ai-fleet/orchestrator:v3.0.1-safe";
        List<int[]> seen = new CopyOnWriteArrayList<>();
        SharedIndexInformer<Pod> watch = client.pods().inNamespace(NS).withLabel("app", "orchestrator").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod p) {
                snapshot();
            }

            @Override
            public void onUpdate(Pod a, Pod b) {
                snapshot();
            }

            @Override
            public void onDelete(Pod p, boolean unknown) {
                snapshot();
            }

            private void snapshot() {
                List<Pod> now = client.pods().inNamespace(NS).withLabel("app", "orchestrator").list().getItems();
                long fresh = now.stream().filter(p -> p.getSpec().getContainers().get(0).getImage().equals(image)).count();
                seen.add(new int[] {now.size(), (int) fresh, now.size() - (int) fresh});
            }
        });
        RunRecord result;
        try {
            result = run("redeploy", RunOptions.none().withService("orchestrator").withSkipBuild(true).withTag("v3.0.1-safe"),
                    new RunStore(dir), new ArrayList<>());
        } finally {
            watch.close();
        }
        assertEquals(RunRecord.Status.SUCCEEDED, result.status(), String.valueOf(result.reason()));
        assertTrue(seen.stream().noneMatch(x -> x[1] > 0 && x[2] > 0), "never an old and a new orchestrator pod at once");
        assertTrue(seen.stream().anyMatch(x -> x[0] == 0), "zero orchestrator pods at some moment");
        List<Pod> pods = client.pods().inNamespace(NS).withLabel("app", "orchestrator").list().getItems();
        assertEquals(2, pods.size(), "back to the 2 replicas it had, not 1");
        assertTrue(pods.stream().allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals(image)));
    }

    @Test
    void natsCleanSlateLeavesExactlyTheDeclaredStreamsAndEveryServiceWithItsConsumers(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        List<RunEvent> events = new ArrayList<>();
        RunRecord result = run("nats-clean-slate", RunOptions.none(), new RunStore(dir), events);
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals(RunRecord.Status.SUCCEEDED, result.status(), String.valueOf(result.reason()));
        System.out.println("nats-clean-slate on the sandbox: " + ms + " ms");
        try (NatsLink link = NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(5))) {
            JetStreamInventory inventory = new JetStreamInventory(link.management());
            List<StreamRow> streams = inventory.streams();
            assertEquals(List.of("AGENT_REQUESTS", "AGENT_RESPONSES", "CONTEXT", "ORCHESTRATOR_EVENTS", "PLANNING_EVENTS"),
                    streams.stream().map(StreamRow::name).toList());
            var consumers = inventory.allConsumers(streams);
            assertTrue(consumers.stream().noneMatch(c -> c.durable().equals("deliberation-collector-completed-v2")),
                    "the leftover of the older version is gone");
            for (String service : List.of("orchestrator", "context", "monitoring-dashboard")) {
                assertTrue(consumers.stream().anyMatch(c -> FleetProfile.defaults().service(service).orElseThrow().ownsDurable(c.durable())),
                        service + " has its consumers again");
            }
        }
        assertEquals(2, client.apps().deployments().inNamespace(NS).withName("orchestrator").get().getSpec().getReplicas());
        assertEquals(2, client.apps().deployments().inNamespace(NS).withName("context").get().getSpec().getReplicas());
        assertTrue(events.stream().anyMatch(e -> e instanceof RunEvent.LogLine l && l.line().startsWith("Created: 5")));
    }

    @Test
    void aCrashAfterTheNewImageStartsFailsTheVerificationAndResumeCompletesOnceCleared(@TempDir Path dir) throws Exception {
        RunStore store = new RunStore(dir);
        sandbox.inject(Fault.parse("crash=ray-executor"));
        List<RunEvent> evs = new ArrayList<>();
        RunRecord failed = run("redeploy", RunOptions.none().withService("ray-executor").withSkipBuild(true).withTag("v3.0.2"), store,
                evs);
        assertEquals(RunRecord.Status.FAILED, failed.status());
        assertTrue(List.of("wait-ready-ray-executor", "startup-lines-ray-executor").contains(failed.stoppedAt().orElseThrow()),
                "fails at a verification step: " + failed.stoppedAt());
        assertTrue(failed.reason().orElseThrow().contains("CrashLoopBackOff"), failed.reason().orElseThrow());
        assertTrue(failed.reason().orElseThrow().contains("ray-executor-"), "names the pod: " + failed.reason().orElseThrow());

        sandbox.clearFaults();
        RunContext ctx = context(RunEngineOptions.of(store.load(failed.id()).orElseThrow()));
        Runbook rb = Runbooks.named("redeploy").orElseThrow().planner().plan(ctx);
        RunRecord resumed = new RunbookEngine(store, journal::add, Clock.systemUTC()).resume(rb, ctx, store.load(failed.id()).orElseThrow(), e -> { });
        assertEquals(RunRecord.Status.SUCCEEDED, resumed.status(), String.valueOf(resumed.reason()));
        assertTrue(client.pods().inNamespace(NS).withLabel("app", "ray-executor").list().getItems().stream()
                .allMatch(p -> p.getSpec().getContainers().get(0).getImage().endsWith(":v3.0.2")));
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        String before = state();
        RunContext ctx = context(RunOptions.none().withService("orchestrator").withSkipBuild(true).withTag("v9.9.9"));
        Runbook rb = Runbooks.named("redeploy").orElseThrow().planner().plan(ctx);
        List<RunbookEngine.PlannedStep> plan = RunbookEngine.dryRun(rb, ctx);
        assertTrue(plan.stream().anyMatch(s -> s.commands().stream().anyMatch(c -> c.contains("kubectl scale deployment/orchestrator"))));
        assertEquals(before, state(), "no workload changed");
    }

    @Test
    void anAbandonedRunScalesTheServicesItStoppedBackToTheirRecordedCounts(@TempDir Path dir) throws Exception {
        RunStore store = new RunStore(dir);
        RunContext ctx = context(RunOptions.none().withService("context").withSkipBuild(true).withTag("v2.0.9"));
        Runbook rb = Runbooks.named("redeploy").orElseThrow().planner().plan(ctx);
        // The run is stopped right after the service was scaled to 0, as a console closed mid-run would leave it.
        RunRecord stopped = new RunbookEngine(store, journal::add, Clock.systemUTC()).run(rb, ctx, e -> {
            if (e instanceof RunEvent.Succeeded s && s.stepId().equals("scale-down-context")) {
                ctx.cancellation().cancel();
            }
        });
        assertEquals(RunRecord.Status.CANCELLED, stopped.status());
        assertEquals(0, client.apps().deployments().inNamespace(NS).withName("context").get().getSpec().getReplicas());

        RunRecord saved = store.unfinished().get(0);
        assertEquals("2", saved.values().get("replicas.context"), "the count before scaling down is saved");
        RunContext later = context(RunEngineOptions.of(saved));
        new RunbookEngine(store, journal::add, Clock.systemUTC()).abandon(Runbooks.named("redeploy").orElseThrow().planner().plan(later), later, saved);
        assertEquals(2, client.apps().deployments().inNamespace(NS).withName("context").get().getSpec().getReplicas());
    }

    private static String state() {
        StringBuilder out = new StringBuilder();
        client.apps().deployments().inNamespace(NS).list().getItems().forEach(d -> out.append(d.getMetadata().getName())
                .append(d.getSpec().getReplicas()).append(Serialization.asJson(d.getSpec().getTemplate())));
        return out.toString();
    }

    /** The options a saved run was started with. */
    private static final class RunEngineOptions {
        static RunOptions of(RunRecord r) {
            return RunbookEngine.optionsFrom(r.options());
        }
    }
}
