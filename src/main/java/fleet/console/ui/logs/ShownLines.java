package fleet.console.ui.logs;

import javafx.collections.ObservableListBase;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines a log view shows, as the list its ListView observes: dropping lines at the top and adding
 * at the bottom each cost what they touch, not the whole list. (The standard observable array list
 * removes a range one element at a time, shifting 100,000 references per line: a frame of 20,000
 * evictions then took a second.) A ring buffer under a read-only {@link ObservableListBase}: the
 * list's own mutators throw; only its view-model changes it, once per frame, as one change event.
 */
final class ShownLines extends ObservableListBase<LogEntry> {

    private static final int MIN_CAPACITY = 1024;

    private LogEntry[] items = new LogEntry[MIN_CAPACITY];
    private int head;
    private int size;

    @Override
    public LogEntry get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        return items[slot(index)];
    }

    @Override
    public int size() {
        return size;
    }

    /**
     * Drops the first {@code drop} lines (or all there are), then adds {@code appended} at the end:
     * listeners see one change with a removal at 0 and an addition at the end.
     */
    void update(int drop, List<LogEntry> appended) {
        int n = Math.max(0, Math.min(drop, size));
        if (n == 0 && appended.isEmpty()) {
            return;
        }
        beginChange();
        try {
            if (n > 0) {
                List<LogEntry> removed = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int at = slot(i);
                    removed.add(items[at]);
                    items[at] = null;
                }
                head = (head + n) % items.length;
                size -= n;
                modCount++;
                nextRemove(0, removed);
            }
            if (!appended.isEmpty()) {
                ensure(size + appended.size());
                int from = size;
                for (LogEntry e : appended) {
                    items[slot(size)] = e;
                    size++;
                }
                modCount++;
                nextAdd(from, size);
            }
        } finally {
            endChange();
        }
    }

    /** Replaces every line (a new filter, a restarted stream). */
    void replaceAll(List<LogEntry> lines) {
        if (size == 0 && lines.isEmpty()) {
            return;
        }
        List<LogEntry> removed = new ArrayList<>(this);
        int capacity = MIN_CAPACITY;
        while (capacity < lines.size()) {
            capacity *= 2;
        }
        LogEntry[] fresh = new LogEntry[capacity];
        for (int i = 0; i < lines.size(); i++) {
            fresh[i] = lines.get(i);
        }
        items = fresh;
        head = 0;
        size = lines.size();
        modCount++;
        beginChange();
        try {
            if (!removed.isEmpty()) {
                nextRemove(0, removed);
            }
            if (size > 0) {
                nextAdd(0, size);
            }
        } finally {
            endChange();
        }
    }

    private int slot(int index) {
        int at = head + index;
        return at >= items.length ? at - items.length : at;
    }

    private void ensure(int capacity) {
        if (capacity <= items.length) {
            return;
        }
        int length = items.length;
        while (length < capacity) {
            length *= 2;
        }
        LogEntry[] grown = new LogEntry[length];
        for (int i = 0; i < size; i++) {
            grown[i] = items[slot(i)];
        }
        items = grown;
        head = 0;
    }
}
