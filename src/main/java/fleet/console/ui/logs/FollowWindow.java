package fleet.console.ui.logs;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.ObservableListBase;

import java.util.ArrayList;
import java.util.List;

/**
 * What the log's list control holds: while the view follows the newest line, only the last
 * {@link #FOLLOWED} of the shown lines; otherwise all of them. JavaFX 21's VirtualFlow walks every row it
 * holds, one boxed height at a time, on each change of its row count and each scroll to the end, so a view
 * following 100,000 lines spent its frames adding up heights nobody looks at. While following, the
 * operator sees the bottom; the moment they scroll up, press a key to move, or go to a match, the view
 * stops following and the window opens to every held line (one change: lines added at the top), which the
 * view answers by keeping the same lines in sight.
 * <p>
 * A read-only view of {@link ShownLines}: it re-fires that list's changes, cut to the window.
 */
final class FollowWindow extends ObservableListBase<LogEntry> {

    /** Lines the list control holds while following: a hundred screens or so. */
    static final int FOLLOWED = 5_000;

    private final ObservableList<LogEntry> lines;
    private final int followed;
    private boolean following;
    /** Lines of {@link #lines} at its head that the window leaves out. */
    private int hidden;

    FollowWindow(ObservableList<LogEntry> lines, int followed, boolean following) {
        this.lines = lines;
        this.followed = followed;
        this.following = following;
        this.hidden = hiddenFor(lines.size());
        lines.addListener(this::onLinesChanged);
    }

    @Override
    public LogEntry get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException(index + " of " + size());
        }
        return lines.get(hidden + index);
    }

    @Override
    public int size() {
        return lines.size() - hidden;
    }

    /** Lines of the shown list before the window's first; 0 when the view does not follow. */
    int hidden() {
        return hidden;
    }

    boolean following() {
        return following;
    }

    /** Following: only the last lines; not following: every line, the ones above added at the top. */
    void follow(boolean on) {
        if (on == following) {
            return;
        }
        following = on;
        int now = hiddenFor(lines.size());
        if (now == hidden) {
            return;
        }
        beginChange();
        try {
            if (now > hidden) {
                List<LogEntry> removed = new ArrayList<>(lines.subList(hidden, now));
                hidden = now;
                nextRemove(0, removed);
            } else {
                int opened = hidden - now;
                hidden = now;
                nextAdd(0, opened);
            }
        } finally {
            endChange();
        }
    }

    private int hiddenFor(int size) {
        return following ? Math.max(0, size - followed) : 0;
    }

    /**
     * {@link ShownLines} changes in one shape: lines dropped at the head, then lines appended at the end (a
     * reset drops them all and appends the new ones). The window drops what left it at its head and adds what
     * entered it at its end.
     */
    private void onLinesChanged(ListChangeListener.Change<? extends LogEntry> c) {
        List<LogEntry> droppedAtHead = new ArrayList<>();
        int appended = 0;
        while (c.next()) {
            if (c.wasRemoved()) {
                droppedAtHead.addAll(c.getRemoved());
            }
            if (c.wasAdded()) {
                appended += c.getAddedSize();
            }
        }
        int dropped = droppedAtHead.size();
        int newSize = lines.size();
        int oldSize = newSize + dropped - appended;
        // In the old list's positions: the window was [hidden, oldSize), it becomes [start, oldSize + appended).
        int newHidden = hiddenFor(newSize);
        int start = newHidden + dropped;
        int leaving = Math.max(0, Math.min(start, oldSize) - hidden);
        int oldWindow = oldSize - hidden;
        List<LogEntry> left = new ArrayList<>(leaving);
        for (int p = hidden; p < hidden + leaving; p++) {
            left.add(p < dropped ? droppedAtHead.get(p) : lines.get(p - dropped));
        }
        int staying = oldWindow - leaving;
        hidden = newHidden;
        int newWindow = size();
        if (leaving == 0 && newWindow == staying) {
            return;
        }
        beginChange();
        try {
            if (leaving > 0) {
                nextRemove(0, left);
            }
            if (newWindow > staying) {
                nextAdd(staying, newWindow);
            }
        } finally {
            endChange();
        }
    }
}
