package fleet.console.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox in a process of its own ({@code fleet-console sandbox}), so that what a benchmark
 * measures in its own JVM (heap, FX stalls) is the console's alone, as it is for an operator whose
 * cluster runs elsewhere.
 */
final class SandboxProcess implements AutoCloseable {

    /**
     * The niceness of the processes that stand for the cluster (this sandbox, {@link PodUpdatesProcess}'s
     * kubelets). An operator's cluster runs on machines of its own; here it shares the benchmark's cores
     * with the console, and at the same priority it took the console's FX thread off a core for 50-200 ms
     * at a time (2 cores: the sandbox's API server answering 500 updates/s, the kubelets sending them, the
     * console). At the lowest priority it still gets every cycle the console leaves, so it keeps up.
     */
    static final int CLUSTER_NICENESS = 19;

    private final Process process;
    private final Path kubeconfig;

    private SandboxProcess(Process process, Path kubeconfig) {
        this.process = process;
        this.kubeconfig = kubeconfig;
    }

    /** The niceness the cluster's processes run at here: {@link #CLUSTER_NICENESS}, or 0 without {@code nice}. */
    static int clusterNiceness() {
        boolean hasNice = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "nice")));
        return hasNice ? CLUSTER_NICENESS : 0;
    }

    /** The command run at {@link #clusterNiceness()}, through {@code nice} where there is one (Linux, macOS). */
    static List<String> atClusterPriority(List<String> command) {
        int niceness = clusterNiceness();
        if (niceness == 0) {
            return command;
        }
        List<String> niced = new java.util.ArrayList<>(List.of("nice", "-n", String.valueOf(niceness)));
        niced.addAll(command);
        return niced;
    }

    /** Starts it and returns once its fleet is ready (its kubeconfig written). */
    static SandboxProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, List.of());
    }

    /** The same with more arguments for the {@code sandbox} command, e.g. {@code --fault api-slow=300}. */
    static SandboxProcess start(Path dir, List<String> extra) throws IOException, InterruptedException {
        Path kubeconfig = dir.resolve("sandbox.kubeconfig");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                "fleet.console.app.Launcher", "sandbox", "--kubeconfig-out", kubeconfig.toString()));
        command.addAll(extra);
        Process p = new ProcessBuilder(atClusterPriority(command)).redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("Fleet ready") || line.startsWith("Fleet still starting")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.complete(false);
        }, "sandbox-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.get(180, TimeUnit.SECONDS) || !Files.exists(kubeconfig)) {
                p.destroyForcibly();
                throw new IOException("The sandbox process did not come up (exit " + (p.isAlive() ? "none" : p.exitValue()) + ").");
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("The sandbox process did not come up: " + e, e);
        }
        return new SandboxProcess(p, kubeconfig);
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    /**
     * Waits until the sandbox has worked off what a setup asked of it (its simulated kubelet starting
     * thousands of pods lags their creation by seconds): until it used under {@code quietCores} of a
     * core over a whole second, measured every quarter second, or the deadline passes. A real cluster does
     * that work on machines of its own; left running here, it takes the console's CPU on a 2-core machine
     * and makes the first figures measure the sandbox's backlog. Returns how long it waited, or -1 if the
     * sandbox never went quiet within the deadline (its process's CPU time unreadable counts as quiet).
     */
    long awaitQuiet(double quietCores, java.time.Duration deadline) {
        long began = System.nanoTime();
        long end = began + deadline.toNanos();
        // Samples of {when, CPU time used}, the oldest kept being the newest one at least a second old.
        java.util.List<long[]> window = new java.util.ArrayList<>();
        while (System.nanoTime() < end) {
            java.util.Optional<java.time.Duration> cpu = process.toHandle().info().totalCpuDuration();
            if (cpu.isEmpty()) {
                return (System.nanoTime() - began) / 1_000_000;
            }
            long now = System.nanoTime();
            window.add(new long[] {now, cpu.get().toNanos()});
            while (window.size() > 1 && now - window.get(1)[0] >= TimeUnit.SECONDS.toNanos(1)) {
                window.remove(0);
            }
            long[] first = window.get(0);
            if (now - first[0] >= TimeUnit.SECONDS.toNanos(1)
                    && (double) (cpu.get().toNanos() - first[1]) / (now - first[0]) < quietCores) {
                return (now - began) / 1_000_000;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        // SIGTERM runs the sandbox's shutdown hook, which stops nats-server and the registry it started.
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
