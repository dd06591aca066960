package fleet.console.cluster.rollouts;

import java.util.List;

/**
 * A rollback worked out before anything is changed: from which revision to which, what it changes
 * (the template diff), how (the runbook's safe path for services with NATS consumers, or a rolling
 * update), the steps with their kubectl equivalents, and what the operator must know first.
 *
 * @param safePath        scale to 0, wait until the pods are gone, apply, scale back, wait Ready
 * @param replicasBefore  the replica count it is scaled back to (not 1, as the runbook's commands do)
 * @param inProgress      another rollout is still going on: proceeding needs an explicit yes
 */
public record RollbackPlan(WorkloadStatus workload, long fromRevision, Revision target, List<TemplateDiff.Change> diff,
                           boolean safePath, int replicasBefore, List<Step> steps, List<String> warnings, boolean inProgress) {

    /** One step: what it does, in words and as the kubectl command an operator could run instead. */
    public record Step(String title, String kubectl) {
    }

    public RollbackPlan {
        diff = List.copyOf(diff);
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }
}
