package fleet.console.sandbox;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.FleetHealth;
import fleet.console.cluster.KubeconfigFile;
import fleet.console.cluster.WorkloadHealth;
import fleet.console.profile.FleetProfile;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sandbox with the fleet deployed: it comes up healthy, and each troubleshooting case of the
 * runbook, injected as a fault, shows the evidence a real cluster would show. One sandbox for the
 * class; each test clears its fault and waits for the fleet to recover.
 */
class SandboxFleetTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NS = "swe-ai-fleet";
    private static Sandbox sandbox;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults());
        client = sandbox.client();
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
        assertTrue(sandbox.awaitFleetReady(WAIT), "the fleet recovers once the fault is cleared");
    }

    private static void await(String what, Predicate<KubernetesClient> condition) throws InterruptedException {
        assertTrue(sandbox.await(condition, WAIT), "timed out waiting until " + what);
    }

    private static List<Pod> pods(String app) {
        return client.pods().inNamespace(NS).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static Optional<ContainerStatus> waiting(Pod p, String reason) {
        return p.getStatus().getContainerStatuses() == null ? Optional.empty() : p.getStatus().getContainerStatuses().stream()
                .filter(c -> c.getState().getWaiting() != null && reason.equals(c.getState().getWaiting().getReason())).findFirst();
    }

    private static WorkloadHealth health(String workload) {
        return FleetHealth.read(client, NS, sandbox.profile()).stream().filter(r -> r.name().equals(workload)).findFirst().orElseThrow();
    }

    @Test
    void fleetComesUpHealthyWithEveryWorkloadOfTheProfile() {
        List<WorkloadHealth> rows = FleetHealth.read(client, NS, sandbox.profile());
        assertEquals(List.of("nats", "neo4j", "valkey", "orchestrator", "context", "ray-executor", "monitoring-dashboard"),
                rows.stream().map(WorkloadHealth::name).toList());
        assertTrue(FleetHealth.allHealthy(rows), FleetHealth.render(rows));
        assertEquals("Running", health("monitoring-dashboard").state(), "pods labelled app=monitoring are found by the selector");
        assertEquals(2, pods("orchestrator").size());
        assertEquals(List.of("nats-0"), pods("nats").stream().map(p -> p.getMetadata().getName()).toList());
    }

    @Test
    void injectedCrashYieldsCrashLoopBackOffWithLastTerminationAndPreviousLogs() throws Exception {
        sandbox.inject(Fault.parse("crash=ray-executor"));

        await("ray-executor is in CrashLoopBackOff after a restart", c -> pods("ray-executor").stream()
                .anyMatch(p -> waiting(p, "CrashLoopBackOff").filter(s -> s.getRestartCount() > 0).isPresent()));
        Pod pod = pods("ray-executor").stream().filter(p -> waiting(p, "CrashLoopBackOff").isPresent()).findFirst().orElseThrow();
        ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
        assertEquals(1, status.getLastState().getTerminated().getExitCode());
        assertEquals("Error", status.getLastState().getTerminated().getReason());
        String previous = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).inContainer("ray-executor")
                .terminated().getLog();
        assertTrue(previous.contains("ModuleNotFoundError: No module named 'src'"), previous);
        assertEquals("CrashLoopBackOff", health("ray-executor").state());
        assertFalse(health("ray-executor").healthy());
        assertTrue(client.v1().events().inNamespace(NS).list().getItems().stream().anyMatch(e -> "BackOff".equals(e.getReason())
                && e.getInvolvedObject().getName().equals(pod.getMetadata().getName())
                && e.getMessage().startsWith("Back-off restarting failed container ray-executor")));
    }

    @Test
    void brokenImageTagYieldsImagePullBackOffWithAFailedEvent() throws Exception {
        sandbox.inject(Fault.parse("bad-image=context"));

        await("a context pod is in ImagePullBackOff", c -> pods("context").stream().anyMatch(p -> waiting(p, "ImagePullBackOff").isPresent()));
        Pod pod = pods("context").stream().filter(p -> waiting(p, "ImagePullBackOff").isPresent()).findFirst().orElseThrow();
        String image = pod.getSpec().getContainers().get(0).getImage();
        assertTrue(client.v1().events().inNamespace(NS).list().getItems().stream().anyMatch(e -> "Failed".equals(e.getReason())
                && "Warning".equals(e.getType()) && e.getInvolvedObject().getName().equals(pod.getMetadata().getName())
                && e.getMessage().startsWith("Failed to pull image \"" + image + "\"")), "a Failed event names the image");
        assertEquals(2, pods("context").stream().filter(p -> waiting(p, "ImagePullBackOff").isEmpty()
                && waiting(p, "ErrImagePull").isEmpty()).count(), "the old pods keep serving: the rollout stalls, it does not break the service");
    }

    /**
     * A typo'd tag is one no registry has, before its fault and after it: were it pullable once the fault
     * is cleared, a pod of the broken rollout still retrying its pull would cache it, and the same fault
     * injected again would break nothing (a health check would pass under it).
     */
    @Test
    void aTypoedTagStaysUnpullableAfterItsFaultIsCleared() throws Exception {
        sandbox.inject(Fault.parse("bad-image=context"));
        await("a context pod fails to pull", c -> pods("context").stream()
                .anyMatch(p -> waiting(p, "ImagePullBackOff").isPresent() || waiting(p, "ErrImagePull").isPresent()));
        String typo = client.apps().deployments().inNamespace(NS).withName("context").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage();
        sandbox.clearFaults();
        assertTrue(sandbox.awaitFleetReady(WAIT), "the fleet recovers once the fault is cleared");
        String good = client.apps().deployments().inNamespace(NS).withName("context").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage();
        assertNotEquals(typo, good);

        try {
            // The same tag set by hand, as an operator's typo would be.
            client.apps().deployments().inNamespace(NS).withName("context")
                    .edit(d -> { d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(typo); return d; });
            await("the typo'd tag fails to pull again", c -> pods("context").stream().anyMatch(p -> typo.equals(p.getSpec().getContainers().get(0).getImage())
                    && (waiting(p, "ImagePullBackOff").isPresent() || waiting(p, "ErrImagePull").isPresent())));
        } finally {
            client.apps().deployments().inNamespace(NS).withName("context")
                    .edit(d -> { d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(good); return d; });
        }
    }

    @Test
    void missingConfigMapYieldsCreateContainerConfigErrorNamingIt() throws Exception {
        sandbox.inject(Fault.parse("missing-configmap=monitoring-dashboard"));

        await("the dashboard waits with CreateContainerConfigError", c -> pods("monitoring").stream()
                .anyMatch(p -> waiting(p, "CreateContainerConfigError").isPresent()));
        Pod pod = pods("monitoring").get(0);
        assertEquals("configmap \"service-urls\" not found", waiting(pod, "CreateContainerConfigError").orElseThrow()
                .getState().getWaiting().getMessage());
    }

    @Test
    void unschedulablePodStaysPendingWithTheSchedulersReason() throws Exception {
        sandbox.inject(Fault.parse("unschedulable=ray-executor"));

        await("a ray-executor pod is unschedulable", c -> pods("ray-executor").stream().anyMatch(p -> p.getSpec().getNodeName() == null
                && p.getStatus().getConditions().stream().anyMatch(x -> "Unschedulable".equals(x.getReason()))));
        WorkloadHealth row = health("ray-executor");
        assertEquals("Pending", row.state());
        assertTrue(row.detail().contains("Insufficient nvidia.com/gpu"), row.detail());
    }

    @Test
    void natsDownMakesNats0NotReadyAndItsClientsFail() throws Exception {
        sandbox.inject(Fault.parse("nats-down"));

        await("nats-0 is not Ready", c -> pods("nats").stream().noneMatch(p -> p.getStatus().getConditions().stream()
                .anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()))));
        assertEquals("Not ready", health("nats").state());
        await("the orchestrator's log reports the lost connection", c -> pods("orchestrator").stream().anyMatch(p ->
                client.pods().inNamespace(NS).withName(p.getMetadata().getName()).getLog().contains("NATS connection lost")));
    }

    @Test
    void pushConsumerBoundTwiceCrashesTheSecondPodWithAlreadyBound() throws Exception {
        sandbox.inject(Fault.parse("double-bind=orchestrator"));

        await("an orchestrator pod crash-loops", c -> pods("orchestrator").stream().anyMatch(p -> waiting(p, "CrashLoopBackOff").isPresent()));
        Pod pod = pods("orchestrator").stream().filter(p -> waiting(p, "CrashLoopBackOff").isPresent()).findFirst().orElseThrow();
        String previous = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).terminated().getLog();
        assertTrue(previous.contains("consumer is already bound to a subscription"), previous);
    }

    @Test
    void rollingUpdateOfAPushDurableServiceCrashesTheNewPodAndTheScaleToZeroPathDoesNot() throws Exception {
        sandbox.inject(Fault.parse("double-bind=monitoring-dashboard"));

        await("the redeployed dashboard's new pod crash-loops while the old one holds the binding", c -> pods("monitoring").stream()
                .anyMatch(p -> waiting(p, "CrashLoopBackOff").isPresent()));
        Pod crashing = pods("monitoring").stream().filter(p -> waiting(p, "CrashLoopBackOff").isPresent()).findFirst().orElseThrow();
        assertTrue(client.pods().inNamespace(NS).withName(crashing.getMetadata().getName()).terminated().getLog()
                .contains("consumer is already bound to a subscription"));
        assertTrue(pods("monitoring").stream().anyMatch(p -> p != crashing && p.getStatus().getConditions().stream()
                .anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()))), "the old pod keeps serving");

        // The runbook's cure: scale to 0, wait until the pods are gone, scale back up.
        client.apps().deployments().inNamespace(NS).withName("monitoring-dashboard").scale(0);
        await("no dashboard pod is left", c -> c.pods().inNamespace(NS).withLabel("app", "monitoring").list().getItems().isEmpty());
        client.apps().deployments().inNamespace(NS).withName("monitoring-dashboard").scale(1);
        await("one dashboard pod is Ready", c -> pods("monitoring").size() == 1 && pods("monitoring").get(0).getStatus().getConditions()
                .stream().anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus())));
        Pod fresh = pods("monitoring").get(0);
        assertEquals(0, fresh.getStatus().getContainerStatuses().get(0).getRestartCount());
        assertFalse(client.pods().inNamespace(NS).withName(fresh.getMetadata().getName()).getLog().contains("already bound"));
    }

    @Test
    void serviceOverItsMemoryLimitIsOomKilledWithExitCode137() throws Exception {
        sandbox.inject(Fault.parse("oom=ray-executor"));

        await("ray-executor's last termination is OOMKilled", c -> pods("ray-executor").stream().anyMatch(p ->
                p.getStatus().getContainerStatuses().stream().anyMatch(s -> s.getLastState().getTerminated() != null
                        && "OOMKilled".equals(s.getLastState().getTerminated().getReason())
                        && s.getLastState().getTerminated().getExitCode() == 137)));
    }

    @Test
    void cutFollowStreamEndsWhileTheContainerKeepsWriting() throws Exception {
        Pod pod = pods("ray-executor").get(0);
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
        try (LogWatch watch = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).tailingLines(1)
                .watchLog(new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        open.countDown();
                    }
                })) {
            watch.onClose().whenComplete((v, e) -> ended.countDown());
            assertTrue(open.await(10, java.util.concurrent.TimeUnit.SECONDS), "the follow is open (its tail line arrived)");
            sandbox.cutLogStreams(false);
            assertTrue(ended.await(10, java.util.concurrent.TimeUnit.SECONDS), "the follow ended");
        }
        assertTrue(client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).get().getStatus().getContainerStatuses().get(0).getReady());
    }

    @Test
    void runningServicesWorkOffTheirDurablesWhileALeftoverFromAnOlderVersionPilesUp() throws Exception {
        Assumptions.assumeTrue(sandbox.natsUrl().isPresent(), "nats-server not installed: sudo apt-get install -y nats-server");
        try (Connection nats = Nats.connect(sandbox.natsUrl().get())) {
            var jsm = nats.jetStreamManagement();
            // Two events on the collector's subject, seen as they are published, then the counts.
            var events = nats.subscribe("agent.response.completed");
            assertTrue(events.nextMessage(WAIT) != null && events.nextMessage(WAIT) != null, "the trickle publishes");
            long leftover = jsm.getConsumerInfo("AGENT_RESPONSES", "deliberation-collector-completed-v2").getNumPending();
            assertTrue(leftover >= 2, "the v2 leftover nobody is bound to keeps unprocessed messages: " + leftover);
            var live = jsm.getConsumerInfo("PLANNING_EVENTS", "orch-planning-story-transitions");
            assertTrue(live.getDelivered().getConsumerSequence() > 0 || live.getNumPending() <= 1,
                    "the orchestrator works off its own durable: " + live);
        }
    }

    @Test
    void logOptionsWorkAsOnARealCluster() {
        Pod pod = pods("orchestrator").get(0);
        var logs = client.pods().inNamespace(NS).withName(pod.getMetadata().getName());
        String all = logs.getLog();
        assertTrue(all.contains("Orchestrator Service listening on port 50055"), all);
        assertEquals(2, logs.tailingLines(2).getLog().lines().count());
        assertTrue(logs.usingTimestamps().tailingLines(1).getLog().matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z .*\\R?"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.fabric8.kubernetes.client.KubernetesClientException.class,
                () -> logs.terminated().getLog());
        assertTrue(e.getMessage().contains("previous terminated container \"orchestrator\" in pod"), e.getMessage());
    }

    @Test
    void followReaderSeesALineWrittenAfterItStarted() throws Exception {
        Pod pod = pods("context").get(0);
        String before = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).getLog();
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        java.io.OutputStream sink = new java.io.OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    lines.add(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        };
        try (LogWatch watch = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).tailingLines(0).watchLog(sink)) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            String fresh = null;
            while (fresh == null && System.nanoTime() < deadline) {
                String l = lines.poll(deadline - System.nanoTime(), java.util.concurrent.TimeUnit.NANOSECONDS);
                if (l != null && l.contains("Health check OK") && !before.contains(l)) {
                    fresh = l;
                }
            }
            assertTrue(fresh != null, "a line written after the follow began arrives on the open stream");
        }
    }

    @Test
    void anotherClientWithOnlyTheKubeconfigReachesTheFleetAndNatsThroughPortForward(@TempDir Path dir) throws Exception {
        Path kubeconfig = sandbox.writeKubeconfig(dir.resolve("sandbox.kubeconfig"));
        try (ClusterSession session = ClusterConnector.withDefaultTimeout().connect(KubeconfigFile.read(kubeconfig), null, null, "x")) {
            assertEquals("sandbox", session.contextName());
            assertEquals(NS, session.namespace());
            assertEquals(10, session.client().pods().list().getItems().size());
            Assumptions.assumeTrue(sandbox.natsUrl().isPresent(), "nats-server not installed: sudo apt-get install -y nats-server");
            try (LocalPortForward forward = session.client().pods().withName("nats-0").portForward(4222);
                 Connection nats = Nats.connect("nats://127.0.0.1:" + forward.getLocalPort())) {
                List<String> streams = nats.jetStreamManagement().getStreamNames();
                assertEquals(List.of("AGENT_REQUESTS", "AGENT_RESPONSES", "CONTEXT", "ORCHESTRATOR_EVENTS", "PLANNING_EVENTS"),
                        streams.stream().sorted().toList());
                assertTrue(nats.jetStreamManagement().getConsumerNames("PLANNING_EVENTS").contains("orch-planning-story-transitions"));
            }
        }
    }
}
