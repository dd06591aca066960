package fleet.console.cluster;

/**
 * One row of the fleet's health table: a Deployment or StatefulSet, how many pods it wants and has
 * ready, and in a word what is wrong when something is.
 *
 * @param state  {@code Running} when healthy, otherwise the real reason ({@code CrashLoopBackOff},
 *               {@code ImagePullBackOff}, {@code Pending}, {@code Rolling out} while pods of an old template
 *               remain, {@code Scaled to 0}, {@code Not deployed}...)
 * @param detail what an operator reads next: the pod, its restarts, the scheduler's or kubelet's words
 */
public record WorkloadHealth(String name, String kind, int desired, int ready, boolean healthy, String state, String detail) {

    /** A workload whose pods are being made: none of them has a problem yet. */
    public static final String STARTING = "Starting";
    /** A Deployment whose new template's pods are replacing an old template's. */
    public static final String ROLLING_OUT = "Rolling out";

    /** Not healthy yet, and nothing wrong either: pods on their way (starting, or a rollout under way). */
    public boolean underWay() {
        return !healthy && (STARTING.equals(state) || ROLLING_OUT.equals(state));
    }


    /** The runbook's verify-health line: {@code ✓ orchestrator   Running (2/2)}. */
    public String line(int nameWidth) {
        String mark = healthy ? "\u2713" : "\u2717";
        String text = String.format("%s %-" + nameWidth + "s %s (%d/%d)", mark, name, state, ready, desired);
        return detail == null || detail.isBlank() ? text : text + "  " + detail;
    }
}
