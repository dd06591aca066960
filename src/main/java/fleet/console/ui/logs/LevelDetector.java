package fleet.console.ui.logs;

import fleet.console.cluster.logs.LogLine;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the level of each line (ERROR, WARN, plain) from the formats the fleet and its neighbours write:
 * Python logging ({@code [ERROR]}), klog ({@code E0102 12:00:00}), logfmt ({@code level=error}), JSON
 * ({@code "level":"error"}), and bare upper-case words. A Python traceback, from
 * {@code Traceback (most recent call last):} to its exception line, is one error, and so is a
 * {@code logger.exception} record followed by its traceback: an operator counts crashes, not lines.
 * <p>
 * Keeps one small state per source, since the lines of a workload's pods interleave. Called on the
 * streams' threads, so the FX thread does none of this.
 */
public final class LevelDetector {

    private static final String TRACEBACK = "Traceback (most recent call last):";
    /** Levels are written near the start of a line in every format; the rest is message. */
    private static final int LEVEL_WINDOW = 160;
    /** How much of a line {@link #levelOf} copies to scan: the window and the longest level word after it. */
    private static final int SCAN_CHARS = LEVEL_WINDOW + 16;

    private enum State { NONE, AFTER_ERROR_RECORD, IN_TRACEBACK, AFTER_EXCEPTION }

    private final LogSources sources;
    private final List<State> states = new ArrayList<>();
    /** The scan's copy of a line's start: {@link #classify} holds the lock, so one serves every call. */
    private final char[] scratch = new char[SCAN_CHARS];

    public LevelDetector(LogSources sources) {
        this.sources = sources;
    }

    /** Classifies a batch in order; lines of one source must come in the order they were written. */
    public synchronized List<LogEntry> classify(List<LogLine> batch) {
        List<LogEntry> out = new ArrayList<>(batch.size());
        for (LogLine line : batch) {
            out.add(classify(line));
        }
        return out;
    }

    public synchronized LogEntry classify(LogLine line) {
        int source = sources.indexOf(line.pod(), line.container());
        while (states.size() <= source) {
            states.add(State.NONE);
        }
        String text = line.text() == null ? "" : line.text();
        State state = states.get(source);
        switch (state) {
            case IN_TRACEBACK -> {
                if (text.isEmpty() || Character.isWhitespace(text.charAt(0)) || text.startsWith(TRACEBACK)
                        || chainedCause(text)) {
                    return entry(line, text, LogLevel.ERROR, true, source);
                }
                if (exceptionLine(text)) {
                    states.set(source, State.AFTER_EXCEPTION);
                    return entry(line, text, LogLevel.ERROR, true, source);
                }
            }
            case AFTER_EXCEPTION -> {
                // "raise ... from" and exceptions during handling print a blank line, a sentence and a
                // second traceback: all of it is still the same crash.
                if (text.isEmpty()) {
                    return entry(line, text, LogLevel.ERROR, true, source);
                }
                if (chainedCause(text)) {
                    states.set(source, State.IN_TRACEBACK);
                    return entry(line, text, LogLevel.ERROR, true, source);
                }
            }
            default -> {
            }
        }
        if (text.contains(TRACEBACK)) {
            states.set(source, State.IN_TRACEBACK);
            return entry(line, text, LogLevel.ERROR, state == State.AFTER_ERROR_RECORD, source);
        }
        LogLevel level = levelOf(text, scratch);
        states.set(source, level == LogLevel.ERROR ? State.AFTER_ERROR_RECORD : State.NONE);
        return entry(line, text, level, false, source);
    }

    private static LogEntry entry(LogLine line, String text, LogLevel level, boolean continuation, int source) {
        return LogEntry.unnumbered(line.pod(), line.container(), text, level, continuation, source);
    }

    private static boolean chainedCause(String text) {
        return text.startsWith("During handling of the above exception")
                || text.startsWith("The above exception was the direct cause");
    }

    /**
     * {@code ModuleNotFoundError: No module named 'src'}, {@code nats.errors.NoServersError: ...},
     * {@code KeyboardInterrupt}: a dotted name at the start of the line, then a colon or nothing.
     */
    static boolean exceptionLine(String text) {
        if (text.isEmpty() || !(Character.isLetter(text.charAt(0)) || text.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':') {
                return true;
            }
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** The level of a single line, without looking at its neighbours. */
    public static LogLevel levelOf(String text) {
        return levelOf(text, new char[SCAN_CHARS]);
    }

    /**
     * Copies the start of the line into {@code scratch} (at least {@link #SCAN_CHARS} long) and scans that:
     * one bulk copy instead of a bounds-checked {@code charAt} per character, which on lines holding any
     * non-Latin-1 character (an emoji, a box drawing) was most of the delivery thread's time.
     */
    private static LogLevel levelOf(String text, char[] scratch) {
        int length = text.length();
        int n = Math.min(length, LEVEL_WINDOW);
        LogLevel klog = klogLevel(text);
        if (klog != null) {
            return klog;
        }
        // A word that starts inside the window may end past it; the copy reaches far enough to see the end
        // of any level word (the longest has 8 letters), and a longer run of capitals is no level word.
        int copied = Math.min(length, SCAN_CHARS);
        text.getChars(0, copied, scratch, 0);
        char[] cs = scratch;
        LogLevel found = LogLevel.PLAIN;
        int i = 0;
        while (i < n) {
            char c = cs[i];
            if (c >= 'A' && c <= 'Z' && (i == 0 || !letter(cs[i - 1]))) {
                int j = i + 1;
                while (j < copied && cs[j] >= 'A' && cs[j] <= 'Z') {
                    j++;
                }
                while (j >= copied && j < length && text.charAt(j) >= 'A' && text.charAt(j) <= 'Z') {
                    j++;
                }
                if (j == length || !letter(j < copied ? cs[j] : text.charAt(j))) {
                    LogLevel word = upperCaseWord(text, i, j - i);
                    if (word == LogLevel.ERROR) {
                        return LogLevel.ERROR;
                    }
                    if (word == LogLevel.WARN) {
                        found = LogLevel.WARN;
                    }
                }
                i = j;
            } else if ((c == 'l' || c == 's') && (i == 0 || !letterOrDigit(cs[i - 1]))) {
                LogLevel keyed = keyedLevel(text, i);
                if (keyed == LogLevel.ERROR) {
                    return LogLevel.ERROR;
                }
                if (keyed == LogLevel.WARN) {
                    found = LogLevel.WARN;
                }
                i++;
            } else {
                i++;
            }
        }
        if (found == LogLevel.PLAIN && exceptionLine(text) && text.indexOf(':') > 0) {
            String name = text.substring(0, text.indexOf(':'));
            if (name.endsWith("Error") || name.endsWith("Exception")) {
                return LogLevel.ERROR;
            }
        }
        return found;
    }

    /** Every line is scanned: ASCII is answered without the Unicode tables, which cost a third of the time. */
    private static boolean letter(char c) {
        if (c < 128) {
            char lower = (char) (c | 0x20);
            return lower >= 'a' && lower <= 'z';
        }
        return Character.isLetter(c);
    }

    private static boolean letterOrDigit(char c) {
        if (c < 128) {
            return letter(c) || (c >= '0' && c <= '9');
        }
        return Character.isLetterOrDigit(c);
    }

    private static LogLevel upperCaseWord(String text, int at, int length) {
        return switch (length) {
            case 3 -> text.startsWith("ERR", at) ? LogLevel.ERROR : null;
            case 4 -> text.startsWith("WARN", at) ? LogLevel.WARN : null;
            case 5 -> text.startsWith("ERROR", at) || text.startsWith("FATAL", at) || text.startsWith("PANIC", at)
                    ? LogLevel.ERROR : null;
            case 6 -> text.startsWith("SEVERE", at) ? LogLevel.ERROR : null;
            case 7 -> text.startsWith("WARNING", at) ? LogLevel.WARN : null;
            case 8 -> text.startsWith("CRITICAL", at) ? LogLevel.ERROR : null;
            default -> null;
        };
    }

    /** {@code level=error}, {@code lvl=warn}, {@code "level":"error"}, {@code severity=WARNING}. */
    private static LogLevel keyedLevel(String text, int at) {
        int valueAt;
        if (text.startsWith("level", at)) {
            valueAt = at + 5;
        } else if (text.startsWith("lvl", at)) {
            valueAt = at + 3;
        } else if (text.startsWith("severity", at)) {
            valueAt = at + 8;
        } else {
            return null;
        }
        if (valueAt < text.length() && text.charAt(valueAt) == '"') {
            valueAt++;
        }
        if (valueAt >= text.length() || (text.charAt(valueAt) != '=' && text.charAt(valueAt) != ':')) {
            return null;
        }
        valueAt++;
        while (valueAt < text.length() && (text.charAt(valueAt) == ' ' || text.charAt(valueAt) == '"')) {
            valueAt++;
        }
        if (startsWithIgnoreCase(text, valueAt, "err") || startsWithIgnoreCase(text, valueAt, "fatal")
                || startsWithIgnoreCase(text, valueAt, "crit") || startsWithIgnoreCase(text, valueAt, "panic")) {
            return LogLevel.ERROR;
        }
        if (startsWithIgnoreCase(text, valueAt, "warn")) {
            return LogLevel.WARN;
        }
        return LogLevel.PLAIN;
    }

    /** klog's {@code E0102 15:04:05.000000} and {@code W0102 ...}: the level is the first letter. */
    private static LogLevel klogLevel(String text) {
        if (text.length() < 6 || text.charAt(5) != ' ') {
            return null;
        }
        for (int i = 1; i < 5; i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return null;
            }
        }
        return switch (text.charAt(0)) {
            case 'E', 'F' -> LogLevel.ERROR;
            case 'W' -> LogLevel.WARN;
            default -> null;
        };
    }

    private static boolean startsWithIgnoreCase(String text, int at, String prefix) {
        return text.regionMatches(true, at, prefix, 0, prefix.length());
    }
}
