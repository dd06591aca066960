package fleet.console.ui.nats;

import fleet.console.messaging.ConsumerHealth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** How the NATS area writes numbers, sizes and times. */
public final class NatsFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private NatsFormat() {
    }

    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format("%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format("%.2f GiB", n / (1024.0 * 1024 * 1024));
    }

    public static String count(long n) {
        return String.format("%,d", n);
    }

    /** A limit: "none" for unlimited. */
    public static String limit(long n) {
        return n < 0 ? "none" : String.format("%,d", n);
    }

    public static String age(Duration d) {
        return d.isZero() ? "none" : ConsumerHealth.human(d);
    }

    public static String time(Instant t, Clock clock) {
        return LocalDateTime.ofInstant(t, clock.getZone()).format(TIME);
    }

    /** "12:03:04 (2m ago)", or "never". */
    public static String when(Optional<Instant> t, Clock clock) {
        if (t.isEmpty()) {
            return "never";
        }
        Duration ago = Duration.between(t.get(), clock.instant());
        String at = ago.compareTo(Duration.ofHours(20)) > 0 ? LocalDateTime.ofInstant(t.get(), clock.getZone()).format(DATE_TIME)
                : time(t.get(), clock);
        return at + " (" + ConsumerHealth.human(ago.isNegative() ? Duration.ZERO : ago) + " ago)";
    }
}
