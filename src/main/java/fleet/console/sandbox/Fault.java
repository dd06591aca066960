package fleet.console.sandbox;

/**
 * One fault to inject: a kind and the workload it hits ({@code crash=orchestrator}). Kinds that hit the
 * sandbox as a whole ({@code nats-down}) take no target, or a duration in seconds where the kind is timed.
 */
public record Fault(FaultKind kind, String target) {

    /** Parses the CLI form {@code KIND=TARGET} (or just {@code KIND}); the message says what to write instead. */
    public static Fault parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int eq = trimmed.indexOf('=');
        String kindName = eq < 0 ? trimmed : trimmed.substring(0, eq);
        String target = eq < 0 ? "" : trimmed.substring(eq + 1).trim();
        FaultKind kind = FaultKind.byCliName(kindName).orElseThrow(() -> new IllegalArgumentException(
                "Unknown fault '" + kindName + "'. Use one of: " + FaultKind.cliNames()
                        + " (for example --fault crash=orchestrator)."));
        if (kind.needsTarget() && target.isEmpty()) {
            throw new IllegalArgumentException("Fault '" + kind.cliName() + "' needs a target workload, for example --fault "
                    + kind.cliName() + "=orchestrator.");
        }
        return new Fault(kind, target);
    }

    @Override
    public String toString() {
        return target.isEmpty() ? kind.cliName() : kind.cliName() + "=" + target;
    }
}
