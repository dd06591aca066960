package fleet.console.runbook;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.Cancellation;
import fleet.console.cluster.FleetHealth;
import fleet.console.cluster.PodExec;
import fleet.console.cluster.WorkloadHealth;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backup (exec through the API, files copied to this machine) and the complete reset (backup,
 * namespace deleted and gone, everything deployed again) on the sandbox with its real nats-server.
 * Ordered: the reset comes last, as it replaces everything the others look at.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupAndResetOnSandboxTest {

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

    private RunContext context(RunOptions options) {
        return new RunContext(client, "sandbox", NS, FleetProfile.defaults(), options,
                () -> NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(5)), journal::add, Clock.systemUTC());
    }

    private RunRecord run(Runbook rb, RunContext ctx, Path state, List<RunEvent> events) throws Exception {
        return new RunbookEngine(new RunStore(state), journal::add, Clock.systemUTC()).run(rb, ctx, events::add);
    }

    private static List<String> logLines(List<RunEvent> events) {
        return events.stream().filter(e -> e instanceof RunEvent.LogLine).map(e -> ((RunEvent.LogLine) e).line()).toList();
    }

    @Test
    @Order(1)
    void backupCopiesTheNeo4jDumpAndTheValkeySaveToThisMachineAndSaysTheirSizes(@TempDir Path state, @TempDir Path to) throws Exception {
        RunContext ctx = context(RunOptions.none().withBackupTo(to));
        List<RunEvent> events = new ArrayList<>();
        RunRecord result = run(Runbooks.named("backup").orElseThrow().planner().plan(ctx), ctx, state, events);

        assertEquals(RunRecord.Status.SUCCEEDED, result.status(), result.reason().orElse(""));
        Path neo4j = to.resolve("neo4j.dump");
        Path valkey = to.resolve("valkey-dump.rdb");
        assertTrue(Files.readString(neo4j).startsWith("NEO4J-DUMP neo4j"), "the dump neo4j-admin wrote in the pod, copied out");
        assertTrue(Files.readString(valkey).startsWith("REDIS"), "the RDB valkey's SAVE wrote, copied out");
        assertTrue(Files.size(neo4j) > 40 * 1024);
        try (var left = Files.list(to)) {
            assertEquals(List.of("neo4j.dump", "valkey-dump.rdb"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no half-copied file is left behind");
        }
        List<String> lines = logLines(events);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("neo4j: " + neo4j) && l.contains("KiB)")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("valkey: " + valkey)), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("Starting dump of database 'neo4j'")), "the command's own output is shown");
    }

    @Test
    @Order(2)
    void aCommandThatFailsInAPodGivesItsExitCodeAndMessage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PodExec.Outcome missing = PodExec.run(client, NS, "neo4j-0", "neo4j", List.of("cat", "/backups/nothing.dump"), out,
                Duration.ofSeconds(10), Cancellation.none());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("No such file or directory"), missing.stderr());

        PodExec.Outcome noTool = PodExec.run(client, NS, "nats-0", null, List.of("neo4j-admin", "database", "dump", "neo4j"), out,
                Duration.ofSeconds(10), Cancellation.none());
        assertEquals(127, noTool.exitCode(), "the NATS image has no neo4j-admin");

        PodExec.ExecProblem gone = assertThrows(PodExec.ExecProblem.class, () -> PodExec.text(client, NS, "neo4j-7", null,
                List.of("ls"), Duration.ofSeconds(10)));
        assertTrue(gone.getMessage().contains("neo4j-7"), gone.getMessage());
    }

    @Test
    @Order(3)
    void theResetSaysWhatItDestroysInNumbersAndWantsTheNamespaceTypedBack() throws Exception {
        Runbook reset = Runbooks.named("system-reset").orElseThrow().planner().plan(context(RunOptions.none()));
        assertEquals(java.util.Optional.of(NS), reset.confirmName());
        String destroys = reset.destroys().orElseThrow();
        int pods = client.pods().inNamespace(NS).list().getItems().size();
        assertTrue(destroys.contains(pods + " pods"), destroys);
        assertTrue(destroys.matches(".*\\d+ volumes with their data \\(.*data-neo4j-0.*"), destroys);
        assertTrue(destroys.matches(".*[\\d,]+ messages in \\d+ streams.*"), destroys);
        assertEquals("backup-neo4j", reset.steps().get(0).id(), "the backup is offered first");
    }

    @Test
    @Order(4)
    void theResetBacksUpDeletesTheNamespaceAndDeploysEverythingAgainWithEmptyStores(@TempDir Path state, @TempDir Path to) throws Exception {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("left-by-hand").endMetadata()
                .addToData("x", "1").build()).create();
        try (Connection nc = Nats.connect(sandbox.natsUrl().orElseThrow())) {
            nc.jetStream().publish("planning.reset-marker", "before the reset".getBytes(StandardCharsets.UTF_8));
            assertEquals("before the reset", new String(nc.jetStreamManagement().getLastMessage("PLANNING_EVENTS", "planning.reset-marker")
                    .getData(), StandardCharsets.UTF_8));
        }
        RunContext ctx = context(RunOptions.none().withBackupTo(to));
        List<RunEvent> events = new ArrayList<>();
        RunRecord result = run(Runbooks.named("system-reset").orElseThrow().planner().plan(ctx), ctx, state, events);

        assertEquals(RunRecord.Status.SUCCEEDED, result.status(), result.reason().orElse("") + "\n" + String.join("\n", logLines(events))
                + "\npods: " + client.pods().inNamespace(NS).list().getItems().stream()
                .map(p -> p.getMetadata().getName() + " " + p.getStatus().getPhase()).toList());
        assertTrue(Files.size(to.resolve("neo4j.dump")) > 0, "the backup was taken before the namespace went");
        assertEquals(null, client.configMaps().inNamespace(NS).withName("left-by-hand").get(), "what was in the namespace is gone:\n"
                + String.join("\n", logLines(events)));
        List<WorkloadHealth> health = FleetHealth.read(client, NS, FleetProfile.defaults());
        assertFalse(health.isEmpty());
        assertTrue(health.stream().allMatch(WorkloadHealth::healthy), FleetHealth.render(health));
        PodExec.Outcome dump = PodExec.run(client, NS, "neo4j-0", "neo4j", List.of("stat", "-c", "%s", "/backups/neo4j.dump"),
                new ByteArrayOutputStream(), Duration.ofSeconds(10), Cancellation.none());
        assertEquals(1, dump.exitCode(), "the new neo4j-0 starts on an empty volume");
        try (Connection nc = Nats.connect(sandbox.natsUrl().orElseThrow())) {
            var jsm = nc.jetStreamManagement();
            assertTrue(jsm.getStreamNames().contains("PLANNING_EVENTS"), "the streams were initialised again");
            JetStreamApiException noMarker = assertThrows(JetStreamApiException.class,
                    () -> jsm.getLastMessage("PLANNING_EVENTS", "planning.reset-marker"));
            assertEquals(404, noMarker.getErrorCode(), "the messages went with NATS's volume");
        }
        assertTrue(journal.stream().anyMatch(e -> e.action().contains("system-reset")), "the run is in the audit journal");
        Map<String, String> values = result.values();
        assertTrue(values.containsKey("backup.neo4j"), values.toString());
    }
}
