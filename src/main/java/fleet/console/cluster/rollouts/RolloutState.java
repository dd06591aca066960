package fleet.console.cluster.rollouts;

/** Where a workload's rollout stands. */
public enum RolloutState {
    /** Every replica runs the current template and is available. */
    COMPLETE,
    /** New pods are coming, old ones going. */
    PROGRESSING,
    /** No progress within progressDeadlineSeconds (Deployment condition ProgressDeadlineExceeded). */
    STALLED,
    /** Rollouts are paused (spec.paused). */
    PAUSED,
    /** Scaled to zero on purpose: nothing runs. */
    SCALED_TO_ZERO
}
