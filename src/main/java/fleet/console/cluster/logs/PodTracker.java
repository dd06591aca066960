package fleet.console.cluster.logs;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One pod as an informer sees it, for a log stream to decide what a closed stream means (a cut, a
 * restart, the pod gone) and to wait for the pod's next change instead of polling.
 */
final class PodTracker implements AutoCloseable {

    private final SharedIndexInformer<Pod> informer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long version;
    private boolean closed;

    PodTracker(KubernetesClient client, String namespace, String pod) {
        this.informer = client.pods().inNamespace(namespace).withName(pod).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod obj) {
                signal();
            }

            @Override
            public void onUpdate(Pod oldObj, Pod newObj) {
                signal();
            }

            @Override
            public void onDelete(Pod obj, boolean deletedFinalStateUnknown) {
                signal();
            }

            @Override
            public void onList(String resourceVersion, boolean empty) {
                signal();
            }
        });
    }

    /** Starts and waits for the first list; false when it did not come in time. */
    boolean start(Duration timeout) throws InterruptedException {
        try {
            informer.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** The pod now, or null once it is gone. */
    Pod current() {
        List<Pod> pods = informer.getStore().list();
        return pods.isEmpty() ? null : pods.get(0);
    }

    /** A number that changes with every change of the pod; take it before reading {@link #current()}. */
    long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the pod changes after {@code seen}, at most {@code timeout}; false on timeout or close. */
    boolean awaitChange(long seen, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (version == seen && !closed) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        informer.close();
    }
}
