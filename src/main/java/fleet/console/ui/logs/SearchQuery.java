package fleet.console.ui.logs;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the operator searches for: plain text (case-insensitive unless asked) or a regular expression.
 * Compiled once; {@link #count} and {@link #positions} are what the buffer and the cells ask of each line.
 */
public final class SearchQuery {

    private final String text;
    private final boolean caseSensitive;
    private final boolean regex;
    private final Pattern pattern;
    private final char[] lower;
    private final char[] upper;

    private SearchQuery(String text, boolean caseSensitive, boolean regex, Pattern pattern) {
        this.text = text;
        this.caseSensitive = caseSensitive;
        this.regex = regex;
        this.pattern = pattern;
        this.lower = text.toLowerCase(java.util.Locale.ROOT).toCharArray();
        this.upper = text.toUpperCase(java.util.Locale.ROOT).toCharArray();
    }

    /** Plain text; empty text searches nothing. */
    public static SearchQuery text(String text, boolean caseSensitive) {
        return new SearchQuery(text, caseSensitive, false, null);
    }

    /** A regular expression, or the reason it is not one (shown next to the search field). */
    public static Result regex(String expression, boolean caseSensitive) {
        try {
            Pattern p = Pattern.compile(expression, caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            return new Result(Optional.of(new SearchQuery(expression, caseSensitive, true, p)), "");
        } catch (PatternSyntaxException e) {
            return new Result(Optional.empty(), "Not a regular expression: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " at " + e.getIndex() : ""));
        }
    }

    public record Result(Optional<SearchQuery> query, String problem) {
    }

    public String text() {
        return text;
    }

    public boolean caseSensitive() {
        return caseSensitive;
    }

    public boolean regex() {
        return regex;
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    /** How many non-overlapping matches the line holds. */
    public int count(String line) {
        if (text.isEmpty()) {
            return 0;
        }
        if (regex) {
            Matcher m = pattern.matcher(line);
            int n = 0;
            while (m.find()) {
                if (m.end() == m.start()) {
                    // An expression that matches the empty string would match everywhere; it finds nothing.
                    return 0;
                }
                n++;
            }
            return n;
        }
        int n = 0;
        int from = 0;
        int at;
        while ((at = indexIn(line, from)) >= 0) {
            n++;
            from = at + text.length();
        }
        return n;
    }

    /** Start and end of each match, flattened: {@code [s0, e0, s1, e1...]}. */
    public int[] positions(String line) {
        if (text.isEmpty()) {
            return new int[0];
        }
        int[] out = new int[8];
        int n = 0;
        if (regex) {
            Matcher m = pattern.matcher(line);
            while (m.find()) {
                if (m.end() == m.start()) {
                    return new int[0];
                }
                if (n + 2 > out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = m.start();
                out[n++] = m.end();
            }
        } else {
            int from = 0;
            int at;
            while ((at = indexIn(line, from)) >= 0) {
                if (n + 2 > out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = at;
                out[n++] = at + text.length();
                from = at + text.length();
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Case-insensitive search without lower-casing each line: a full buffer is searched in a few
     * milliseconds and makes no garbage.
     */
    private int indexIn(String line, int from) {
        if (caseSensitive) {
            return line.indexOf(text, from);
        }
        if (lower.length != text.length() || upper.length != text.length()) {
            // A letter whose case forms differ in length (the German sharp s): the slow, exact way.
            for (int i = from; i <= line.length() - text.length(); i++) {
                if (line.regionMatches(true, i, text, 0, text.length())) {
                    return i;
                }
            }
            return -1;
        }
        int last = line.length() - lower.length;
        char l0 = lower[0];
        char u0 = upper[0];
        for (int i = from; i <= last; i++) {
            char c = line.charAt(i);
            if (c != l0 && c != u0) {
                continue;
            }
            int k = 1;
            while (k < lower.length) {
                char d = line.charAt(i + k);
                if (d != lower[k] && d != upper[k]) {
                    break;
                }
                k++;
            }
            if (k == lower.length) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchQuery q && q.text.equals(text) && q.caseSensitive == caseSensitive && q.regex == regex;
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + (caseSensitive ? 1 : 0) + (regex ? 2 : 0);
    }

    @Override
    public String toString() {
        return (regex ? "/" + text + "/" : "'" + text + "'") + (caseSensitive ? " (case-sensitive)" : "");
    }
}
