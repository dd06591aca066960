package fleet.console.cluster.logs;

import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Log streams against the sandbox, whose API server serves logs like a real one (timestamps,
 * sinceTime, previous, follow) and can cut open follows the way a timeout or a network blip does.
 */
class LogStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Sandbox sandbox;
    private static KubernetesClient client;
    private static String ns;

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

    /** The container's whole log as the API serves it now, with timestamps. */
    private static List<LogLines.Timed> fullLog(String pod, String container) {
        String text = client.pods().inNamespace(ns).withName(pod).inContainer(container).usingTimestamps().getLog();
        return LogLines.split(text).stream().map(l -> LogLines.parse(l, Instant.EPOCH)).toList();
    }

    @Test
    void followCutByATimeoutAndByABlipResumesWithNoDuplicateAndNoMissingLine() throws Exception {
        String pod = pods("orchestrator").get(0).getMetadata().getName();
        CollectingSink sink = new CollectingSink();
        try (LogStream stream = LogStream.open(client, LogSource.ofPod(ns, pod, Optional.empty(), false, true, OptionalInt.empty()), sink)) {
            assertTrue(sink.await(s -> s.count(LogStreamStatus.FOLLOWING) == 1 && !s.lines().isEmpty(), WAIT), "the stream opens");
            // Cut as an API server timeout would, then as a network blip, each right after a line was
            // delivered: the reopened stream repeats that second, which must not show twice.
            sandbox.cutLogStreams(false);
            int before = sink.lines().size();
            assertTrue(sink.await(s -> s.lines().size() > before, WAIT), "lines keep coming after a clean cut");
            sandbox.cutLogStreams(true);
            int after = sink.lines().size();
            assertTrue(sink.await(s -> s.lines().size() > after + 1, WAIT), "lines keep coming after an abrupt cut");
            assertEquals(0, stream.dropped());
            assertTrue(sink.count(LogStreamStatus.RESUMED) >= 1, sink.statuses().toString());
        }
        List<LogLines.Timed> delivered = sink.lines().stream().map(l -> new LogLines.Timed(l.time(), l.text())).toList();
        List<LogLines.Timed> full = fullLog(pod, "orchestrator");
        assertTrue(full.size() >= delivered.size(), "the log holds at least what was delivered");
        assertEquals(full.subList(0, delivered.size()), delivered, "exactly the container's log, in order, nothing twice, nothing missing");
    }

    @Test
    void logsOfAWorkloadInterleaveItsPodsByTimeInOneBatch() throws Exception {
        LogSource source = LogSource.ofWorkload(client, ns, new WorkloadRef("Deployment", "orchestrator"), false, OptionalInt.of(5));
        assertEquals(pods("orchestrator").stream().map(p -> p.getMetadata().getName()).toList(), source.pods());
        CollectingSink sink = new CollectingSink();
        try (LogStream stream = LogStream.open(client, source, sink)) {
            stream.finished().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        List<LogLine> lines = sink.lines();
        assertEquals(10, lines.size(), "the last 5 lines of each of the 2 pods: " + lines);
        assertEquals(2, lines.stream().map(LogLine::pod).distinct().count());
        List<Instant> times = lines.stream().map(LogLine::time).toList();
        List<Instant> sorted = new ArrayList<>(times);
        sorted.sort(Comparator.naturalOrder());
        assertEquals(sorted, times, "merged by time");
        assertEquals(2, sink.count(LogStreamStatus.ENDED));
        assertEquals(1, sink.batches.size(), "a burst of lines reaches the sink in one call, not one call per line");
    }

    @Test
    void followOfACrashingPodGoesOnInItsNewRunAndEndsWhenThePodIsGone() throws Exception {
        String pod = pods("ray-executor").get(0).getMetadata().getName();
        CollectingSink sink = new CollectingSink();
        try (LogStream stream = LogStream.open(client, LogSource.ofPod(ns, pod, Optional.empty(), false, true, OptionalInt.of(3)), sink)) {
            assertTrue(sink.await(s -> s.count(LogStreamStatus.FOLLOWING) == 1, WAIT));
            sandbox.inject(Fault.parse("crash=ray-executor"));
            assertTrue(sink.await(s -> s.lines().stream().filter(l -> l.text().startsWith("ModuleNotFoundError")).count() >= 2, WAIT),
                    "the import error of two runs: " + sink.statuses());
            assertTrue(sink.statuses().stream().anyMatch(s -> s.kind().equals(LogStreamStatus.RESUMED) && s.message().contains("restarted")),
                    sink.statuses().toString());
            sandbox.clearFaults();
            assertTrue(sink.await(s -> s.count(LogStreamStatus.GONE) == 1, WAIT), "clearing the fault replaces the pod: " + sink.statuses());
            stream.finished().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(0, stream.dropped());
        }
    }
}
