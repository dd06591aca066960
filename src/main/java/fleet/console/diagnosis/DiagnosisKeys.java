package fleet.console.diagnosis;

/** Names of what one failure can block for others. */
final class DiagnosisKeys {

    /** NATS not ready: every service that needs it fails until it is. */
    static final String NATS = "nats";

    private DiagnosisKeys() {
    }
}
