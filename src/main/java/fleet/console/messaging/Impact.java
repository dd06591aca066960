package fleet.console.messaging;

import java.util.List;

/**
 * What a destructive NATS action would destroy, in numbers, said before it is done.
 *
 * @param bound the consumers that have someone attached right now (a service is using them)
 */
public record Impact(String action, String target, long messages, long bytes, int consumers, List<String> bound,
                     String summary) {

    public Impact {
        bound = List.copyOf(bound);
    }

    static String bytes(long n) {
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
}
