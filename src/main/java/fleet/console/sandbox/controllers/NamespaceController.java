package fleet.console.sandbox.controllers;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;

/**
 * Empties a namespace that is being deleted, then removes it: workloads and their pods, jobs, services,
 * ConfigMaps, Secrets, claims and events. Pods terminate gracefully first, as on a real cluster, so the
 * namespace stays Terminating for a moment ("all data in Neo4j, Valkey and NATS is lost" happens here).
 */
public final class NamespaceController {

    public static final String KIND = "Namespace";

    private final KubernetesClient client;
    private final ControllerLoop loop;

    public NamespaceController(KubernetesClient client, ControllerLoop loop) {
        this.client = client;
        this.loop = loop;
    }

    public void reconcile(String unused, String name) {
        Namespace ns = client.namespaces().withName(name).get();
        if (ns == null || ns.getMetadata().getDeletionTimestamp() == null) {
            return;
        }
        client.apps().deployments().inNamespace(name).delete();
        client.apps().statefulSets().inNamespace(name).delete();
        client.batch().v1().jobs().inNamespace(name).delete();
        client.apps().replicaSets().inNamespace(name).delete();
        client.apps().controllerRevisions().inNamespace(name).delete();
        client.services().inNamespace(name).delete();
        client.configMaps().inNamespace(name).delete();
        client.secrets().inNamespace(name).delete();
        client.persistentVolumeClaims().inNamespace(name).delete();
        client.network().v1().ingresses().inNamespace(name).delete();
        var pods = client.pods().inNamespace(name).list().getItems();
        boolean anyLeft = false;
        for (var pod : pods) {
            anyLeft = true;
            if (pod.getMetadata().getDeletionTimestamp() == null) {
                client.pods().inNamespace(name).withName(pod.getMetadata().getName()).delete();
            }
        }
        if (anyLeft) {
            loop.enqueueAfter(Duration.ofMillis(200), KIND, null, name);
            return;
        }
        client.v1().events().inNamespace(name).delete();
        // Releasing the finalizer of a namespace marked for deletion removes it, as the API server does.
        client.namespaces().withName(name).edit(n -> {
            n.getMetadata().setFinalizers(new java.util.ArrayList<>());
            return n;
        });
    }
}
