package fleet.console.cluster.logs;

import fleet.console.cluster.pods.WorkloadRef;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What to read: pods of one namespace, a container (empty: every container of each pod), the previous
 * run instead of the current one, live or not, and how many of the last lines to start with (empty: all).
 */
public record LogSource(String namespace, List<String> pods, Optional<String> container, boolean previous, boolean follow,
                        OptionalInt tailLines) {

    public LogSource {
        pods = List.copyOf(pods);
        if (pods.isEmpty()) {
            throw new IllegalArgumentException("A log source needs at least one pod.");
        }
        if (tailLines.isPresent() && tailLines.getAsInt() < 0) {
            throw new IllegalArgumentException("The tail must be 0 or more lines, not " + tailLines.getAsInt() + ".");
        }
    }

    /** One pod. */
    public static LogSource ofPod(String namespace, String pod, Optional<String> container, boolean previous, boolean follow,
                                  OptionalInt tailLines) {
        return new LogSource(namespace, List.of(pod), container, previous, follow, tailLines);
    }

    /**
     * Every pod of a workload now, found through the workload's own selector and owner references.
     *
     * @throws IllegalArgumentException when the workload does not exist or has no pods, saying what there is
     */
    public static LogSource ofWorkload(KubernetesClient client, String namespace, WorkloadRef workload, boolean follow,
                                       OptionalInt tailLines) {
        WorkloadPods found = WorkloadPods.resolve(client, namespace, workload);
        if (found.pods().isEmpty()) {
            throw new IllegalArgumentException(workload.kubectlName() + " has no pods in namespace " + namespace
                    + " (scaled to 0, or its pods are not created yet).");
        }
        return new LogSource(namespace, found.pods(), Optional.empty(), false, follow, tailLines);
    }
}
