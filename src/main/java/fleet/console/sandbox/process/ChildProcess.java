package fleet.console.sandbox.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A server the sandbox runs as a child process. Its stdout and stderr are merged and the tail is
 * kept for error messages; it is terminated when {@link #stop} is called or the JVM exits.
 */
public final class ChildProcess {

    private static final int OUTPUT_TAIL_BYTES = 16 * 1024;
    /** SIGKILL is not refused, so this only bounds waiting for the kernel to reap the child. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Duration OUTPUT_DRAIN_WAIT = Duration.ofSeconds(1);

    private final String name;
    private final Process process;
    private final OutputTail output = new OutputTail(OUTPUT_TAIL_BYTES);
    private final Thread outputReader;

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.outputReader = new Thread(this::readOutput, name + "-output");
        this.outputReader.setDaemon(true);
    }

    /**
     * Starts {@code command} in {@code workingDirectory}, with standard input closed at once since
     * the servers read none.
     */
    public static ChildProcess start(String name, List<String> command, Path workingDirectory) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ChildProcessException("cannot start " + name + ": " + e.getMessage(), "", e);
        }
        ChildProcess child = new ChildProcess(name, process);
        ExitCleanup.register(child);
        process.onExit().thenRun(() -> ExitCleanup.unregister(child));
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // The child may already have exited; its output says why.
        }
        child.outputReader.start();
        return child;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes when the process has exited. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** The tail of what the process has written so far. */
    public String recentOutput() {
        return output.text();
    }

    /**
     * The tail of the output once the process has exited and the pipe is drained, so an error
     * message shows the child's last words and not a half-read line.
     */
    public String finalOutput() {
        if (!process.isAlive()) {
            try {
                outputReader.join(OUTPUT_DRAIN_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return output.text();
    }

    /**
     * Returns once {@code ready} holds. Fails with the child's output when it exits first or the
     * timeout passes (then the child is stopped, so a half-started server is not left behind).
     *
     * @param readiness what {@code ready} checks, for the message: "accepting connections on ..."
     */
    public void awaitReady(BooleanSupplier ready, String readiness, Duration timeout) {
        Await.Outcome outcome;
        try {
            outcome = Await.until(ready, process.onExit(), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(Duration.ZERO);
            throw new ChildProcessException("interrupted while waiting for " + name + " to be " + readiness,
                    finalOutput(), e);
        }
        switch (outcome) {
            case MET:
                return;
            case ABANDONED:
                throw new ChildProcessException(name + " exited with code " + process.exitValue()
                        + " before " + readiness, finalOutput());
            default:
                stop(Duration.ofSeconds(1));
                throw new ChildProcessException(name + " was not " + readiness + " after "
                        + timeout.toMillis() + " ms", finalOutput());
        }
    }

    /**
     * Asks the process to exit (SIGTERM, so nats-server can close its JetStream store cleanly),
     * kills it if it has not exited within {@code grace}, and waits until it is gone.
     */
    public void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        requestTermination();
        awaitExitUntil(System.nanoTime() + grace.toNanos());
        kill();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChildProcessException("interrupted while waiting for " + name + " to exit", recentOutput(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ChildProcessException(name + " (pid " + pid() + ") did not exit after SIGKILL", recentOutput(), e);
        }
        finalOutput();
        ExitCleanup.unregister(this);
    }

    void requestTermination() {
        process.destroy();
    }

    void awaitExitUntil(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            process.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Still running: the caller escalates to SIGKILL.
        }
    }

    void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private void readOutput() {
        byte[] buffer = new byte[4096];
        try (InputStream in = process.getInputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                output.append(buffer, 0, read);
            }
        } catch (IOException closed) {
            // The pipe closes when the process dies; what was read is kept.
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
