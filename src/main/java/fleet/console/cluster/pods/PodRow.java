package fleet.console.cluster.pods;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One row of the pods table: what `kubectl get pods -o wide` shows, with the real reason instead of the
 * bare phase, and the owning workload.
 *
 * @param status      the real reason: CrashLoopBackOff, ImagePullBackOff, ErrImagePull, OOMKilled,
 *                    CreateContainerConfigError, Pending, ContainerStatusUnknown, Completed, Terminating,
 *                    Running...
 * @param problem     whether an operator should look at it (colour and icon in the table)
 * @param reason      the words behind the status (the scheduler's message for Pending, the waiting
 *                    message, "not ready: c1"); empty when there is nothing to add
 * @param lastRestart when a container last restarted (finish time of its last termination)
 */
public record PodRow(String namespace, String name, String uid, WorkloadRef workload, int ready, int total,
                     String status, boolean problem, String reason, int restarts, Optional<Instant> lastRestart,
                     Instant created, String node, List<String> images, String resourceVersion) {

    public PodRow {
        images = List.copyOf(images);
    }

    /** The same row, under another workload (its ReplicaSet's Deployment became known). */
    public PodRow withWorkload(WorkloadRef other) {
        return other.equals(workload) ? this : new PodRow(namespace, name, uid, other, ready, total, status, problem, reason,
                restarts, lastRestart, created, node, images, resourceVersion);
    }

    /** {@code 1/2} as kubectl prints readiness. */
    public String readyText() {
        return ready + "/" + total;
    }
}
