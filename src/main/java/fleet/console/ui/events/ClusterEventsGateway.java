package fleet.console.ui.events;

import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.events.EventRow;
import fleet.console.cluster.events.EventWatch;

import java.time.Instant;
import java.util.List;

/** The Events area's seam to a real cluster (or the sandbox): the gateway's event watch. */
public final class ClusterEventsGateway implements EventsGateway {

    @Override
    public AutoCloseable watch(ClusterSession session, Listener listener) {
        return EventWatch.start(session.client(), session.namespace(), new EventWatch.Listener() {
            @Override
            public void changed(List<EventRow> upserted, List<String> removedUids) {
                listener.changed(upserted, removedUids);
            }

            @Override
            public void connection(boolean stale, Instant since, String why) {
                listener.connection(stale, since, why);
            }
        });
    }
}
