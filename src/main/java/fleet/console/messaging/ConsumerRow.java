package fleet.console.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A JetStream consumer as the NATS area lists it, across all streams.
 *
 * @param durable      the durable name, or the server-given name of an ephemeral consumer
 * @param push         push (deliver subject) or pull
 * @param unprocessed  messages not yet delivered ({@code num_pending})
 * @param ackPending   delivered, not yet acknowledged
 * @param waiting      outstanding pull requests
 * @param bound        a push consumer has an active subscriber
 * @param lastActive   the later of last delivery and last acknowledgement
 */
public record ConsumerRow(String stream, String durable, boolean ephemeral, boolean push, String deliverSubject,
                          String deliverGroup, List<String> filterSubjects, String ackPolicy, long unprocessed,
                          long ackPending, long redelivered, long waiting, boolean bound, long lastDeliveredSequence,
                          Optional<Instant> lastDelivered, long ackFloorSequence, Optional<Instant> lastAcked,
                          Optional<Instant> created) {

    public ConsumerRow {
        filterSubjects = List.copyOf(filterSubjects);
    }

    public Optional<Instant> lastActive() {
        if (lastDelivered.isEmpty()) {
            return lastAcked;
        }
        if (lastAcked.isEmpty()) {
            return lastDelivered;
        }
        return Optional.of(lastDelivered.get().isAfter(lastAcked.get()) ? lastDelivered.get() : lastAcked.get());
    }

    /** Someone is there to receive: a bound push subscriber, or a waiting pull request. */
    public boolean hasInterest() {
        return push ? bound : waiting > 0;
    }

    /** {@code STREAM > durable}, how the console names a consumer in one line. */
    public String key() {
        return stream + " > " + durable;
    }
}
