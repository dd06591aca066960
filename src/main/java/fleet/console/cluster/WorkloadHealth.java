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

    /** The runbook's verify-health line: {@code ✓ orchestrator   Running (2/2)}. */
    public String line(int nameWidth) {
        String mark = healthy ? "\u2713" : "\u2717";
        String text = String.format("%s %-" + nameWidth + "s %s (%d/%d)", mark, name, state, ready, desired);
        return detail == null || detail.isBlank() ? text : text + "  " + detail;
    }
}
