package fleet.console.ui.rollouts;

import fleet.console.cluster.rollouts.ImageDrift;
import fleet.console.cluster.rollouts.RolloutState;
import fleet.console.cluster.rollouts.WorkloadStatus;
import fleet.console.ui.common.Severity;

import java.util.Optional;

/**
 * One line of the Rollouts table: a Deployment or StatefulSet as it stands, and how its image compares
 * with the one the profile would deploy.
 */
public record WorkloadRow(WorkloadStatus status, Optional<ImageDrift> drift) {

    /** {@code Deployment/orchestrator}: what a selection is kept by across refreshes. */
    public String key() {
        return status.kind() + "/" + status.name();
    }

    public String name() {
        return status.name();
    }

    public String kind() {
        return status.kind();
    }

    public String images() {
        return String.join(", ", status.imageList());
    }

    /** The revision column: a Deployment's number; a StatefulSet's live ControllerRevision is in its history. */
    public String revisionText() {
        return status.revision() > 0 ? Long.toString(status.revision()) : "";
    }

    /** The rollout state in words, with what the cluster says when it is not complete. */
    public String stateWords() {
        return switch (status.state()) {
            case COMPLETE -> "Complete";
            case PROGRESSING -> "Progressing " + status.updated() + "/" + status.desired() + " updated";
            case STALLED -> "Stalled: no progress in " + status.progressDeadlineSeconds() + " s";
            case PAUSED -> "Paused";
            case SCALED_TO_ZERO -> "Scaled to 0";
        };
    }

    public Severity stateSeverity() {
        return switch (status.state()) {
            case COMPLETE -> Severity.OK;
            case PROGRESSING -> Severity.BUSY;
            case STALLED -> Severity.PROBLEM;
            case PAUSED, SCALED_TO_ZERO -> Severity.WARNING;
        };
    }

    public boolean drifted() {
        return drift.map(ImageDrift::differs).orElse(false);
    }

    /** The image column's verdict: "profile's image", "differs from the profile", or "not in the profile". */
    public String driftWords() {
        if (drift.isEmpty()) {
            return "Not in the profile";
        }
        return drift.get().differs() ? "Differs from the profile" : "Profile's image";
    }

    public Severity driftSeverity() {
        if (drift.isEmpty()) {
            return Severity.IDLE;
        }
        return drift.get().differs() ? Severity.WARNING : Severity.OK;
    }

    public boolean paused() {
        return status.state() == RolloutState.PAUSED;
    }

    public boolean deployment() {
        return "Deployment".equals(status.kind());
    }
}
