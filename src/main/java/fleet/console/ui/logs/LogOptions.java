package fleet.console.ui.logs;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a log is read: which container, the previous run or the current one, live or not, and how many
 * of the last lines to start with (empty: all of them).
 */
public record LogOptions(Optional<String> container, boolean previous, boolean follow, OptionalInt tail) {

    /** The last 1,000 lines of the current run, then live: what an operator wants first. */
    public static final int DEFAULT_TAIL = 1_000;

    public static LogOptions live(Optional<String> container) {
        return new LogOptions(container, false, true, OptionalInt.of(DEFAULT_TAIL));
    }

    /** The run before the current one: where a crash-looping container wrote why it died. */
    public static LogOptions previousRun(Optional<String> container) {
        return new LogOptions(container, true, false, OptionalInt.empty());
    }
}
