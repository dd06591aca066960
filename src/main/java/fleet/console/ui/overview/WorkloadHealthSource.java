package fleet.console.ui.overview;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;

/**
 * Where the overview gets the fleet's health from: one blocking read, called off the FX thread.
 * Today {@link WorkloadHealthReader#read}; the cluster layer's {@code FleetHealth.read} with the fleet
 * profile replaces it by changing the one line that picks the source.
 */
@FunctionalInterface
public interface WorkloadHealthSource {

    List<HealthRow> read(KubernetesClient client, String namespace);
}
