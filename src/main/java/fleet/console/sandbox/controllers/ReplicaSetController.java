package fleet.console.sandbox.controllers;

import fleet.console.sandbox.events.EventRecorder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ReplicaSet to Pods: keeps the count of active pods at spec.replicas and reports their readiness. */
public final class ReplicaSetController {

    public static final String KIND = "ReplicaSet";

    private final KubernetesClient client;
    private final EventRecorder events;
    private final Clock clock;

    public ReplicaSetController(KubernetesClient client, EventRecorder events, Clock clock) {
        this.client = client;
        this.events = events;
        this.clock = clock;
    }

    public void reconcile(String namespace, String name) {
        ReplicaSet rs = client.apps().replicaSets().inNamespace(namespace).withName(name).get();
        if (rs == null || rs.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        List<Pod> owned = client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> Templates.ownedBy(p, rs)).toList();
        List<Pod> active = owned.stream().filter(PodFacts::isActive).toList();
        int desired = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
        int diff = desired - active.size();
        for (int i = 0; i < diff; i++) {
            Pod pod = client.pods().inNamespace(namespace).resource(podFor(rs)).create();
            events.normal(rs, EventRecorder.Source.REPLICASET, "SuccessfulCreate", "Created pod: " + pod.getMetadata().getName());
        }
        if (diff < 0) {
            List<Pod> victims = active.stream()
                    .sorted(Comparator.comparingInt(PodFacts::deletionRank)
                            .thenComparing(p -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp(),
                                    Comparator.reverseOrder()))
                    .limit(-diff).toList();
            for (Pod victim : victims) {
                client.pods().inNamespace(namespace).withName(victim.getMetadata().getName()).delete();
                events.normal(rs, EventRecorder.Source.REPLICASET, "SuccessfulDelete", "Deleted pod: " + victim.getMetadata().getName());
            }
        }
        List<Pod> now = client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> Templates.ownedBy(p, rs)).filter(PodFacts::isActive).toList();
        int ready = (int) now.stream().filter(PodFacts::isReady).count();
        ReplicaSetStatus status = new ReplicaSetStatusBuilder()
                .withReplicas(now.size())
                .withFullyLabeledReplicas(now.size())
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withObservedGeneration(rs.getMetadata().getGeneration())
                .build();
        if (rs.getStatus() == null || !Serialization.asJson(rs.getStatus()).equals(Serialization.asJson(status))) {
            ReplicaSet fresh = client.apps().replicaSets().inNamespace(namespace).withName(name).get();
            if (fresh != null) {
                fresh.setStatus(status);
                client.apps().replicaSets().inNamespace(namespace).resource(fresh).updateStatus();
            }
        }
    }

    private Pod podFor(ReplicaSet rs) {
        PodTemplateSpec template = Serialization.clone(rs.getSpec().getTemplate());
        ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(meta.getLabels()).orElse(Map.of()));
        return new PodBuilder()
                .withNewMetadata()
                .withName(rs.getMetadata().getName() + "-" + Templates.randomSuffix())
                .withGenerateName(rs.getMetadata().getName() + "-")
                .withNamespace(rs.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(meta.getAnnotations())
                .withOwnerReferences(Templates.controllerRef(rs))
                .withCreationTimestamp(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
                .endMetadata()
                .withSpec(template.getSpec())
                .withNewStatus().withPhase("Pending").withQosClass("Burstable").endStatus()
                .build();
    }
}
