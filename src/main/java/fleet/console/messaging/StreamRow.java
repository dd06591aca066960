package fleet.console.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A JetStream stream as the NATS area lists it: configuration, state and limits. */
public record StreamRow(String name, List<String> subjects, String retention, String storage, int replicas,
                        long messages, long bytes, long firstSequence, Optional<Instant> firstTime, long lastSequence,
                        Optional<Instant> lastTime, long consumers, Duration maxAge, long maxMsgs, long maxBytes,
                        String discard) {

    public StreamRow {
        subjects = List.copyOf(subjects);
    }
}
