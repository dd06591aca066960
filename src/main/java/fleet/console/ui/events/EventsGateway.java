package fleet.console.ui.events;

import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.events.EventRow;

import java.time.Instant;
import java.util.List;

/** How the Events area follows a namespace's events; the application's gateway watches the cluster. */
public interface EventsGateway {

    /** Where the watch's changes go, on the watch's thread. */
    interface Listener {
        /** Events added or changed (a repeated event's count grows), and uids removed (expired). */
        void changed(List<EventRow> upserted, List<String> removedUids);

        void connection(boolean stale, Instant since, String why);
    }

    /** Starts following; what it returns stops that. Called on a background thread. */
    AutoCloseable watch(ClusterSession session, Listener listener);
}
