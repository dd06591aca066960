package fleet.console.ui.pods;

import fleet.console.cluster.pods.PodRow;

import java.util.Objects;

/** Which statuses the pods table shows: all, only the problems, or one status. */
public record StatusFilter(String status, boolean problemsOnly) {

    public static final StatusFilter ALL = new StatusFilter(null, false);
    public static final StatusFilter PROBLEMS = new StatusFilter(null, true);

    public static StatusFilter of(String status) {
        return new StatusFilter(Objects.requireNonNull(status), false);
    }

    public boolean accepts(PodRow row) {
        if (problemsOnly) {
            return row.problem();
        }
        return status == null || status.equals(row.status());
    }

    @Override
    public String toString() {
        if (problemsOnly) {
            return "Problems only";
        }
        return status == null ? "All statuses" : status;
    }
}
