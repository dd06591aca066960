package fleet.console.ui.nats;

import fleet.console.messaging.Impact;

import java.util.Optional;

/**
 * A destructive action waiting for the operator's yes: what it destroys in numbers, the name to type
 * back when it cannot be undone, and the {@code nats} command that does the same.
 *
 * @param typeBack the name the operator must type to confirm; empty when a plain yes is enough
 */
public record Confirmation(Kind kind, String stream, Optional<String> consumer, Impact impact, Optional<String> typeBack,
                           String command) {

    public enum Kind {
        PURGE_STREAM("Purge stream"),
        DELETE_STREAM("Delete stream"),
        DELETE_CONSUMER("Delete consumer");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** The dialog's title: "Purge stream PLANNING_EVENTS". */
    public String title() {
        return kind.title() + " " + consumer.map(c -> stream + " > " + c).orElse(stream);
    }

    /** The numbers, one per line, as the dialog lists them. */
    public String numbers() {
        String consumers = switch (kind) {
            case PURGE_STREAM -> String.format("%,d (kept, their positions move to the end)", impact.consumers());
            case DELETE_STREAM -> String.format("%,d (deleted with the stream)", impact.consumers());
            case DELETE_CONSUMER -> "1 (this one)";
        };
        String messages = kind == Kind.DELETE_CONSUMER
                ? String.format("%,d unprocessed (they stay in the stream)", impact.messages())
                : String.format("%,d", impact.messages());
        StringBuilder out = new StringBuilder();
        out.append("Messages: ").append(messages).append('\n');
        if (kind != Kind.DELETE_CONSUMER) {
            out.append("Bytes: ").append(NatsFormat.bytes(impact.bytes())).append(String.format(" (%,d B)", impact.bytes())).append('\n');
        }
        out.append("Consumers: ").append(consumers);
        if (!impact.bound().isEmpty()) {
            out.append('\n').append("In use right now: ").append(String.join(", ", impact.bound()));
        }
        return out.toString();
    }
}
