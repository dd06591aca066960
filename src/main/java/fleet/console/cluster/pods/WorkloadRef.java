package fleet.console.cluster.pods;

/**
 * The workload that owns a pod, resolved through owner references (Pod -> ReplicaSet -> Deployment),
 * never guessed from labels: the monitoring dashboard's pods are {@code app=monitoring}.
 *
 * @param kind {@code Deployment}, {@code StatefulSet}, {@code Job}, {@code DaemonSet}, {@code ReplicaSet}
 *             (a bare one), or {@code Pod} for a pod nothing owns
 */
public record WorkloadRef(String kind, String name) {

    public static WorkloadRef none(String podName) {
        return new WorkloadRef("Pod", podName);
    }

    /** {@code deployment/orchestrator}, as kubectl names it. */
    public String kubectlName() {
        return kind.toLowerCase(java.util.Locale.ROOT) + "/" + name;
    }
}
