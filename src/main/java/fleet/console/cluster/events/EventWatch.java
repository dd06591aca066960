package fleet.console.cluster.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The namespace's events as rows, kept current by an informer (no polling). */
public final class EventWatch implements AutoCloseable {

    public interface Listener {
        /** On the informer's thread: rows added or changed, and uids removed. First call = initial list. */
        void changed(List<EventRow> upserted, List<String> removedUids);

        /** The watch lost the API server (stale = true, since when, why) or got it back (stale = false). */
        default void connection(boolean stale, Instant since, String why) {
        }
    }

    private final LiveRows<Event, EventRow> rows;

    private EventWatch(LiveRows<Event, EventRow> rows) {
        this.rows = rows;
    }

    public static EventWatch start(KubernetesClient client, String namespace, Listener listener) {
        // The informer's cache keeps only each event's metadata: a row is made from the whole event as it
        // arrives, and depends on nothing else, so it is never made again from the cache.
        LiveRows<Event, EventRow> rows = new LiveRows<>(client.v1().events().inNamespace(namespace).runnableInformer(0)
                .itemStore(new KeptMetadata<>(Event::new)),
                EventRows::of, new LiveRows.Listener<>() {
                    @Override
                    public void changed(List<EventRow> upserted, List<String> removedUids) {
                        listener.changed(upserted, removedUids);
                    }

                    @Override
                    public void connection(boolean stale, Instant since, String why) {
                        listener.connection(stale, since, why);
                    }
                }, Clock.systemUTC()).computeAgainWith((row, event) -> row).follow(fleet.console.cluster.ApiReachability.of(client));
        rows.start();
        return new EventWatch(rows);
    }

    /** The events as they are now (empty until the first list is in). */
    public List<EventRow> snapshot() {
        return rows.snapshot();
    }

    @Override
    public void close() {
        rows.close();
    }
}
