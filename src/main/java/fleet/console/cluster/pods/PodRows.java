package fleet.console.cluster.pods;

import fleet.console.cluster.PodState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A pod as one row of the pods table: the real reason ({@link PodState}), the owning workload through
 * owner references, restarts with the time of the last one. Pure: what the owner references lead to is
 * asked of the caller, who keeps the ReplicaSets (an informer's cache, or one list for the command line).
 */
public final class PodRows {

    private PodRows() {
    }

    /**
     * @param owners resolves the pod's controlling owner to its workload (a ReplicaSet to the Deployment
     *               that owns it); empty means "take the owner as it is"
     */
    public static PodRow of(Pod pod, Function<OwnerReference, Optional<WorkloadRef>> owners) {
        PodState state = PodState.of(pod);
        var meta = pod.getMetadata();
        String name = meta.getName();
        WorkloadRef workload = workload(pod, owners);
        String node = pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
        List<String> images = new ArrayList<>();
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            for (Container c : pod.getSpec().getContainers()) {
                images.add(c.getImage());
            }
        }
        return new PodRow(meta.getNamespace(), name, meta.getUid(), workload, state.ready(), state.total(), state.status(),
                state.problem(), state.detail().orElse(""), state.restarts(), lastRestart(pod),
                time(meta.getCreationTimestamp()).orElse(Instant.EPOCH), node, images,
                meta.getResourceVersion() == null ? "" : meta.getResourceVersion());
    }

    /** The workload a pod belongs to, from its controlling owner (only its metadata is read). */
    public static WorkloadRef workload(HasMetadata pod, Function<OwnerReference, Optional<WorkloadRef>> owners) {
        return controller(pod)
                .map(ref -> owners.apply(ref).orElse(new WorkloadRef(ref.getKind(), ref.getName())))
                .orElse(WorkloadRef.none(pod.getMetadata().getName()));
    }

    /**
     * The owner that controls the object: the reference marked {@code controller: true}, else the only or
     * first one (objects written by hand sometimes omit the flag).
     */
    public static Optional<OwnerReference> controller(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
            return Optional.empty();
        }
        return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst().or(() -> Optional.of(refs.get(0)));
    }

    /**
     * What a ReplicaSet stands for: the Deployment that controls it, or itself when it is a bare one.
     * Other owners (StatefulSet, Job, DaemonSet) are workloads themselves.
     */
    public static WorkloadRef workloadOfReplicaSet(HasMetadata replicaSet) {
        return controller(replicaSet).filter(o -> "Deployment".equals(o.getKind()))
                .map(o -> new WorkloadRef("Deployment", o.getName()))
                .orElse(new WorkloadRef("ReplicaSet", replicaSet.getMetadata().getName()));
    }

    /** When a container last restarted: the latest end of a last termination. */
    static Optional<Instant> lastRestart(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        return Stream.concat(statuses(pod.getStatus().getInitContainerStatuses()), statuses(pod.getStatus().getContainerStatuses()))
                .filter(s -> s.getRestartCount() != null && s.getRestartCount() > 0)
                .filter(s -> s.getLastState() != null && s.getLastState().getTerminated() != null)
                .map(s -> time(s.getLastState().getTerminated().getFinishedAt()))
                .flatMap(Optional::stream)
                .max(Instant::compareTo);
    }

    private static Stream<ContainerStatus> statuses(List<ContainerStatus> list) {
        return list == null ? Stream.empty() : list.stream();
    }

    /** An API timestamp; absent when missing or malformed (a table row must not fail on one field). */
    public static Optional<Instant> time(String text) {
        return fleet.console.cluster.events.EventRows.time(text);
    }
}
