package fleet.console.sandbox;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Whether a namespace's workloads have all reached their desired, ready state and its jobs finished. */
final class FleetReadiness {

    private FleetReadiness() {
    }

    static boolean ready(KubernetesClient client, String namespace) {
        for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            if (d.getStatus() == null || !eq(d.getStatus().getReadyReplicas(), desired)
                    || !eq(d.getStatus().getUpdatedReplicas(), desired) || !eq(d.getStatus().getReplicas(), desired)) {
                return false;
            }
        }
        for (StatefulSet s : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
            int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
            if (s.getStatus() == null || !eq(s.getStatus().getReadyReplicas(), desired)) {
                return false;
            }
        }
        return client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
                .allMatch(fleet.console.sandbox.controllers.JobController::finished);
    }

    private static boolean eq(Integer value, int desired) {
        return (value == null ? 0 : value) == desired;
    }
}
