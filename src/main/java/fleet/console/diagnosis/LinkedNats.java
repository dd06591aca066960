package fleet.console.diagnosis;

import fleet.console.messaging.ConsumerRow;
import fleet.console.messaging.JetStreamInventory;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsProblem;
import fleet.console.messaging.StreamRow;

import io.nats.client.JetStreamApiException;
import io.nats.client.api.MessageInfo;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NATS for the diagnosis through a link it opens when first asked and keeps while it stays connected (a
 * port-forward to nats-0 on a cluster costs a round trip or two); a broken link is opened again next time.
 */
public final class LinkedNats implements NatsSource, AutoCloseable {

    /** Opens the console's link to the fleet's NATS ({@code NatsLink.open(NatsTarget.InCluster.fleet(ns), ...)}). */
    @FunctionalInterface
    public interface Opener {
        NatsLink open() throws NatsProblem;
    }

    /** Consumers with a backlog asked for its age, at most (each is one request). */
    private static final int MAX_LOOKUPS = 100;

    private final Opener opener;
    private final Clock clock;
    private NatsLink link;

    public LinkedNats(Opener opener, Clock clock) {
        this.opener = opener;
        this.clock = clock;
    }

    @Override
    public synchronized NatsFacts read() {
        try {
            if (link != null && !link.state().connected()) {
                link.close();
                link = null;
            }
            if (link == null) {
                link = opener.open();
            }
            JetStreamInventory inventory = new JetStreamInventory(link.management());
            List<StreamRow> streams = inventory.streams();
            List<ConsumerRow> consumers = inventory.allConsumers(streams);
            return NatsFacts.of(streams, consumers, oldestWaiting(consumers), clock.instant());
        } catch (NatsProblem e) {
            closeLink();
            return NatsFacts.unavailable(e.getMessage(), clock.instant());
        } catch (RuntimeException e) {
            closeLink();
            return NatsFacts.unavailable("NATS could not be read: " + e.getMessage(), clock.instant());
        }
    }

    /**
     * For each durable with messages not yet delivered: when the first of them was stored (the next
     * message on its filter after the last one it was given). A consumer with a message waiting for a
     * second is busy; one waiting for minutes is not taking its messages.
     */
    private Map<String, Instant> oldestWaiting(List<ConsumerRow> consumers) {
        Map<String, Instant> out = new HashMap<>();
        int asked = 0;
        for (ConsumerRow c : consumers) {
            if (c.ephemeral() || c.unprocessed() == 0 || c.filterSubjects().size() > 1 || asked++ >= MAX_LOOKUPS) {
                continue;
            }
            try {
                String filter = c.filterSubjects().isEmpty() ? ">" : c.filterSubjects().get(0);
                MessageInfo next = link.management().getNextMessage(c.stream(), c.lastDeliveredSequence() + 1, filter);
                if (next != null && next.getTime() != null) {
                    out.put(c.key(), next.getTime().toInstant());
                }
            } catch (IOException | JetStreamApiException | NatsProblem | RuntimeException e) {
                // Not knowing when is no reason to fail the read: the rule falls back on the last activity.
            }
        }
        return out;
    }

    /** The open link, for a test publish; opened if needed. */
    synchronized NatsLink link() throws NatsProblem {
        if (link == null || !link.state().connected()) {
            closeLink();
            link = opener.open();
        }
        return link;
    }

    private void closeLink() {
        if (link != null) {
            link.close();
            link = null;
        }
    }

    @Override
    public synchronized void close() {
        closeLink();
    }
}
