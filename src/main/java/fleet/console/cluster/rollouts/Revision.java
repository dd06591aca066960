package fleet.console.cluster.rollouts;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One revision of a workload: what kubectl's history shows (number, change-cause) and what it does not
 * (images, when, how many pods it has, whether it is live), and its pod template for diffs and rollbacks.
 *
 * @param source the ReplicaSet (Deployment) or ControllerRevision (StatefulSet) holding it
 */
public record Revision(long number, Optional<Instant> created, List<String> images, Optional<String> changeCause, int replicas,
                       boolean live, String source, PodTemplateSpec template) {

    public Revision {
        images = List.copyOf(images);
    }
}
