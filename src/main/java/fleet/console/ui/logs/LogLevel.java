package fleet.console.ui.logs;

/** How a log line reads to an operator: colour and the error count follow it. */
public enum LogLevel {
    PLAIN,
    WARN,
    ERROR
}
