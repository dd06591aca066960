package fleet.console.ui.pods;

import fleet.console.ui.common.Severity;

/** One entry of the summary strip: how many pods have this status. */
public record StatusCount(String status, int count, Severity severity) {

    public String text() {
        return status + " " + count;
    }
}
