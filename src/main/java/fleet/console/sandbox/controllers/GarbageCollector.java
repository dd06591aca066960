package fleet.console.sandbox.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Deletes what an object owned once the owner is gone (Deployment to ReplicaSets to Pods, Job to Pods,
 * StatefulSet to Pods and ControllerRevisions), as the background propagation kubectl uses does.
 */
public final class GarbageCollector {

    public static final String KIND = "GC";

    private final KubernetesClient client;

    public GarbageCollector(KubernetesClient client) {
        this.client = client;
    }

    /** name is the uid of the owner that disappeared. */
    public void reconcile(String namespace, String ownerUid) {
        List<HasMetadata> dependents = new ArrayList<>();
        dependents.addAll(client.apps().replicaSets().inNamespace(namespace).list().getItems());
        dependents.addAll(client.pods().inNamespace(namespace).list().getItems());
        dependents.addAll(client.apps().controllerRevisions().inNamespace(namespace).list().getItems());
        for (HasMetadata d : dependents) {
            if (d.getMetadata().getOwnerReferences() != null && d.getMetadata().getOwnerReferences().stream()
                    .anyMatch(r -> ownerUid.equals(r.getUid())) && d.getMetadata().getDeletionTimestamp() == null) {
                client.resource(d).inNamespace(namespace).delete();
            }
        }
    }
}
