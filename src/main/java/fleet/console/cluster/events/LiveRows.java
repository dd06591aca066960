package fleet.console.cluster.events;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The rows of one informer, kept by uid and handed on as changes: the first call is the whole initial
 * list (not one call per object), then each add, change or removal; rows that come out equal are not
 * repeated. Shared by the pod and event watches, so that both report the connection the same way.
 * Listeners are called on the informer's thread, one call at a time, never on the FX thread.
 *
 * @param <T> the Kubernetes object
 * @param <R> its row
 */
public final class LiveRows<T extends HasMetadata, R> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LiveRows.class.getName());

    /** Where the changes go. */
    public interface Listener<R> {
        void changed(List<R> upserted, List<String> removedUids);

        void connection(boolean stale, Instant since, String why);
    }

    private final SharedIndexInformer<T> informer;
    private final Function<T, R> toRow;
    /** A row computed again from the informer's cache; by default as new, from the cached object. */
    private BiFunction<R, T, R> again;
    private final Listener<R> listener;
    private final Clock clock;
    private final Map<String, R> rows = new LinkedHashMap<>();
    private boolean listed;
    /** Whether the first list was handed on (it waits for {@link #firstListAfter}'s stage when one is set). */
    private boolean delivered;
    private boolean ready = true;
    /** Whether a row was computed before that stage completed (the first list computes it again). */
    private boolean computedEarly;
    private boolean stale;
    private boolean closed;

    /** Takes an informer that is not started yet; {@link #start()} starts it. */
    public LiveRows(SharedIndexInformer<T> informer, Function<T, R> toRow, Listener<R> listener, Clock clock) {
        this.informer = informer;
        this.toRow = toRow;
        this.again = (row, object) -> toRow.apply(object);
        this.listener = listener;
        this.clock = clock;
        informer.addEventHandler(new Handler());
        // Retrying is always right for an operator's console: the server, the VPN or a permission may come
        // back; meanwhile the rows are shown as stale rather than dropped.
        informer.exceptionHandler((started, error) -> {
            lost(error);
            return true;
        });
    }

    private AutoCloseable following;

    /**
     * For an informer whose cache keeps less than the whole object (see {@link KeptMetadata}): how a row
     * is computed again, for {@link #refresh} and a first list that came early, from the row made when the
     * object arrived and what the cache kept of it. Call before {@link #start()}.
     */
    public LiveRows<T, R> computeAgainWith(BiFunction<R, T, R> function) {
        synchronized (rows) {
            again = Objects.requireNonNull(function);
        }
        return this;
    }

    /**
     * Also hears of the API server's absence from the session's client (fabric8 reconnects a broken
     * watch without telling the informer's exception handler): stale at the first refused connection,
     * fresh at the first answer.
     */
    public LiveRows<T, R> follow(java.util.Optional<fleet.console.cluster.ApiReachability> reachability) {
        reachability.ifPresent(r -> following = r.follow(new fleet.console.cluster.ApiReachability.Listener() {
            @Override
            public void lost(Throwable why) {
                LiveRows.this.lost(why);
            }

            @Override
            public void regained() {
                synchronized (rows) {
                    alive();
                }
            }
        }));
        return this;
    }

    /**
     * Hands on the first list only once {@code stage} completes (either way), with every row computed
     * again then if the list came first: for rows that read another informer's cache (a pod's Deployment
     * through its ReplicaSet), started at the same time instead of before. Call before {@link #start()}.
     */
    public LiveRows<T, R> firstListAfter(java.util.concurrent.CompletionStage<?> stage) {
        synchronized (rows) {
            ready = false;
        }
        stage.whenComplete((ok, error) -> {
            synchronized (rows) {
                ready = true;
                if (listed && !delivered && !closed) {
                    deliverFirstList();
                }
            }
        });
        return this;
    }

    /** Called with the lock held, once: the first list, its rows computed again if any was computed too early. */
    private void deliverFirstList() {
        if (computedEarly) {
            for (T object : informer.getStore().list()) {
                rows.computeIfPresent(uid(object), (uid, row) -> again.apply(row, object));
            }
            computedEarly = false;
        }
        delivered = true;
        deliver(List.copyOf(rows.values()), List.of());
    }

    /** Starts the informer; completes once the first list is in. */
    public java.util.concurrent.CompletionStage<Void> start() {
        return informer.start();
    }

    public SharedIndexInformer<T> informer() {
        return informer;
    }

    /** The rows as they are now, in the order their objects were first seen. */
    public List<R> snapshot() {
        synchronized (rows) {
            return List.copyOf(rows.values());
        }
    }

    /** Whether the first list has been delivered. */
    public boolean listed() {
        synchronized (rows) {
            return delivered;
        }
    }

    /**
     * Computes again the rows of the cached objects that match, for a change outside the object itself
     * (the ReplicaSet that names a pod's Deployment arrived), and hands on those that differ.
     */
    public void refresh(Predicate<T> which) {
        synchronized (rows) {
            List<R> changed = new ArrayList<>();
            for (T object : informer.getStore().list()) {
                R old = rows.get(uid(object));
                if (old != null && which.test(object)) {
                    computedEarly |= !ready;
                    R row = again.apply(old, object);
                    rows.put(uid(object), row);
                    if (!row.equals(old)) {
                        changed.add(row);
                    }
                }
            }
            if (delivered && !closed && !changed.isEmpty()) {
                deliver(changed, List.of());
            }
        }
    }

    @Override
    public void close() {
        synchronized (rows) {
            closed = true;
        }
        if (following != null) {
            try {
                following.close();
            } catch (Exception e) {
                // only a list removal
            }
        }
        informer.close();
    }

    private void lost(Throwable error) {
        synchronized (rows) {
            if (closed || stale) {
                return;
            }
            stale = true;
            String why = why(error);
            LOG.log(Level.FINE, "Watch of " + informer.getApiTypeClass().getSimpleName() + " lost: " + why, error);
            try {
                listener.connection(true, clock.instant(), why);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A listener failed on a lost connection", e);
            }
        }
    }

    /** Called with the lock held: any sign of life from the server ends a stale period. */
    private void alive() {
        if (stale && !closed) {
            stale = false;
            try {
                listener.connection(false, clock.instant(), "");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A listener failed on a regained connection", e);
            }
        }
    }

    private void deliver(List<R> upserted, List<String> removed) {
        try {
            listener.changed(upserted, removed);
        } catch (RuntimeException e) {
            // A failing listener must not stop the informer: the next change will reach it again.
            LOG.log(Level.WARNING, "A listener failed on " + upserted.size() + " changed and " + removed.size() + " removed rows", e);
        }
    }

    static String why(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (error instanceof KubernetesClientException k && k.getCode() > 0) {
            return "HTTP " + k.getCode() + ": " + Objects.requireNonNullElse(k.getStatus() == null ? null : k.getStatus().getMessage(),
                    String.valueOf(k.getMessage()));
        }
        if (root instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    private static String uid(HasMetadata object) {
        String uid = object.getMetadata().getUid();
        // The uid is what removals name; an object without one (hand-made in a test) is keyed by name.
        return uid != null ? uid : object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    private final class Handler implements ResourceEventHandler<T> {
        @Override
        public void onList(String resourceVersion, boolean empty) {
            synchronized (rows) {
                if (closed) {
                    return;
                }
                alive();
                if (!listed) {
                    listed = true;
                    if (ready) {
                        deliverFirstList();
                    }
                }
            }
        }

        @Override
        public void onNothing() {
            onList(null, true);
        }

        @Override
        public void onAdd(T object) {
            upsert(object);
        }

        @Override
        public void onUpdate(T before, T after) {
            upsert(after);
        }

        @Override
        public void onDelete(T object, boolean finalStateUnknown) {
            synchronized (rows) {
                if (closed) {
                    return;
                }
                alive();
                String uid = uid(object);
                if (rows.remove(uid) != null && delivered) {
                    deliver(List.of(), List.of(uid));
                }
            }
        }

        private void upsert(T object) {
            boolean early;
            synchronized (rows) {
                early = !ready;
            }
            R computed = toRow.apply(object);
            synchronized (rows) {
                if (closed) {
                    return;
                }
                // Computed while the other cache was not in, which it is now: computed again.
                R row = early && ready ? toRow.apply(object) : computed;
                computedEarly |= early && !ready;
                alive();
                R old = rows.put(uid(object), row);
                if (delivered && !row.equals(old)) {
                    deliver(List.of(row), List.of());
                }
            }
        }
    }
}
