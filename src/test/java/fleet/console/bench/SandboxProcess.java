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

    private final Process process;
    private final Path kubeconfig;

    private SandboxProcess(Process process, Path kubeconfig) {
        this.process = process;
        this.kubeconfig = kubeconfig;
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
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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

    @Override
    public void close() throws InterruptedException {
        // SIGTERM runs the sandbox's shutdown hook, which stops nats-server and the registry it started.
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
