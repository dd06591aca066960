package fleet.console.diagnosis;

/** How badly a cause hurts the fleet, most urgent first (the summary's order). */
public enum Severity {
    /** Other services fail because of it (NATS not ready). */
    CRITICAL,
    /** A service, or some of its pods, does not work. */
    ERROR,
    /** Degraded: something fails while the service still serves (a new pod never Ready beside old ones). */
    WARNING;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
