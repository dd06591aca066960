package fleet.console.ui.overview;

import fleet.console.cluster.WorkloadHealth;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;

/**
 * Where the overview gets the fleet's health from: one blocking read, called off the FX thread. The
 * application gives it {@code FleetHealth.read} with the fleet profile; tests can count or fail reads.
 */
@FunctionalInterface
public interface WorkloadHealthSource {

    List<WorkloadHealth> read(KubernetesClient client, String namespace);
}
