package fleet.console.runbook;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.FleetHealth;
import fleet.console.cluster.WorkloadHealth;
import fleet.console.messaging.JetStreamInventory;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.messaging.StreamRow;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The initial deployment into an empty sandbox, from the real fleet's manifests (reference data in
 * ../shared), then the prerequisites and the NATS clean slate through the fleet's own jobs on what it
 * deployed. Ordered: each test stands on the deployment of the first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployAllOnSandboxTest {

    private static final Path FLEET_MANIFESTS = Path.of("..", "shared", "fleet", "manifests");
    private static final String NS = "swe-ai-fleet";
    private static Sandbox sandbox;
    private static KubernetesClient client;
    private final List<AuditEntry> journal = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Files.isDirectory(FLEET_MANIFESTS),
                "../shared/fleet/manifests is absent (a user's clone has no ../shared): the real fleet's manifests are not here to deploy");
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withEmpty(true).withRegistry(false));
        Assumptions.assumeTrue(sandbox.natsUrl().isPresent(), "nats-server is not installed: sudo apt-get install -y nats-server");
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

    private RunRecord run(String name, RunOptions options, Path state, List<RunEvent> events) throws Exception {
        RunContext ctx = new RunContext(client, "sandbox", NS, FleetProfile.defaults(), options,
                () -> NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(5)), journal::add, Clock.systemUTC());
        Runbook rb = Runbooks.named(name).orElseThrow().planner().plan(ctx);
        return new RunbookEngine(new RunStore(state), journal::add, Clock.systemUTC()).run(rb, ctx, events::add);
    }

    @Test
    @Order(1)
    void deployingTheRealFleetsManifestsIntoAnEmptySandboxBringsEveryWorkloadUpHealthy(@TempDir Path state) throws Exception {
        List<RunEvent> events = new ArrayList<>();
        RunRecord result = run("deploy-all", RunOptions.none().withManifests(FLEET_MANIFESTS), state, events);
        assertEquals(RunRecord.Status.SUCCEEDED, result.status(), result.reason().orElse("") + "\n"
                + String.join("\n", events.stream().filter(e -> e instanceof RunEvent.LogLine).map(Object::toString).toList()));
        List<WorkloadHealth> rows = FleetHealth.read(client, NS, FleetProfile.defaults());
        assertTrue(FleetHealth.allHealthy(rows), FleetHealth.render(rows));
        assertEquals("registry.underpassai.com/swe-fleet/orchestrator:v0.3.0", client.apps().deployments().inNamespace(NS)
                .withName("orchestrator").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage(), "the manifests' own images");
        try (NatsLink link = NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(5))) {
            List<String> streams = new JetStreamInventory(link.management()).streams().stream().map(StreamRow::name).toList();
            assertTrue(streams.containsAll(List.of("PLANNING_EVENTS", "CONTEXT", "ORCHESTRATOR_EVENTS")), streams.toString());
        }
    }

    @Test
    @Order(2)
    void prerequisitesHoldOnTheSandbox(@TempDir Path state) throws Exception {
        RunRecord result = run("verify-prerequisites", RunOptions.none(), state, new ArrayList<>());
        assertEquals(RunRecord.Status.SUCCEEDED, result.status(), result.reason().orElse(""));
    }

    @Test
    @Order(3)
    void natsCleanSlateThroughTheFleetsJobsRecreatesTheDeclaredStreams(@TempDir Path state) throws Exception {
        List<RunEvent> events = new ArrayList<>();
        RunRecord result = run("nats-clean-slate", RunOptions.none().withViaJob(true), state, events);
        assertEquals(RunRecord.Status.SUCCEEDED, result.status(), result.reason().orElse(""));
        assertTrue(events.stream().anyMatch(e -> e instanceof RunEvent.LogLine l && l.line().contains("Deleted:")), "the delete job's log was followed");
        assertTrue(events.stream().anyMatch(e -> e instanceof RunEvent.LogLine l && l.line().contains("Created: 5")), "the init job's log was followed");
        try (NatsLink link = NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(5))) {
            assertEquals(List.of("AGENT_REQUESTS", "AGENT_RESPONSES", "CONTEXT", "ORCHESTRATOR_EVENTS", "PLANNING_EVENTS"),
                    new JetStreamInventory(link.management()).streams().stream().map(StreamRow::name).toList());
        }
    }
}
