package fleet.console.ui.runbooks;

import fleet.console.ui.common.Severity;

/** Where a step of a run stands, told with an icon, a colour and words (a {@code StatusBadge}). */
public enum StepState {
    PENDING(Severity.IDLE, "Pending"),
    RUNNING(Severity.BUSY, "Running"),
    SUCCEEDED(Severity.OK, "Succeeded"),
    FAILED(Severity.PROBLEM, "Failed"),
    SKIPPED(Severity.IDLE, "Skipped"),
    CANCELLED(Severity.WARNING, "Cancelled");

    private final Severity severity;
    private final String words;

    StepState(Severity severity, String words) {
        this.severity = severity;
        this.words = words;
    }

    public Severity severity() {
        return severity;
    }

    public String words() {
        return words;
    }

    /** The style class of a step row in this state ({@code step-succeeded}...). */
    public String styleClass() {
        return "step-" + name().toLowerCase(java.util.Locale.ROOT);
    }
}
