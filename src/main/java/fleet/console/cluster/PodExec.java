package fleet.console.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code kubectl exec}: a command run in a pod's container through the API, its output written where
 * the caller says (a file, for a backup copied out), its errors kept to say why it failed.
 */
public final class PodExec {

    /** How a command ended: its exit code, what it wrote to stderr, and how many bytes it wrote to stdout. */
    public record Outcome(int exitCode, String stderr, long stdoutBytes) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private PodExec() {
    }

    /**
     * Runs the command and waits for it to end, at most {@code timeout}; a cancel closes the stream.
     *
     * @throws ExecProblem the pod or container cannot run it (not found, not running), or it took too long
     */
    public static Outcome run(KubernetesClient client, String namespace, String pod, String container, List<String> command,
                              OutputStream stdout, Duration timeout, Cancellation cancellation)
            throws ExecProblem, InterruptedException {
        CountingStream out = new CountingStream(stdout);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecWatch watch;
        try {
            var target = client.pods().inNamespace(namespace).withName(pod);
            watch = (container == null ? target.writingOutput(out).writingError(err)
                    : target.inContainer(container).writingOutput(out).writingError(err))
                    .exec(command.toArray(String[]::new));
        } catch (KubernetesClientException e) {
            throw new ExecProblem("Could not run `" + String.join(" ", command) + "` in " + pod + ": " + reason(e),
                    "Check that " + pod + " is Running (the Pods area shows why it is not).");
        }
        cancellation.onCancel(watch::close);
        try {
            CompletableFuture<Integer> exit = watch.exitCode();
            int code = exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(code, err.toString(StandardCharsets.UTF_8), out.count);
        } catch (TimeoutException e) {
            throw new ExecProblem("`" + String.join(" ", command) + "` in " + pod + " did not finish within " + timeout.toSeconds() + " s.",
                    "It may still be running in the pod; look at its logs before running it again.");
        } catch (ExecutionException e) {
            throw new ExecProblem("`" + String.join(" ", command) + "` in " + pod + " failed: " + reason(e.getCause()),
                    "Check that " + pod + " is Running and the container has that command.");
        } finally {
            watch.close();
        }
    }

    /** Runs a short command and returns what it printed. */
    public static String text(KubernetesClient client, String namespace, String pod, String container, List<String> command,
                              Duration timeout) throws ExecProblem, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Outcome o = run(client, namespace, pod, container, command, out, timeout, Cancellation.none());
        if (!o.succeeded()) {
            throw new ExecProblem("`" + String.join(" ", command) + "` in " + pod + " exited with " + o.exitCode()
                    + (o.stderr().isBlank() ? "." : ": " + o.stderr().strip()), "Read the message above; nothing was changed by the console.");
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String reason(Throwable e) {
        if (e instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        return e == null ? "unknown" : String.valueOf(e.getMessage());
    }

    /** Why a command could not be run or waited for, and what to do. */
    public static final class ExecProblem extends Exception {
        private final String whatToDo;

        public ExecProblem(String message, String whatToDo) {
            super(message);
            this.whatToDo = whatToDo;
        }

        public String whatToDo() {
            return whatToDo;
        }
    }

    private static final class CountingStream extends OutputStream {
        private final OutputStream target;
        private volatile long count;

        CountingStream(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            target.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            target.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws java.io.IOException {
            target.flush();
        }
    }
}
