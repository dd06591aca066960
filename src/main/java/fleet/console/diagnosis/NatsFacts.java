package fleet.console.diagnosis;

import fleet.console.messaging.ConsumerRow;
import fleet.console.messaging.StreamRow;
import fleet.console.profile.SubjectFilters;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the NATS server held when the diagnosis looked: its streams and every consumer, or why it could
 * not be asked (then the NATS rules say nothing rather than guess).
 */
public record NatsFacts(Optional<String> problem, List<StreamRow> streams, List<ConsumerRow> consumers,
                        Map<String, Instant> oldestWaiting, Instant readAt) {

    public NatsFacts {
        streams = List.copyOf(streams);
        consumers = List.copyOf(consumers);
        oldestWaiting = Map.copyOf(oldestWaiting);
    }

    public static NatsFacts unavailable(String why, Instant at) {
        return new NatsFacts(Optional.of(why), List.of(), List.of(), Map.of(), at);
    }

    /**
     * @param oldestWaiting by consumer key ({@link ConsumerRow#key()}): when the oldest message it has not
     *                      taken yet was stored, for the consumers with messages waiting
     */
    public static NatsFacts of(List<StreamRow> streams, List<ConsumerRow> consumers, Map<String, Instant> oldestWaiting, Instant at) {
        return new NatsFacts(Optional.empty(), streams, consumers, oldestWaiting, at);
    }

    /** When the oldest message a consumer has not taken was stored, when known. */
    public Optional<Instant> oldestWaiting(ConsumerRow c) {
        return Optional.ofNullable(oldestWaiting.get(c.key()));
    }

    public boolean available() {
        return problem.isEmpty();
    }

    /** The stream that captures a subject (a message published to it lands there). */
    public Optional<StreamRow> streamCapturing(String subject) {
        return streams.stream().filter(s -> s.subjects().stream().anyMatch(f -> SubjectFilters.overlap(f, subject))).findFirst();
    }

    /** A durable by name, on whichever stream it lives. */
    public Optional<ConsumerRow> consumer(String durable) {
        return consumers.stream().filter(c -> !c.ephemeral() && c.durable().equals(durable)).findFirst();
    }
}
