package fleet.console.ui.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lines of one log view: a bounded ring (the oldest lines are evicted and counted, so memory stays
 * flat however long a pod talks), the search with its matches, the filter that keeps a few lines of
 * context around each match, and pause (lines keep arriving and are counted as waiting; the view
 * catches up on resume).
 * <p>
 * Each change returns a {@link ViewDelta} saying how the shown lines changed, so the view applies it to
 * its list without copying 100,000 lines each frame.
 * <p>
 * Lines are held as {@link LogEntry} objects. Packing them instead (their text in shared byte arrays
 * large enough for G1 to keep out of the young generation, the rest in primitive arrays, entries made
 * again on demand) was tried and measured: under the logs benchmark's flood the longest young pause
 * stayed where it was (23-35 ms against 23-27), because what a pause copies is mostly the lines on their
 * way to the next hand-over (15,000-40,000 of them), not the held ones; and the FX thread spent more, not
 * less (stall 65-68 ms against 48-50). Plain Java and confined to one thread (the FX
 * thread in the application): the streams' threads never touch it.
 */
public final class LogBuffer {

    public static final int DEFAULT_CAPACITY = 100_000;

    private LogEntry[] ring;
    /** Number of the oldest line held; every line below it was evicted. */
    private long start;
    /** Number the next line gets: how many lines this view received. */
    private long end;
    private long errors;
    private long warnings;

    private SearchQuery query;
    private final LongDeque matchLines = new LongDeque();
    private final LongDeque matchCounts = new LongDeque();
    private long occurrences;
    private long currentLine = -1;
    private int currentOccurrence;

    private boolean filtering;
    private int context;
    /** Lines the filter keeps, ascending; only used while filtering. */
    private final LongDeque kept = new LongDeque();
    private long keepUntil = -1;

    private boolean paused;
    private long pausedAt;
    /** Unfiltered: lines below this number are shown. */
    private long shownEnd;
    /** Filtered: this many of the kept lines, from the first, are shown. */
    private int shownKept;

    public LogBuffer() {
        this(DEFAULT_CAPACITY);
    }

    public LogBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("A log buffer holds at least one line, not " + capacity);
        }
        ring = new LogEntry[capacity];
    }

    // ---- lines ------------------------------------------------------------------------------------

    public int capacity() {
        return ring.length;
    }

    public int size() {
        return (int) (end - start);
    }

    /** Every line this view was given, held or not. */
    public long received() {
        return end;
    }

    /** Lines pushed out of the bound by newer ones. */
    public long evicted() {
        return start;
    }

    /** Errors among the held lines, a traceback counting once. */
    public long errors() {
        return errors;
    }

    public long warnings() {
        return warnings;
    }

    public long firstNumber() {
        return start;
    }

    /** The held line with this number, if it was not evicted. */
    public Optional<LogEntry> line(long number) {
        return number >= start && number < end ? Optional.of(ring[slot(number)]) : Optional.empty();
    }

    /** Every held line, oldest first: what "save" writes. */
    public List<LogEntry> lines() {
        List<LogEntry> out = new ArrayList<>(size());
        for (long n = start; n < end; n++) {
            out.add(ring[slot(n)]);
        }
        return out;
    }

    public ViewDelta append(List<LogEntry> batch) {
        int removed = 0;
        List<LogEntry> appended = new ArrayList<>(paused ? 0 : batch.size());
        int from = 0;
        if (batch.size() > ring.length) {
            // The head of a batch larger than the ring would be evicted by its own tail at once.
            from = batch.size() - ring.length;
            removed += skipInternal(from);
        }
        for (int i = from; i < batch.size(); i++) {
            LogEntry entry = batch.get(i);
            if (size() == ring.length && evictOldest()) {
                removed++;
            }
            long n = end++;
            entry.numbered(n);
            ring[slot(n)] = entry;
            count(entry, 1);
            int matches = query == null ? 0 : query.count(entry.text());
            if (matches > 0) {
                matchLines.addLast(n);
                matchCounts.addLast(matches);
                occurrences += matches;
            }
            if (filtering) {
                if (matches > 0) {
                    long first = Math.max(start, n - context);
                    if (!kept.isEmpty()) {
                        first = Math.max(first, kept.last() + 1);
                    }
                    for (long k = first; k <= n; k++) {
                        kept.addLast(k);
                        if (!paused) {
                            appended.add(ring[slot(k)]);
                            shownKept++;
                        }
                    }
                    keepUntil = n + context;
                } else if (n <= keepUntil) {
                    kept.addLast(n);
                    if (!paused) {
                        appended.add(entry);
                        shownKept++;
                    }
                }
            } else if (!paused) {
                appended.add(entry);
            }
        }
        if (!paused) {
            shownEnd = end;
        }
        return new ViewDelta(false, removed, appended);
    }

    /**
     * {@code count} lines arrived and were pushed out before they could be held: the stream ran ahead
     * of the view by more than the whole bound. Everything held now would be evicted by them too.
     */
    public ViewDelta skip(long count) {
        if (count <= 0) {
            return ViewDelta.NONE;
        }
        return new ViewDelta(false, skipInternal(count), List.of());
    }

    private int skipInternal(long count) {
        int removed = 0;
        while (size() > 0) {
            if (evictOldest()) {
                removed++;
            }
        }
        end += count;
        start = end;
        keepUntil = -1;
        if (!paused) {
            shownEnd = end;
        }
        return removed;
    }

    /** Changes the bound; shrinking evicts the oldest lines. */
    public ViewDelta resize(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("A log buffer holds at least one line, not " + capacity);
        }
        int removed = 0;
        while (size() > capacity) {
            if (evictOldest()) {
                removed++;
            }
        }
        LogEntry[] resized = new LogEntry[capacity];
        for (long n = start; n < end; n++) {
            resized[(int) (n % capacity)] = ring[slot(n)];
        }
        ring = resized;
        return removed == 0 ? ViewDelta.NONE : new ViewDelta(false, removed, List.of());
    }

    private int slot(long number) {
        return (int) (number % ring.length);
    }

    private void count(LogEntry entry, int sign) {
        if (entry.errorStart()) {
            errors += sign;
        } else if (entry.level() == LogLevel.WARN) {
            warnings += sign;
        }
    }

    /** Drops the oldest line; true when it was one of the shown lines. */
    private boolean evictOldest() {
        long n = start;
        int slot = slot(n);
        count(ring[slot], -1);
        ring[slot] = null;
        start++;
        if (!matchLines.isEmpty() && matchLines.first() == n) {
            matchLines.removeFirst();
            occurrences -= matchCounts.removeFirst();
        }
        if (currentLine == n) {
            currentLine = -1;
        }
        if (filtering) {
            if (!kept.isEmpty() && kept.first() == n) {
                kept.removeFirst();
                if (shownKept > 0) {
                    shownKept--;
                    return true;
                }
            }
            return false;
        }
        return n < shownEnd;
    }

    // ---- what the view shows ----------------------------------------------------------------------

    /** The lines the view shows now, oldest first. */
    public List<LogEntry> shownLines() {
        List<LogEntry> out = new ArrayList<>();
        if (filtering) {
            for (int i = 0; i < shownKept; i++) {
                out.add(ring[slot(kept.get(i))]);
            }
        } else {
            for (long n = start; n < Math.min(shownEnd, end); n++) {
                out.add(ring[slot(n)]);
            }
        }
        return out;
    }

    public int shownCount() {
        return filtering ? shownKept : (int) Math.max(0, Math.min(shownEnd, end) - start);
    }

    /** Where the line with this number is in {@link #shownLines()}; -1 when it is not shown. */
    public int shownIndexOf(long number) {
        if (filtering) {
            int at = kept.indexOf(number);
            return at >= 0 && at < shownKept ? at : -1;
        }
        return number >= start && number < shownEnd && number < end ? (int) (number - start) : -1;
    }

    /** Lines the shown ones stop below (exclusive bound on numbers). */
    private long shownLimit() {
        if (filtering) {
            return shownKept == 0 ? start : kept.get(shownKept - 1) + 1;
        }
        return Math.min(shownEnd, end);
    }

    // ---- pause ------------------------------------------------------------------------------------

    public boolean paused() {
        return paused;
    }

    /** Holds the shown lines still; what arrives meanwhile is kept and counted as waiting. */
    public void pause() {
        if (!paused) {
            paused = true;
            pausedAt = end;
        }
    }

    /** Shows what arrived while paused. */
    public ViewDelta resume() {
        if (!paused) {
            return ViewDelta.NONE;
        }
        paused = false;
        List<LogEntry> appended = new ArrayList<>();
        if (filtering) {
            for (int i = shownKept; i < kept.size(); i++) {
                appended.add(ring[slot(kept.get(i))]);
            }
            shownKept = kept.size();
        } else {
            for (long n = Math.max(shownEnd, start); n < end; n++) {
                appended.add(ring[slot(n)]);
            }
            shownEnd = end;
        }
        return new ViewDelta(false, 0, appended);
    }

    /** Lines that arrived while paused and would be shown on resume. */
    public long waiting() {
        if (filtering) {
            return kept.size() - shownKept;
        }
        return end - Math.max(shownEnd, start);
    }

    // ---- search and filter ------------------------------------------------------------------------

    public Optional<SearchQuery> query() {
        return Optional.ofNullable(query);
    }

    /** Searches the held lines for this (null or empty: no search). */
    public ViewDelta search(SearchQuery value) {
        SearchQuery q = value == null || value.isEmpty() ? null : value;
        if (q == null ? query == null : q.equals(query)) {
            return ViewDelta.NONE;
        }
        query = q;
        matchLines.clear();
        matchCounts.clear();
        occurrences = 0;
        currentLine = -1;
        if (query != null) {
            for (long n = start; n < end; n++) {
                int matches = query.count(ring[slot(n)].text());
                if (matches > 0) {
                    matchLines.addLast(n);
                    matchCounts.addLast(matches);
                    occurrences += matches;
                }
            }
        }
        return filtering ? rebuildKept() : ViewDelta.NONE;
    }

    /** Matches in the held lines. */
    public long occurrences() {
        return occurrences;
    }

    /** Held lines with at least one match. */
    public int matchingLines() {
        return matchLines.size();
    }

    public boolean filtering() {
        return filtering;
    }

    public int context() {
        return context;
    }

    /**
     * Shows only matching lines (with {@code context} lines before and after each), or every line. With
     * no search, a filter shows nothing: the operator sees at once that the filter has nothing to match.
     */
    public ViewDelta filter(boolean on, int contextLines) {
        if (contextLines < 0) {
            throw new IllegalArgumentException("Context lines cannot be negative: " + contextLines);
        }
        if (on == filtering && contextLines == context) {
            return ViewDelta.NONE;
        }
        boolean wasFiltering = filtering;
        filtering = on;
        context = contextLines;
        if (!on) {
            kept.clear();
            keepUntil = -1;
            shownEnd = paused ? Math.max(start, pausedAt) : end;
            return wasFiltering ? ViewDelta.RESET : ViewDelta.NONE;
        }
        return rebuildKept();
    }

    private ViewDelta rebuildKept() {
        kept.clear();
        keepUntil = -1;
        for (int i = 0; i < matchLines.size(); i++) {
            long m = matchLines.get(i);
            long first = Math.max(start, m - context);
            if (!kept.isEmpty()) {
                first = Math.max(first, kept.last() + 1);
            }
            long last = Math.min(end - 1, m + context);
            for (long k = first; k <= last; k++) {
                kept.addLast(k);
            }
            keepUntil = m + context;
        }
        shownKept = paused ? kept.lowerBound(pausedAt) : kept.size();
        return ViewDelta.RESET;
    }

    // ---- next / previous --------------------------------------------------------------------------

    /** The match the view points at, if any (and still held). */
    public Optional<SearchHit> currentMatch() {
        return currentLine < 0 ? Optional.empty() : hit(matchLines.indexOf(currentLine), currentOccurrence);
    }

    /** The line and occurrence the view points at, for highlighting; -1 when none. */
    public long currentMatchLine() {
        return currentLine;
    }

    public int currentMatchOccurrence() {
        return currentOccurrence;
    }

    /** The next match among the shown lines, wrapping to the first; empty when nothing matches. */
    public Optional<SearchHit> nextMatch() {
        int bound = matchLines.lowerBound(shownLimit());
        if (bound == 0) {
            currentLine = -1;
            return Optional.empty();
        }
        int at = currentLine < 0 ? -1 : matchLines.indexOf(currentLine);
        if (at < 0 || at >= bound) {
            return point(0, 0);
        }
        if (currentOccurrence + 1 < matchCounts.get(at)) {
            return point(at, currentOccurrence + 1);
        }
        return point(at + 1 < bound ? at + 1 : 0, 0);
    }

    /** The previous match among the shown lines, wrapping to the last (the newest). */
    public Optional<SearchHit> previousMatch() {
        int bound = matchLines.lowerBound(shownLimit());
        if (bound == 0) {
            currentLine = -1;
            return Optional.empty();
        }
        int at = currentLine < 0 ? -1 : matchLines.indexOf(currentLine);
        if (at < 0 || at >= bound) {
            return point(bound - 1, (int) matchCounts.get(bound - 1) - 1);
        }
        if (currentOccurrence > 0) {
            return point(at, currentOccurrence - 1);
        }
        int previous = at > 0 ? at - 1 : bound - 1;
        return point(previous, (int) matchCounts.get(previous) - 1);
    }

    private Optional<SearchHit> point(int index, int occurrence) {
        currentLine = matchLines.get(index);
        currentOccurrence = occurrence;
        return hit(index, occurrence);
    }

    private Optional<SearchHit> hit(int index, int occurrence) {
        if (index < 0 || query == null) {
            return Optional.empty();
        }
        long line = matchLines.get(index);
        int[] positions = query.positions(ring[slot(line)].text());
        if (2 * occurrence + 1 >= positions.length) {
            return Optional.empty();
        }
        int bound = matchLines.lowerBound(shownLimit());
        long before = 0;
        long total = 0;
        for (int i = 0; i < bound; i++) {
            long c = matchCounts.get(i);
            if (i < index) {
                before += c;
            }
            total += c;
        }
        return Optional.of(new SearchHit(line, occurrence, positions[2 * occurrence], positions[2 * occurrence + 1],
                before + occurrence + 1, total));
    }
}
