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

    public List<String> imageList() {
        return images.values().stream().distinct().toList();
    }
}
