package fleet.console.diagnosis;

import fleet.console.cluster.pods.WorkloadRef;

import java.util.Locale;
import java.util.Optional;

/**
 * What a diagnosis is about: a pod (most of them), a workload, a Job. The UI puts a badge on the pod by
 * name and on the workload by {@link #workload()}; a diagnosis of the workload itself has the workload as
 * both.
 *
 * @param kind     {@code Pod}, {@code Deployment}, {@code StatefulSet}, {@code Job}
 * @param workload the workload that owns the pod (the workload itself when the subject is one)
 * @param service  the profile's service, when the workload is one of the fleet's
 */
public record Subject(String kind, String namespace, String name, Optional<WorkloadRef> workload, Optional<String> service) {

    public static Subject pod(String namespace, String pod, Optional<WorkloadRef> workload, Optional<String> service) {
        return new Subject("Pod", namespace, pod, workload, service);
    }

    public static Subject workload(String namespace, WorkloadRef workload, Optional<String> service) {
        return new Subject(workload.kind(), namespace, workload.name(), Optional.of(workload), service);
    }

    public boolean isPod() {
        return "Pod".equals(kind);
    }

    /** {@code pod/orchestrator-7d9f-x2k}, as kubectl names it. */
    public String label() {
        return kind.toLowerCase(Locale.ROOT) + "/" + name;
    }

    /** Whether this is, or belongs to, the workload. */
    public boolean belongsTo(WorkloadRef ref) {
        return workload.filter(w -> w.kind().equals(ref.kind()) && w.name().equals(ref.name())).isPresent();
    }
}
