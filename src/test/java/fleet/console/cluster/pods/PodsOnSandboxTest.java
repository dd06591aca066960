package fleet.console.cluster.pods;

import fleet.console.audit.AuditEntry;
import fleet.console.audit.AuditJournal;
import fleet.console.cluster.events.EventRow;
import fleet.console.cluster.events.EventWatch;
import fleet.console.cluster.logs.LogLine;
import fleet.console.cluster.logs.LogSource;
import fleet.console.cluster.logs.LogStream;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pods area's gateways against the sandbox's fleet and its faults: what an operator debugging a
 * CrashLoopBackOff sees without grepping. One sandbox for the class; each test clears its faults.
 */
class PodsOnSandboxTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Sandbox sandbox;
    private static KubernetesClient client;
    private static String ns;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withNats(false).withRegistry(false));
        client = sandbox.client();
        ns = sandbox.namespace();
        assertTrue(sandbox.awaitFleetReady(WAIT), "the fleet comes up");
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @AfterEach
    void recover() throws Exception {
        sandbox.clearFaults();
        assertTrue(sandbox.awaitFleetReady(WAIT), "the fleet recovers");
    }

    private static List<Pod> pods(String app) {
        return client.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    }

    private static Optional<PodRow> row(List<PodRow> rows, String workload, String status) {
        return rows.stream().filter(r -> r.workload().name().equals(workload) && r.status().equals(status)).findFirst();
    }

    @Test
    void injectedCrashShowsWithin2sAsCrashLoopBackOffWithRestartsLastTerminationAndPreviousLog() throws Exception {
        WatchedRows watched = new WatchedRows();
        List<EventRow> events = new CopyOnWriteArrayList<>();
        try (PodWatch watch = PodWatch.start(client, ns, watched);
             EventWatch eventWatch = EventWatch.start(client, ns, (upserted, removed) -> events.addAll(upserted))) {
            assertTrue(watched.await(rows -> !rows.isEmpty(), WAIT), "the first list");
            long injected = System.nanoTime();
            sandbox.inject(Fault.parse("crash=ray-executor"));
            assertTrue(watched.await(rows -> row(rows, "ray-executor", "CrashLoopBackOff").filter(r -> r.restarts() > 0).isPresent(),
                    Duration.ofSeconds(2)), "CrashLoopBackOff within 2 s: " + watched.rows());
            long tookMs = (System.nanoTime() - injected) / 1_000_000;
            PodRow crashing = row(watched.rows(), "ray-executor", "CrashLoopBackOff").orElseThrow();
            assertTrue(tookMs < 2000, tookMs + " ms");
            assertEquals(new WorkloadRef("Deployment", "ray-executor"), crashing.workload());
            assertTrue(crashing.problem());
            assertEquals("Error (exit code 1)", crashing.reason(), "why it died, not how long the back-off is");
            assertTrue(crashing.lastRestart().isPresent());
            assertEquals(crashing, watch.snapshot().stream().filter(r -> r.uid().equals(crashing.uid())).findFirst().orElseThrow());

            PodDetail detail = new PodInspector(client, ns).inspect(crashing.name());
            ContainerDetail container = detail.containers().get(0);
            Termination last = container.lastTermination().orElseThrow();
            assertEquals("Error", last.reason());
            assertEquals(1, last.exitCode());
            assertTrue(last.finishedAt().isPresent() && last.startedAt().isPresent());
            assertTrue(container.restarts() > 0);
            assertTrue(detail.events().stream().anyMatch(e -> e.reason().equals("BackOff") && e.warning()), detail.events().toString());
            List<EventRow> newestFirst = new ArrayList<>(detail.events());
            newestFirst.sort(Comparator.comparing(EventRow::lastSeen).reversed());
            assertEquals(newestFirst.stream().map(EventRow::lastSeen).toList(), detail.events().stream().map(EventRow::lastSeen).toList());

            var sink = new fleet.console.cluster.logs.LogStream.Sink() {
                final List<LogLine> lines = Collections.synchronizedList(new ArrayList<>());

                @Override
                public void lines(List<LogLine> batch) {
                    lines.addAll(batch);
                }
            };
            try (LogStream previous = LogStream.open(client, LogSource.ofPod(ns, crashing.name(), Optional.empty(), true, false,
                    OptionalInt.empty()), sink)) {
                previous.finished().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            assertTrue(sink.lines.stream().anyMatch(l -> l.text().equals("ModuleNotFoundError: No module named 'src'")), sink.lines.toString());

            assertTrue(events.stream().anyMatch(e -> e.reason().equals("BackOff") && e.objectName().equals(crashing.name())),
                    "the namespace's events show the back-off too");
        }
    }

    @Test
    void imagePullBackOffPodDetailHasTheFailedEvent() throws Exception {
        WatchedRows watched = new WatchedRows();
        try (PodWatch ignored = PodWatch.start(client, ns, watched)) {
            sandbox.inject(Fault.parse("bad-image=context"));
            assertTrue(watched.await(rows -> row(rows, "context", "ImagePullBackOff").isPresent(), WAIT), watched.rows().toString());
            PodRow pulling = row(watched.rows(), "context", "ImagePullBackOff").orElseThrow();
            assertTrue(pulling.problem());
            PodDetail detail = new PodInspector(client, ns).inspect(pulling.name());
            assertTrue(detail.events().stream().anyMatch(e -> e.warning() && e.reason().equals("Failed")
                    && e.message().startsWith("Failed to pull image \"" + pulling.images().get(0) + "\"")), detail.events().toString());
        }
    }

    @Test
    void unschedulablePodIsPendingWithTheSchedulersMessage() throws Exception {
        WatchedRows watched = new WatchedRows();
        try (PodWatch ignored = PodWatch.start(client, ns, watched)) {
            sandbox.inject(Fault.parse("unschedulable=ray-executor"));
            assertTrue(watched.await(rows -> row(rows, "ray-executor", "Pending").filter(r -> !r.reason().isEmpty()).isPresent(), WAIT),
                    watched.rows().toString());
            PodRow pending = row(watched.rows(), "ray-executor", "Pending").orElseThrow();
            assertTrue(pending.problem());
            assertTrue(pending.reason().contains("nodes are available") && pending.reason().contains("nvidia.com/gpu"), pending.reason());
            assertEquals("", pending.node());
        }
    }

    @Test
    void monitoringDashboardPodsLabelledAppMonitoringAreUnderItsDeployment() throws Exception {
        WatchedRows watched = new WatchedRows();
        try (PodWatch ignored = PodWatch.start(client, ns, watched)) {
            assertTrue(watched.await(rows -> !rows.isEmpty(), WAIT));
            List<String> labelled = pods("monitoring").stream().map(p -> p.getMetadata().getName()).toList();
            assertFalse(labelled.isEmpty());
            assertEquals(watched.rows().size(), watched.firstCallSize(), "the first call is the whole initial list");
            for (String name : labelled) {
                PodRow r = watched.rows().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
                assertEquals(new WorkloadRef("Deployment", "monitoring-dashboard"), r.workload(), "already in the first list");
            }
            LogSource logs = LogSource.ofWorkload(client, ns, new WorkloadRef("Deployment", "monitoring-dashboard"), false, OptionalInt.of(1));
            assertEquals(labelled, logs.pods());
            assertEquals(new WorkloadRef("StatefulSet", "nats"),
                    watched.rows().stream().filter(x -> x.name().equals("nats-0")).findFirst().orElseThrow().workload());
        }
    }

    @Test
    void aFirstListHeldForAnotherCacheIsHandedOnOnceWithRowsComputedAgain() throws Exception {
        // The pods' first rows wait for the ReplicaSets (listed at the same time): rows computed before
        // those arrived are computed again, and the table gets one first list, already right.
        java.util.concurrent.atomic.AtomicBoolean ownersIn = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture<Void> owners = new java.util.concurrent.CompletableFuture<>();
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch handedOn = new java.util.concurrent.CountDownLatch(1);
        try (fleet.console.cluster.events.LiveRows<Pod, String> rows = new fleet.console.cluster.events.LiveRows<>(
                client.pods().inNamespace(ns).runnableInformer(0),
                pod -> pod.getMetadata().getName() + (ownersIn.get() ? " (owner known)" : " (owner unknown)"),
                new fleet.console.cluster.events.LiveRows.Listener<String>() {
                    @Override
                    public void changed(List<String> upserted, List<String> removedUids) {
                        calls.add(List.copyOf(upserted));
                        handedOn.countDown();
                    }

                    @Override
                    public void connection(boolean stale, java.time.Instant since, String why) {
                    }
                }, java.time.Clock.systemUTC()).firstListAfter(owners)) {
            rows.start().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(rows.informer().hasSynced());
            assertEquals(List.of(), calls, "the list is in, the owners are not: nothing handed on yet");
            assertEquals(false, rows.listed());

            ownersIn.set(true);
            owners.complete(null);
            assertTrue(handedOn.await(60, java.util.concurrent.TimeUnit.SECONDS), "the first list, once the owners are in");
            assertEquals(1, calls.size(), "one first list");
            assertTrue(calls.get(0).size() >= pods("orchestrator").size() && !calls.get(0).isEmpty());
            assertTrue(calls.get(0).stream().allMatch(r -> r.endsWith("(owner known)")), calls.get(0).toString());
            assertTrue(rows.listed());
        }
    }

    @Test
    void namespaceWithoutPodsGivesAnEmptySnapshot() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("quiet").endMetadata().build()).createOr(n -> n.update());
        WatchedRows watched = new WatchedRows();
        try (PodWatch watch = PodWatch.start(client, "quiet", watched)) {
            assertTrue(watched.await(rows -> true, WAIT), "the first (empty) list is delivered");
            assertEquals(0, watched.firstCallSize());
            assertEquals(List.of(), watch.snapshot());
        }
    }

    @Test
    void podDeletedWhileInspectedIsGoneWithAClearMessage() throws Exception {
        String name = pods("ray-executor").get(0).getMetadata().getName();
        PodInspector inspector = new PodInspector(client, ns);
        assertEquals(name, inspector.inspect(name).row().name());
        client.pods().inNamespace(ns).withName(name).delete();
        assertTrue(sandbox.await(c -> c.pods().inNamespace(ns).withName(name).get() == null, WAIT));
        PodGoneException gone = assertThrows(PodGoneException.class, () -> inspector.inspect(name));
        assertTrue(gone.getMessage().contains("Pod " + name + " is gone from namespace " + ns), gone.getMessage());
        assertTrue(gone.getMessage().contains("Pick its replacement"), gone.getMessage());
    }

    @Test
    void secretsReferencedByEnvAppearByNameAndNeverByValueInTheDetailOrTheJournal() throws Exception {
        Secret secret = client.secrets().inNamespace(ns).withName("neo4j-auth").get();
        String value = secret.getStringData() != null && secret.getStringData().get("NEO4J_PASSWORD") != null
                ? secret.getStringData().get("NEO4J_PASSWORD")
                : new String(Base64.getDecoder().decode(secret.getData().get("NEO4J_PASSWORD")), StandardCharsets.UTF_8);
        assertTrue(value.length() >= 8, "a real secret value to look for");
        String name = pods("context").get(0).getMetadata().getName();

        PodDetail detail = new PodInspector(client, ns).inspect(name);
        EnvRef password = detail.containers().get(0).env().stream().filter(e -> e.name().equals("NEO4J_PASSWORD")).findFirst().orElseThrow();
        assertTrue(password.secret());
        assertEquals("secret neo4j-auth / NEO4J_PASSWORD", password.source());
        assertEquals("", password.value());
        assertFalse(detail.toString().contains(value), "the secret's value is nowhere in the detail");

        AuditJournal journal = new AuditJournal(dir.resolve("audit.jsonl"));
        new PodActions(client, "sandbox", ns, journal).delete(name);
        List<AuditEntry> entries = journal.read();
        assertEquals(1, entries.size());
        assertEquals(List.of("sandbox", ns, PodActions.DELETE, name, "ok"), List.of(entries.get(0).context(), entries.get(0).namespace(),
                entries.get(0).action(), entries.get(0).target(), entries.get(0).result()));
        assertFalse(Files.readString(journal.file()).contains(value), "nor in the journal");
    }

    @Test
    void deletingAPodThatDoesNotExistSaysSoAndIsJournaledAsFailed() {
        AuditJournal journal = new AuditJournal(dir.resolve("audit.jsonl"));
        PodActionException e = assertThrows(PodActionException.class,
                () -> new PodActions(client, "sandbox", ns, journal).delete("orchestrator-nope"));
        assertEquals("Pod orchestrator-nope does not exist in namespace " + ns + " (already deleted?); nothing was deleted.", e.getMessage());
        assertEquals(e.getMessage(), journal.read().get(0).result());
    }
}
