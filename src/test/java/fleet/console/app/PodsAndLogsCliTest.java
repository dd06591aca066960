package fleet.console.app;

import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pods and logs commands as an operator runs them against a cluster (the sandbox, through its
 * kubeconfig, like any cluster): output, exit codes and messages.
 */
class PodsAndLogsCliTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Sandbox sandbox;
    private static KubernetesClient client;
    private static String ns;
    private static String kubeconfig;

    @TempDir
    static Path dir;

    private record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withNats(false).withRegistry(false));
        client = sandbox.client();
        ns = sandbox.namespace();
        kubeconfig = sandbox.writeKubeconfig(dir.resolve("sandbox.kubeconfig")).toString();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("quiet").endMetadata().build()).create();
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

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    private static Result onSandbox(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--kubeconfig");
        all.add(kubeconfig);
        return run(all.toArray(String[]::new));
    }

    private static List<Pod> pods(String app) {
        return client.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    }

    @Test
    void podsOfAHealthyFleetPrintsTheWideTableWithWorkloadsAndExitsZero() {
        Result r = onSandbox("pods");
        assertEquals(0, r.exit(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +WORKLOAD +REASON"), lines.get(0));
        String dashboard = pods("monitoring").get(0).getMetadata().getName();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(dashboard + " ") && l.contains(" Running ")
                && l.contains(" deployment/monitoring-dashboard")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("nats-0 ") && l.contains("statefulset/nats")), r.out());
        assertTrue(r.out().endsWith("pods are fine.\n"), r.out());
    }

    @Test
    void podsWithACrashingPodListItFirstWithItsReasonAndExitOne() throws Exception {
        sandbox.inject(Fault.parse("crash=ray-executor"));
        assertTrue(sandbox.await(c -> pods("ray-executor").stream().anyMatch(p -> p.getStatus().getContainerStatuses() != null
                && p.getStatus().getContainerStatuses().stream().anyMatch(s -> s.getState().getWaiting() != null
                && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason())
                // From the third crash the back-off (3.2 s, growing) outlasts the command below; before it
                // the pod may be Running again for a moment, as on a real cluster.
                && s.getRestartCount() != null && s.getRestartCount() >= 3)), WAIT));
        Result all = onSandbox("pods");
        assertEquals(1, all.exit(), all.out() + all.err());
        String first = all.out().lines().skip(1).findFirst().orElseThrow();
        assertTrue(first.startsWith("ray-executor-") && first.contains(" CrashLoopBackOff ") && first.endsWith("Error (exit code 1)")
                && first.contains("deployment/ray-executor"), first);
        assertTrue(all.out().contains("1 of "), all.out());

        Result problems = onSandbox("pods", "--problems");
        assertEquals(1, problems.exit());
        assertEquals(3, problems.out().lines().count(), "the header, the crashing pod, the summary: " + problems.out());
    }

    @Test
    void podsOfANamespaceWithoutPodsSaySoAndExitZero() {
        Result r = onSandbox("pods", "-n", "quiet");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("No pods in namespace quiet on context sandbox."), r.out());
    }

    @Test
    void podsOfAMissingNamespaceCannotRun() {
        Result r = onSandbox("pods", "-n", "nowhere");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Namespace 'nowhere' does not exist") && r.err().contains("quiet"), r.err());
    }

    @Test
    void logsOfAPodPrintTheLastLinesLikeKubectl() {
        String pod = pods("orchestrator").get(0).getMetadata().getName();
        Result r = onSandbox("logs", pod, "--tail", "3");
        assertEquals(0, r.exit(), r.err());
        List<String> expected = client.pods().inNamespace(ns).withName(pod).tailingLines(3).getLog().lines().toList();
        assertEquals(expected, r.out().lines().toList());
        assertEquals("", r.err());
    }

    @Test
    void logsOfAWorkloadPrefixEveryLineWithItsPodAndContainer() {
        Result r = onSandbox("logs", "deployment/monitoring-dashboard", "--tail", "2");
        assertEquals(0, r.exit(), r.err());
        String pod = pods("monitoring").get(0).getMetadata().getName();
        assertEquals(2, r.out().lines().count(), r.out());
        assertTrue(r.out().lines().allMatch(l -> l.startsWith("[" + pod + "/monitoring] ")), r.out());
        Result byName = onSandbox("logs", "--workload", "monitoring-dashboard", "--tail", "2");
        assertEquals(0, byName.exit(), byName.err());
        assertTrue(byName.out().lines().count() == 2 && byName.out().lines().allMatch(l -> l.startsWith("[" + pod + "/monitoring] ")),
                "--workload NAME means the same: " + byName.out());
    }

    @Test
    void logsOfAPodThatDoesNotExistExitTwoNamingTheClosestPodOrTheWorkload() {
        String pod = pods("orchestrator").get(0).getMetadata().getName();
        Result typo = onSandbox("logs", "orchestratr");
        assertEquals(2, typo.exit());
        assertTrue(typo.err().contains("No pod 'orchestratr' in namespace " + ns + ".") && typo.err().contains("Did you mean " + pod), typo.err());

        Result workload = onSandbox("logs", "orchestrator");
        assertEquals(2, workload.exit());
        assertTrue(workload.err().contains("'orchestrator' is a Deployment: fleet-console logs deployment/orchestrator reads all its pods."),
                workload.err());
    }

    @Test
    void logsPreviousOfAPodThatNeverRestartedSaysSoAndExitsOne() {
        String pod = pods("context").get(0).getMetadata().getName();
        Result r = onSandbox("logs", pod, "--previous");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("previous terminated container \"context\" in pod \"" + pod + "\" not found"), r.err());
    }

    @Test
    void badTailIsRefusedBeforeAnythingRuns() {
        Result r = run("logs", "x", "--tail", "-5", "--kubeconfig", "/nonexistent");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--tail must be 0 or more"), r.err());
    }

    /** Output a test can wait on: every write wakes the waiters. */
    private static final class WatchedOutput extends StringWriter {
        @Override
        public synchronized void write(String str, int off, int len) {
            super.write(str, off, len);
            notifyAll();
        }

        @Override
        public synchronized void write(char[] cbuf, int off, int len) {
            super.write(cbuf, off, len);
            notifyAll();
        }

        synchronized boolean await(java.util.function.Predicate<String> condition, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.test(toString())) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
            return true;
        }
    }

    @Test
    void logsFollowResumesAfterACutWithoutRepeatingALineAndEndsWhenThePodIsGone() throws Exception {
        String pod = pods("orchestrator").get(0).getMetadata().getName();
        WatchedOutput out = new WatchedOutput();
        WatchedOutput err = new WatchedOutput();
        CompletableFuture<Integer> following = CompletableFuture.supplyAsync(() -> Cli.run(
                new String[] {"logs", pod, "-f", "--kubeconfig", kubeconfig}, new PrintWriter(out, true), new PrintWriter(err, true)));
        assertTrue(out.await(text -> count(text) > 0, WAIT), "the follow prints: " + out + err);
        sandbox.cutLogStreams(true);
        int checks = count(out.toString());
        assertTrue(out.await(text -> count(text) >= checks + 1, WAIT), "heartbeats keep coming after the cut: " + out);
        client.pods().inNamespace(ns).withName(pod).delete();
        assertEquals(0, following.get(30, TimeUnit.SECONDS), err.toString());
        assertTrue(err.toString().contains("was cut") && err.toString().contains("was deleted"), err.toString());
        List<Integer> ticks = new ArrayList<>();
        Matcher m = Pattern.compile("Health check OK \\((\\d+) checks").matcher(out.toString());
        while (m.find()) {
            ticks.add(Integer.parseInt(m.group(1)));
        }
        assertTrue(ticks.size() >= 2, out.toString());
        for (int i = 1; i < ticks.size(); i++) {
            assertEquals(ticks.get(i - 1) + 1, ticks.get(i), "every heartbeat once, in order: " + ticks);
        }
    }

    private static int count(String text) {
        return (int) text.lines().filter(l -> l.contains("Health check OK")).count();
    }

    @Test
    void podsOnAFreshSandboxWithAFaultUseTheSameTargetOptionsAsHealth() {
        Result r = run("pods", "--sandbox", "--problems", "--fault", "bad-image=context");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().lines().skip(1).findFirst().orElseThrow().matches("context-\\S+ +0/1 +(ImagePullBackOff|ErrImagePull) .*"), r.out());
    }
}
