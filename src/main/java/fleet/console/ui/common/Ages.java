package fleet.console.ui.common;

import java.time.Duration;
import java.time.Instant;

/** Ages as kubectl prints them ({@code 45s}, {@code 3m20s}, {@code 5h}, {@code 3d4h}), so both read alike. */
public final class Ages {

    private Ages() {
    }

    public static String since(Instant then, Instant now) {
        return of(Duration.between(then, now));
    }

    public static String of(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 8) {
            return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
        }
        if (h < 48) {
            return h + "h";
        }
        long days = h / 24;
        if (days < 8) {
            return days + "d" + (h % 24 == 0 ? "" : (h % 24) + "h");
        }
        if (days < 365 * 2) {
            return days + "d";
        }
        long years = days / 365;
        return years + "y" + (days % 365 == 0 ? "" : (days % 365) + "d");
    }
}
