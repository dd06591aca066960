package fleet.console.sandbox.controllers;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;
import java.util.Optional;

/**
 * The sandbox's volume provisioner: a claim whose storage class exists (or that asks for none while a
 * default class exists) is bound at once; any other stays Pending, which is what makes "PVC not bound"
 * reproducible.
 */
public final class Storage {

    public static final String DEFAULT_CLASS = "standard";
    private static final String DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

    private final KubernetesClient client;

    public Storage(KubernetesClient client) {
        this.client = client;
    }

    public void provision(PersistentVolumeClaim claim) {
        String wanted = claim.getSpec() == null ? null : claim.getSpec().getStorageClassName();
        Optional<StorageClass> chosen = client.storage().v1().storageClasses().list().getItems().stream()
                .filter(sc -> wanted == null
                        ? "true".equals(Optional.ofNullable(sc.getMetadata().getAnnotations()).orElse(Map.of()).get(DEFAULT_ANNOTATION))
                        : wanted.equals(sc.getMetadata().getName()))
                .findFirst();
        if (chosen.isEmpty()) {
            return;
        }
        Quantity size = claim.getSpec().getResources() == null || claim.getSpec().getResources().getRequests() == null
                ? new Quantity("1Gi") : claim.getSpec().getResources().getRequests().getOrDefault("storage", new Quantity("1Gi"));
        PersistentVolumeClaim fresh = client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName()).get();
        if (fresh == null) {
            return;
        }
        fresh.getSpec().setStorageClassName(chosen.get().getMetadata().getName());
        fresh.getSpec().setVolumeName("pvc-" + fresh.getMetadata().getUid());
        fresh = client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(fresh).update();
        fresh.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound")
                .withAccessModes(fresh.getSpec().getAccessModes()).addToCapacity("storage", size).build());
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(fresh).updateStatus();
    }
}
