package fleet.console.cluster.rollouts;

import java.util.List;
import java.util.Map;

/**
 * A Deployment or StatefulSet as the Rollouts area lists it.
 *
 * @param images       container name to the image it runs now (the template's)
 * @param stateDetail  the condition's words when stalled or progressing
 */
public record WorkloadStatus(String kind, String name, int desired, int ready, int updated, int available,
                             Map<String, String> images, long revision, RolloutState state, String stateDetail,
                             Map<String, String> selector, int progressDeadlineSeconds) {

    public WorkloadStatus {
        images = Map.copyOf(images);
        selector = Map.copyOf(selector);
    }

    /** {@code deployment/orchestrator}, as kubectl names it. */
    public String kubectlName() {
        return kind.toLowerCase(java.util.Locale.ROOT) + "/" + name;
    }

    /**
     * Whether a pod is one of this workload's: its selector matches AND its controller is this workload's
     * (a ReplicaSet of this Deployment, or this StatefulSet). The fleet's selectors also match other pods:
     * {@code app: orchestrator} matches the council jobs' pods too.
     */
    public boolean owns(io.fabric8.kubernetes.api.model.Pod pod) {
        var refs = pod.getMetadata().getOwnerReferences();
        if (refs == null) {
            return false;
        }
        return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).anyMatch(r -> "StatefulSet".equals(kind)
                ? "StatefulSet".equals(r.getKind()) && name.equals(r.getName())
                : "ReplicaSet".equals(r.getKind()) && r.getName().startsWith(name + "-")
                        && r.getName().substring(name.length() + 1).matches("[a-z0-9]+"));
    }

    public List<String> imageList() {
        return images.values().stream().distinct().toList();
    }
}
