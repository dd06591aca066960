package fleet.console.profile;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A JetStream stream the fleet expects to exist.
 *
 * @param name      stream name
 * @param subjects  subject filters it captures ({@code *} one token, {@code >} the rest)
 * @param retention when messages may be removed besides the limits
 * @param storage   where the server keeps them
 * @param replicas  copies kept in a NATS cluster
 * @param maxAge    how long a message is kept; {@link Duration#ZERO} means no limit
 * @param maxMsgs   message count limit; -1 means none
 * @param maxBytes  size limit in bytes; -1 means none
 * @param discard   which messages go when a limit is reached
 */
public record StreamSpec(
        String name,
        List<String> subjects,
        Retention retention,
        Storage storage,
        int replicas,
        Duration maxAge,
        long maxMsgs,
        long maxBytes,
        Discard discard) {

    public enum Retention {
        LIMITS, INTEREST, WORKQUEUE;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Storage {
        FILE, MEMORY;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Discard {
        OLD, NEW;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public StreamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(discard, "discard");
        subjects = List.copyOf(subjects);
        if (subjects.isEmpty()) {
            throw new IllegalArgumentException("stream " + name + " has no subjects");
        }
    }

    /** Whether a message published on this concrete subject lands in this stream. */
    public boolean captures(String subject) {
        return subjects.stream().anyMatch(filter -> SubjectFilters.overlap(filter, subject));
    }

    /** Whether some subject would be captured by both streams, which NATS refuses. */
    public boolean overlaps(StreamSpec other) {
        return subjects.stream().anyMatch(mine -> other.subjects.stream()
                .anyMatch(theirs -> SubjectFilters.overlap(mine, theirs)));
    }
}
