package fleet.console.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A running container as its program sees it. Every callback runs on the kubelet's thread. */
public interface ProgramContext {

    Pod pod();

    Container container();

    /** How many times this container has restarted before this run. */
    int restartCount();

    /** The container's environment with ConfigMap and Secret references resolved, as the process sees it. */
    Map<String, String> environment();

    /** Writes one line to the container's log, stamped now. */
    void log(String line);

    /** Runs later, unless the container has stopped by then. */
    void after(Duration delay, Runnable action);

    /** Runs now and then, until the container stops. */
    void every(Duration period, Runnable action);

    /** Runs blocking work (network, NATS) off the kubelet's thread, then continues on it. */
    <T> void blocking(Supplier<T> work, Consumer<T> then, Consumer<Throwable> failed);

    /** Readiness as a readiness probe would report it. */
    void ready(boolean ready);

    /**
     * The readiness probe failed this time, with the prober's words ({@code HTTP probe failed with
     * statuscode: 404}): not ready, and a Warning event Unhealthy, as the kubelet's prober reports it.
     */
    void readinessFailed(String message);

    /** The process ends with this exit code; reason as the runtime reports it (Error, Completed, OOMKilled). */
    void exit(int exitCode, String reason);

    /** Whether the container is still running (false once it exited or was stopped). */
    boolean running();
}
