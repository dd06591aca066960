package fleet.console.profile;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them for NATS limits: 90s, 15m, 1h, 7d, 1h30m; 0 for none. */
final class DurationText {

    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}[smhd])+");
    private static final Pattern PART = Pattern.compile("(\\d{1,9})([smhd])");

    private DurationText() {
    }

    static Optional<Duration> parse(String text) {
        if (text.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        if (!WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        }
        return Optional.of(total);
    }
}
