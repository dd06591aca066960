package fleet.console.cluster.logs;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a container's log was delivered up to, so a stream reopened after a cut neither repeats nor
 * skips a line. The API takes {@code sinceTime} in whole seconds, so a reopened stream starts at the
 * second of the last delivered line and repeats what was already delivered in that second: those lines
 * are recognised by timestamp and text (counted, since a service may print the same line twice in one
 * instant) and dropped; everything after them is new.
 */
final class ResumePoint {

    /** Lines at one instant kept in order before they are counted instead (a stream without timestamps). */
    private static final int LISTED_AT_LAST = 1024;

    private Instant last;
    /**
     * The texts delivered at {@link #last}, in order; counted only when a stream is reopened, so that a
     * busy log's line costs no hashing of its text (8 % of the reading thread's CPU on the logs benchmark).
     */
    private final List<String> deliveredAtLast = new ArrayList<>();
    /** Beyond {@link #LISTED_AT_LAST} lines at one instant, the rest counted at once. */
    private final Map<String, Integer> moreAtLast = new HashMap<>();
    private Map<String, Integer> toSkip = Map.of();
    private boolean skipping;

    /** The {@code sinceTime} to reopen with: the last delivered line's second; empty before any line. */
    Optional<Instant> since() {
        return Optional.ofNullable(last).map(t -> t.truncatedTo(ChronoUnit.SECONDS));
    }

    Optional<Instant> last() {
        return Optional.ofNullable(last);
    }

    /** A new read of the same run begins: what it repeats of the delivered lines will be dropped. */
    void reopen() {
        Map<String, Integer> counts = new HashMap<>(moreAtLast);
        for (String text : deliveredAtLast) {
            counts.merge(text, 1, Integer::sum);
        }
        toSkip = counts;
        skipping = last != null;
    }

    /** A new run of the container: all its lines are new. */
    void newRun() {
        last = null;
        deliveredAtLast.clear();
        moreAtLast.clear();
        toSkip = Map.of();
        skipping = false;
    }

    /** Whether the line is new (and is now counted as delivered), or a repeat to drop. */
    boolean accept(Instant time, String text) {
        if (skipping) {
            if (time.isBefore(last)) {
                return false;
            }
            if (time.equals(last)) {
                Integer left = toSkip.get(text);
                if (left != null && left > 0) {
                    toSkip.put(text, left - 1);
                    return false;
                }
            } else {
                skipping = false;
            }
        }
        if (last == null || time.isAfter(last)) {
            last = time;
            deliveredAtLast.clear();
            moreAtLast.clear();
        }
        if (time.equals(last)) {
            if (deliveredAtLast.size() < LISTED_AT_LAST) {
                deliveredAtLast.add(text);
            } else {
                moreAtLast.merge(text, 1, Integer::sum);
            }
        }
        return true;
    }
}
