package fleet.console.ui.logs;

import java.util.List;

/**
 * How the lines a view shows changed: drop some from the top (evicted), add some at the bottom; or,
 * after a new filter, start over from {@link LogBuffer#shownLines()}.
 */
public record ViewDelta(boolean reset, int removedFromHead, List<LogEntry> appended) {

    public static final ViewDelta NONE = new ViewDelta(false, 0, List.of());
    public static final ViewDelta RESET = new ViewDelta(true, 0, List.of());

    public boolean isEmpty() {
        return !reset && removedFromHead == 0 && appended.isEmpty();
    }
}
