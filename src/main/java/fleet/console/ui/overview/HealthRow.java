package fleet.console.ui.overview;

/**
 * One line of the fleet's health, as the runbook's verify-health prints it: a workload, how many of
 * its replicas are ready, and in words what is wrong. Same fields as the cluster layer's coming
 * {@code FleetHealth.WorkloadHealth}, so swapping the source is a mapping, not a redesign.
 */
public record HealthRow(String name, String kind, int desired, int ready, boolean healthy, String state,
                        String detail) {

    public HealthRow {
        detail = detail == null ? "" : detail;
        state = state == null ? "" : state;
    }

    /** {@code 1/2}, as kubectl prints READY. */
    public String readyText() {
        return ready + "/" + desired;
    }
}
