package fleet.console.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code kubectl wait}, done properly: an informer on what the condition is about, the condition checked
 * on every change it sees, never on a timer; it gives up at the timeout or when cancelled.
 */
public final class ClusterWait {

    /** How a wait ended. */
    public enum Outcome { MET, TIMED_OUT, CANCELLED }

    /**
     * A watch can miss an event (a dropped connection the informer has not noticed yet); every so often
     * without news the condition is checked once on a fresh list, so a wait never hangs on a lost event.
     */
    private static final Duration SAFETY_CHECK = Duration.ofSeconds(5);

    private ClusterWait() {
    }

    /**
     * Whether the condition holds now. An API server that does not answer (an outage, a broken
     * connection) is not the condition met, nor the wait failed: it goes on waiting, within its timeout,
     * and the informer catches up when the server is back.
     */
    private static <T> boolean holds(Predicate<List<T>> condition, Supplier<List<T>> read) {
        try {
            return condition.test(read.get());
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 408 && e.getCode() != 429) {
                throw e; // refused for a reason (forbidden, invalid): waiting would not change it
            }
            return false;
        }
    }

    /**
     * @param source what the condition is about, watched
     * @param fresh  the same read directly from the API, for the occasional check without the watch
     */
    public static <T extends HasMetadata> Outcome until(Informable<T> source, Supplier<List<T>> fresh, Predicate<List<T>> condition,
                                                        Duration timeout, Cancellation cancel) throws InterruptedException {
        return until(source, fresh, condition, timeout, cancel, wake -> { });
    }

    /**
     * As above, with other things to wake the check: {@code wakeups} is handed the wake-up, for sources the
     * informer does not see (log lines arriving on a follow).
     */
    public static <T extends HasMetadata> Outcome until(Informable<T> source, Supplier<List<T>> fresh, Predicate<List<T>> condition,
                                                        Duration timeout, Cancellation cancel, java.util.function.Consumer<Runnable> wakeups)
            throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        Condition changed = lock.newCondition();
        long[] version = {0};
        Runnable signal = () -> {
            lock.lock();
            try {
                version[0]++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        };
        SharedIndexInformer<T> informer = source.runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                signal.run();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                signal.run();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                signal.run();
            }
        });
        // Started, not awaited: a server that is away now (an outage) is waited out like any other
        // condition, within the timeout; the informer keeps retrying and its list wakes the check.
        informer.exceptionHandler((started, error) -> {
            signal.run();
            return true;
        });
        informer.start().whenComplete((ok, error) -> signal.run());
        cancel.onCancel(signal);
        wakeups.accept(signal);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long seen;
                lock.lock();
                try {
                    seen = version[0];
                } finally {
                    lock.unlock();
                }
                if (cancel.isCancelled()) {
                    return Outcome.CANCELLED;
                }
                // Only a listed cache says anything: an empty one before its first list is no news.
                if (informer.hasSynced() && holds(condition, () -> informer.getStore().list())) {
                    return Outcome.MET;
                }
                boolean news;
                lock.lock();
                try {
                    long left = deadline - System.nanoTime();
                    if (version[0] == seen && left > 0) {
                        changed.await(Math.min(left, SAFETY_CHECK.toNanos()), TimeUnit.NANOSECONDS);
                    }
                    news = version[0] != seen;
                } finally {
                    lock.unlock();
                }
                if (!news && holds(condition, fresh)) {
                    return Outcome.MET;
                }
                if (deadline - System.nanoTime() <= 0) {
                    return holds(condition, fresh) ? Outcome.MET : Outcome.TIMED_OUT;
                }
            }
        } finally {
            informer.close();
        }
    }
}
