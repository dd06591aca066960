package fleet.console.sandbox.fleet;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Log lines in the fleet's Python logging format: {@code %(asctime)s [%(levelname)s] %(name)s: %(message)s}. */
final class PythonLog {

    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final String logger;

    PythonLog(Clock clock, String logger) {
        this.clock = clock;
        this.logger = logger;
    }

    String info(String message) {
        return line("INFO", message);
    }

    String warning(String message) {
        return line("WARNING", message);
    }

    String error(String message) {
        return line("ERROR", message);
    }

    private String line(String level, String message) {
        return ASCTIME.format(clock.instant()) + " [" + level + "] " + logger + ": " + message;
    }
}
