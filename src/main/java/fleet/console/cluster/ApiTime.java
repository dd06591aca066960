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

    /** The instant written in the UTC form above, or null when the text is not in that form. */
    public static Instant utc(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int digitsOfFraction = n - 21;
            if (t.charAt(19) != '.' || digitsOfFraction < 1 || digitsOfFraction > 9) {
                return null;
            }
            int fraction = digits(t, 20, digitsOfFraction);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = digitsOfFraction; i < 9; i++) {
                nanos *= 10;
            }
        } else if (t.charAt(19) != 'Z') {
            return null;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400L + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The number written by {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
