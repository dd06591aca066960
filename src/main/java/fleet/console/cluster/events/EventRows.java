package fleet.console.cluster.events;

import fleet.console.cluster.ApiTime;
import io.fabric8.kubernetes.api.model.Event;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Optional;

/**
 * A core/v1 Event as a row. Events come in two shapes: the classic one (count, first and last timestamp)
 * and the newer one written through events.k8s.io (eventTime and a series): both give count, first and
 * last seen here.
 */
public final class EventRows {

    /** Newest first, as an operator reads events: by last seen, then first seen. */
    public static final Comparator<EventRow> NEWEST_FIRST = Comparator.comparing(EventRow::lastSeen)
            .thenComparing(EventRow::firstSeen).reversed();

    private EventRows() {
    }

    public static EventRow of(Event e) {
        var meta = e.getMetadata();
        Optional<Instant> eventTime = Optional.ofNullable(e.getEventTime()).map(t -> t.getTime()).flatMap(EventRows::time);
        Instant created = time(meta.getCreationTimestamp()).orElse(Instant.EPOCH);
        Instant first = time(e.getFirstTimestamp()).or(() -> eventTime).orElse(created);
        Instant last = time(e.getLastTimestamp())
                .or(() -> Optional.ofNullable(e.getSeries()).map(s -> s.getLastObservedTime()).map(t -> t.getTime()).flatMap(EventRows::time))
                .or(() -> eventTime)
                .orElse(first);
        int count = e.getCount() != null ? e.getCount()
                : e.getSeries() != null && e.getSeries().getCount() != null ? e.getSeries().getCount() : 1;
        var object = e.getInvolvedObject();
        String uid = meta.getUid() != null ? meta.getUid() : meta.getNamespace() + "/" + meta.getName();
        return new EventRow(uid, nullToEmpty(e.getType()), nullToEmpty(e.getReason()),
                object == null ? "" : nullToEmpty(object.getKind()), object == null ? "" : nullToEmpty(object.getName()),
                nullToEmpty(e.getMessage()).strip(), count, first, last);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** An API timestamp; absent when missing or malformed (a row must not fail on one field). */
    public static Optional<Instant> time(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        // The API server's own form, read without a formatter: a list of thousands of objects has one each.
        Instant quick = ApiTime.utc(text);
        if (quick != null) {
            return Optional.of(quick);
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }
}
