package fleet.console.bench;

import fleet.console.cluster.KubeconfigFile;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The kubelets of the pods benchmark: pod status updates sent at a fixed rate from a process of their own,
 * as a cluster's kubelets send them from machines of their own. Sent from the benchmark's JVM, their
 * requests, threads and garbage would be measured as the console's. {@link #start} and {@link #go} run the
 * process; {@link #main} is the process.
 */
final class PodUpdatesProcess {

    static final String WORKER_IMAGE = "registry.local/bench/worker:1.0";

    /** What the updates came to: sent and acknowledged, refused, and sent again after a conflict. */
    record Updates(long done, long failed, long conflicts) {
    }

    private final Process process;
    private final BufferedReader out;
    private final List<String> said = new ArrayList<>();

    private PodUpdatesProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts the process for {@code rate} updates a second for {@code seconds} to the pods {@code bench-worker-00000} …
     * in {@code namespace} on {@code node} of the sandbox behind {@code kubeconfig}, and returns once it has read
     * the pods' versions and waits for {@link #go}: its start is not the console's to pay for either.
     */
    static PodUpdatesProcess start(Path kubeconfig, String namespace, String node, int pods, int rate, int seconds)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-XX:TieredStopAtLevel=1", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                PodUpdatesProcess.class.getName(), kubeconfig.toString(), namespace, node,
                String.valueOf(pods), String.valueOf(rate), String.valueOf(seconds));
        PodUpdatesProcess p = new PodUpdatesProcess(new ProcessBuilder(SandboxProcess.atClusterPriority(command)).redirectErrorStream(true).start());
        p.expect("ready");
        return p;
    }

    /** Starts the updates and waits until they are all answered. */
    Updates go() throws IOException, InterruptedException {
        process.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().flush();
        String[] f = expect("updates ").split(" ");
        process.waitFor(30, TimeUnit.SECONDS);
        return new Updates(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
    }

    private String expect(String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
            if (said.size() < 20) {
                said.add(line);
            }
        }
        process.destroyForcibly();
        throw new IOException("The pod updates process ended without saying '" + prefix.trim() + "':\n  " + String.join("\n  ", said));
    }

    public static void main(String[] args) throws Exception {
        Config config = KubeconfigFile.read(Path.of(args[0])).configFor("sandbox");
        config.setHttp2Disable(true);
        try (KubernetesClient api = new KubernetesClientBuilder().withConfig(config).build()) {
            String namespace = args[1];
            int pods = Integer.parseInt(args[3]);
            AtomicReferenceArray<String> versions = versions(api, namespace, pods);
            System.out.println("ready");
            System.out.flush();
            if (!"go".equals(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine())) {
                System.exit(2);
            }
            Updates u = update(api, namespace, args[2], versions, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            System.out.println("updates " + u.done() + " " + u.failed() + " " + u.conflicts());
        }
        System.exit(0);
    }

    /**
     * Each pod's resourceVersion now. An update without one costs fabric8 a GET before its PUT; with it, one
     * request, as a kubelet's status PATCH is one request.
     */
    private static AtomicReferenceArray<String> versions(KubernetesClient api, String namespace, int pods) {
        AtomicReferenceArray<String> versions = new AtomicReferenceArray<>(pods);
        for (Pod p : api.pods().inNamespace(namespace).list().getItems()) {
            String name = p.getMetadata().getName();
            if (name.startsWith("bench-worker-")) {
                int n = Integer.parseInt(name.substring("bench-worker-".length()));
                if (n < pods) {
                    versions.set(n, p.getMetadata().getResourceVersion());
                }
            }
        }
        return versions;
    }

    static String podName(int n) {
        return String.format("bench-worker-%05d", n);
    }

    /**
     * {@code rate} status updates a second, spread over the pods in turn: a pod goes into CrashLoopBackOff
     * with one more restart, and back to Running on its next turn. Sent by a pool of parallel requests
     * at a fixed pace; what the API server cannot take in time shows as a lower rate, not a longer run.
     */
    private static Updates update(KubernetesClient api, String namespace, String node, AtomicReferenceArray<String> versions,
                                  int rate, int seconds) throws Exception {
        int pods = versions.length();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong conflicts = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        // At most a second's worth in flight: a slow API server is not buried under a queue of work.
        Semaphore inFlight = new Semaphore(rate);
        int perTick = Math.max(1, rate / 100);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        var ticker = pace.scheduleAtFixedRate(() -> {
            for (int k = 0; k < perTick && System.nanoTime() < end; k++) {
                if (!inFlight.tryAcquire()) {
                    return;
                }
                int turn = next.getAndIncrement();
                int n = turn % pods;
                int round = turn / pods;
                pool.execute(() -> {
                    try {
                        Pod pod = new PodBuilder().withNewMetadata().withName(podName(n))
                                .withNamespace(namespace).withResourceVersion(versions.get(n)).endMetadata()
                                .withNewSpec().withNodeName(node).addNewContainer().withName("worker")
                                .withImage(WORKER_IMAGE).endContainer().endSpec()
                                .withStatus(round % 2 == 0
                                        ? new PodStatusBuilder().withPhase("Running").addNewCondition().withType("Ready")
                                        .withStatus("False").endCondition().withContainerStatuses(crashLooping(round + 1)).build()
                                        : new PodStatusBuilder().withPhase("Running").addNewCondition().withType("Ready")
                                        .withStatus("True").endCondition().withContainerStatuses(running(round + 1)).build())
                                .build();
                        Pod updated;
                        try {
                            updated = api.pods().inNamespace(namespace).resource(pod).updateStatus();
                        } catch (KubernetesClientException e) {
                            if (e.getCode() != 409) {
                                throw e;
                            }
                            // Changed by someone else since: sent again on the version the server has now.
                            conflicts.incrementAndGet();
                            pod.getMetadata().setResourceVersion(null);
                            updated = api.pods().inNamespace(namespace).resource(pod).updateStatus();
                        }
                        versions.set(n, updated.getMetadata().getResourceVersion());
                        done.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        pace.schedule(() -> ticker.cancel(false), seconds, TimeUnit.SECONDS).get();
        pace.shutdown();
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        return new Updates(done.get(), failed.get(), conflicts.get());
    }

    static ContainerStatus running(int restarts) {
        return new ContainerStatusBuilder().withName("worker").withReady(true).withRestartCount(restarts)
                .withImage(WORKER_IMAGE).withImageID("registry.local/bench/worker@sha256:ab12")
                .withContainerID("containerd://bench-" + restarts).withNewState().withNewRunning()
                .withStartedAt(Instant.now().toString()).endRunning().endState().build();
    }

    private static ContainerStatus crashLooping(int restarts) {
        return new ContainerStatusBuilder().withName("worker").withReady(false).withRestartCount(restarts)
                .withImage(WORKER_IMAGE).withImageID("registry.local/bench/worker@sha256:ab12")
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 10s restarting failed container").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error")
                .withFinishedAt(Instant.now().toString()).endTerminated().endLastState().build();
    }
}
