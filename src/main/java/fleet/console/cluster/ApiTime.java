package fleet.console.cluster;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Kubernetes' own timestamp form, {@code 2025-03-01T10:00:00Z} or with 1 to 9 digits of fraction
 * ({@code 2025-03-01T10:00:00.123456789Z}, the kubelet's log lines), read without a formatter. The API
 * server writes every object's times this way, and there are many: a log has one per line, a list of
 * 10,000 pods one per pod at least; {@link Instant#parse} costs several times as much. Anything else
 * (an offset, a leap second, a day that does not exist) answers null, and the caller's general parse decides.
 */
public final class ApiTime {

    private ApiTime() {
    }

    /** The day last read and its epoch day: a log's lines and a list's objects mostly share their day. */
    private record Day(int key, long epochDay) {
    }

    private static volatile Day lastDay = new Day(0, 0);

    /** The instant written in the UTC form above, or null when the text is not in that form. */
    public static Instant utc(String t) {
        int n = t.length();
        if (n < 20 || n > 30) {
            return null;
        }
        byte[] ascii = new byte[n];
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            // Anything beyond ASCII is no part of the form: it fails the check of its place below.
            ascii[i] = c < 128 ? (byte) c : (byte) '?';
        }
        return utc(ascii, 0, n);
    }

    /**
     * The instant written in the UTC form above as ASCII in {@code b[from..from+length)} (a log line's
     * bytes as read, before any String is made of them), or null when they are not in that form.
     */
    public static Instant utc(byte[] b, int from, int length) {
        int n = length;
        int end = from + n;
        if (n < 20 || b[end - 1] != 'Z' || b[from + 4] != '-' || b[from + 7] != '-' || b[from + 10] != 'T'
                || b[from + 13] != ':' || b[from + 16] != ':') {
            return null;
        }
        int year = digits(b, from, 4);
        int month = digits(b, from + 5, 2);
        int day = digits(b, from + 8, 2);
        int hour = digits(b, from + 11, 2);
        int minute = digits(b, from + 14, 2);
        int second = digits(b, from + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int digitsOfFraction = n - 21;
            if (b[from + 19] != '.' || digitsOfFraction < 1 || digitsOfFraction > 9) {
                return null;
            }
            int fraction = digits(b, from + 20, digitsOfFraction);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = digitsOfFraction; i < 9; i++) {
                nanos *= 10;
            }
        } else if (b[from + 19] != 'Z') {
            return null;
        }
        int key = year * 10_000 + month * 100 + day;
        Day known = lastDay;
        long days;
        if (known.key() == key) {
            days = known.epochDay();
        } else {
            if (day > YearMonth.of(year, month).lengthOfMonth()) {
                return null;
            }
            days = LocalDate.of(year, month, day).toEpochDay();
            lastDay = new Day(key, days);
        }
        return Instant.ofEpochSecond(days * 86_400L + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The number written by {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(byte[] b, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int c = b[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
