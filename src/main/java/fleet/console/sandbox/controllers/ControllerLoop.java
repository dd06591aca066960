package fleet.console.sandbox.controllers;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sandbox's controller manager: a de-duplicating work queue of object keys, worked by one thread.
 * Informer callbacks only enqueue; reconcilers read the API and act, level-triggered as real
 * controllers are, so a missed or repeated notification does no harm. One thread also means our own
 * writes are visible to the next reconcile without the cache lag that makes real controllers keep
 * "expectations".
 */
public final class ControllerLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ControllerLoop.class.getName());

    private final ScheduledThreadPoolExecutor thread;
    private final Map<String, BiConsumer<String, String>> reconcilers = new ConcurrentHashMap<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ControllerLoop() {
        thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sandbox-controllers");
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
    }

    /** Registers what to do for a kind; the reconciler gets (namespace, name). */
    public void register(String kind, BiConsumer<String, String> reconciler) {
        reconcilers.put(kind, reconciler);
    }

    public void enqueue(String kind, String namespace, String name) {
        enqueueAfter(Duration.ZERO, kind, namespace, name);
    }

    public void enqueueAfter(Duration delay, String kind, String namespace, String name) {
        if (closed) {
            return;
        }
        String key = kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
        if (delay.isZero()) {
            if (queued.add(key)) {
                thread.execute(() -> run(key, kind, namespace, name));
            }
        } else {
            thread.schedule(() -> enqueue(kind, namespace, name), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs a task on the controller thread (seeding, faults), after what is queued. */
    public void execute(Runnable task) {
        if (!closed) {
            thread.execute(task);
        }
    }

    public ScheduledExecutorService executor() {
        return thread;
    }

    private void run(String key, String kind, String namespace, String name) {
        queued.remove(key);
        BiConsumer<String, String> reconciler = reconcilers.get(kind);
        if (reconciler == null || closed) {
            return;
        }
        try {
            reconciler.accept(namespace, name);
            failures.remove(key);
        } catch (RuntimeException e) {
            int n = failures.merge(key, 1, Integer::sum);
            if (closed) {
                return;
            }
            LOG.log(n > 3 ? Level.WARNING : Level.FINE, "Reconcile of " + key + " failed (attempt " + n + ")", e);
            // Conflicts and races with the kubelet settle on a retry; back off so a real bug does not spin.
            enqueueAfter(Duration.ofMillis(Math.min(5000, 50L << Math.min(n, 7))), kind, namespace, name);
        }
    }

    /** Keys still waiting; for diagnostics. */
    public Set<String> pending() {
        return new LinkedHashSet<>(queued);
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
    }
}
