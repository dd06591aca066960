package fleet.console.sandbox.fleet;

import fleet.console.manifests.FleetManifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deploys the fleet into the sandbox the way {@code kubectl apply -f dir/} would send it: the namespace
 * first, then configuration and services, then workloads, each group at once.
 */
public final class FleetSeed {

    private FleetSeed() {
    }

    /**
     * Creates the objects: the namespace first, then configuration and services, then workloads, each
     * group at once, as {@code kubectl apply -f dir/} would send them.
     */
    public static void apply(KubernetesClient client, List<HasMetadata> all) {
        Map<Integer, List<HasMetadata>> groups = new TreeMap<>();
        for (HasMetadata o : all) {
            int rank = "Namespace".equals(o.getKind()) ? 0 : List.of("ConfigMap", "Secret", "Service").contains(o.getKind()) ? 1 : 2;
            groups.computeIfAbsent(rank, k -> new ArrayList<>()).add(o);
        }
        for (List<HasMetadata> group : groups.values()) {
            group.parallelStream().forEach(o -> create(client, o));
        }
    }

    private static void create(KubernetesClient client, HasMetadata o) {
        client.resource(FleetManifests.asStored(o)).create();
    }
}
