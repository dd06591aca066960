package fleet.console.ui.nats;

import fleet.console.messaging.Impact;

import java.util.List;
import java.util.Optional;

/**
 * A destructive action waiting for the operator's yes: what it destroys in numbers, the name to type
 * back when it cannot be undone, and the {@code nats} command that does the same.
 *
 * @param typeBack the name the operator must type to confirm; empty when a plain yes is enough
 * @param parts    for recreating the declared streams, one impact per declared stream (its deletion,
 *                 or "create" when it does not exist); {@code impact} is then their sum
 */
public record Confirmation(Kind kind, String stream, Optional<String> consumer, Impact impact, Optional<String> typeBack,
                           String command, List<Impact> parts) {

    /** What the operator types to confirm recreating the declared streams (when any exists). */
    public static final String RECREATE_WORD = "recreate";

    public Confirmation {
        parts = List.copyOf(parts);
    }

    public Confirmation(Kind kind, String stream, Optional<String> consumer, Impact impact, Optional<String> typeBack, String command) {
        this(kind, stream, consumer, impact, typeBack, command, List.of());
    }

    /**
     * Recreating the declared streams: the sum of what each deletion destroys, the streams deleted and
     * created again and those only created; the word {@link #RECREATE_WORD} typed back when anything
     * is destroyed.
     */
    public static Confirmation recreate(List<Impact> parts, String command) {
        long messages = parts.stream().mapToLong(Impact::messages).sum();
        long bytes = parts.stream().mapToLong(Impact::bytes).sum();
        int consumers = parts.stream().mapToInt(Impact::consumers).sum();
        List<String> bound = parts.stream().flatMap(i -> i.bound().stream().map(b -> i.target() + " > " + b)).toList();
        List<String> deleted = deleted(parts);
        String summary = deleted.isEmpty()
                ? String.format("None of the %d declared streams exists: each is created as declared. Nothing is destroyed.", parts.size())
                : String.format("Recreating the %d declared streams deletes %d of them (%s) with %,d messages (%s) and %d consumers, "
                        + "then creates all %d as declared. Streams the profile does not declare are left alone.",
                parts.size(), deleted.size(), String.join(", ", deleted), messages, NatsFormat.bytes(bytes), consumers, parts.size());
        Impact total = new Impact("recreate declared streams", parts.size() + " declared streams", messages, bytes, consumers, bound, summary);
        return new Confirmation(Kind.RECREATE_DECLARED, "", Optional.empty(), total,
                deleted.isEmpty() ? Optional.empty() : Optional.of(RECREATE_WORD), command, parts);
    }

    private static List<String> deleted(List<Impact> parts) {
        return parts.stream().filter(i -> !"create stream".equals(i.action())).map(Impact::target).toList();
    }

    public enum Kind {
        PURGE_STREAM("Purge stream"),
        DELETE_STREAM("Delete stream"),
        DELETE_CONSUMER("Delete consumer"),
        RECREATE_DECLARED("Recreate declared streams");

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
        if (kind == Kind.RECREATE_DECLARED) {
            return kind.title();
        }
        return kind.title() + " " + consumer.map(c -> stream + " > " + c).orElse(stream);
    }

    /** What the operator is asked to type, in words. */
    public String typeBackPrompt() {
        return kind == Kind.RECREATE_DECLARED ? "Type " + RECREATE_WORD + " to confirm:"
                : "Type the stream's name, " + typeBack.orElse(stream) + ", to confirm:";
    }

    /** Why a wrong word typed back did nothing. */
    public String typeBackProblem() {
        return kind == Kind.RECREATE_DECLARED ? "Type " + RECREATE_WORD + " exactly to recreate the streams; nothing was changed."
                : "Type " + typeBack.orElse(stream) + " exactly to delete it; nothing was deleted.";
    }

    /** The numbers, one per line, as the dialog lists them. */
    public String numbers() {
        if (kind == Kind.RECREATE_DECLARED) {
            return recreateNumbers();
        }
        String consumers = switch (kind) {
            case PURGE_STREAM -> String.format("%,d (kept, their positions move to the end)", impact.consumers());
            case DELETE_STREAM -> String.format("%,d (deleted with the stream)", impact.consumers());
            case DELETE_CONSUMER -> "1 (this one)";
            case RECREATE_DECLARED -> throw new IllegalStateException();
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

    private String recreateNumbers() {
        List<String> deleted = deleted(parts);
        List<String> created = parts.stream().filter(i -> "create stream".equals(i.action())).map(Impact::target).toList();
        StringBuilder out = new StringBuilder();
        out.append(String.format("Streams deleted and created again: %d%s%n", deleted.size(),
                deleted.isEmpty() ? "" : " (" + String.join(", ", deleted) + ")"));
        out.append(String.format("Streams created (missing now): %d%s%n", created.size(),
                created.isEmpty() ? "" : " (" + String.join(", ", created) + ")"));
        out.append(String.format("Messages: %,d%n", impact.messages()));
        out.append("Bytes: ").append(NatsFormat.bytes(impact.bytes())).append(String.format(" (%,d B)%n", impact.bytes()));
        out.append(String.format("Consumers: %,d (deleted with their streams)", impact.consumers()));
        if (!impact.bound().isEmpty()) {
            out.append('\n').append("In use right now: ").append(String.join(", ", impact.bound()));
        }
        return out.toString();
    }
}
