package fleet.console.sandbox.controllers;

import fleet.console.sandbox.events.EventRecorder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * StatefulSet to ordinal pods ({@code nats-0}, {@code neo4j-0}): created in order, each only once the one
 * before is Ready; scaled down from the highest ordinal; updated one pod at a time from the highest
 * ordinal. Every template is kept as a ControllerRevision, which is the StatefulSet's rollout history.
 */
public final class StatefulSetController {

    public static final String KIND = "StatefulSet";
    public static final String REVISION_LABEL = "controller-revision-hash";

    private final KubernetesClient client;
    private final EventRecorder events;
    private final Clock clock;
    private final Storage storage;

    public StatefulSetController(KubernetesClient client, EventRecorder events, Clock clock, Storage storage) {
        this.client = client;
        this.events = events;
        this.clock = clock;
        this.storage = storage;
    }

    public void reconcile(String namespace, String name) {
        StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        if (sts == null || sts.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String updateRevision = ensureRevision(sts);
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        boolean parallel = "Parallel".equals(sts.getSpec().getPodManagementPolicy());
        Map<Integer, Pod> byOrdinal = new HashMap<>();
        for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
            if (Templates.ownedBy(p, sts)) {
                ordinal(sts, p).ifPresent(i -> byOrdinal.put(i, p));
            }
        }
        act(sts, namespace, replicas, parallel, updateRevision, byOrdinal);
        writeStatus(sts, namespace, name, updateRevision);
    }

    private void act(StatefulSet sts, String namespace, int replicas, boolean parallel, String updateRevision,
                     Map<Integer, Pod> pods) {
        boolean allReady = true;
        for (int i = 0; i < replicas; i++) {
            Pod pod = pods.get(i);
            if (pod == null) {
                ensureClaims(sts, i);
                create(sts, i, updateRevision);
                if (!parallel) {
                    return;
                }
                allReady = false;
                continue;
            }
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                allReady = false;
                if (!parallel) {
                    return;
                }
                continue;
            }
            if ("Failed".equals(PodFacts.phase(pod)) || "Succeeded".equals(PodFacts.phase(pod))) {
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
                return;
            }
            if (!PodFacts.isReady(pod)) {
                allReady = false;
                if (!parallel) {
                    return;
                }
            }
        }
        List<Integer> surplus = pods.keySet().stream().filter(i -> i >= replicas).sorted(Comparator.reverseOrder()).toList();
        if (!surplus.isEmpty()) {
            if (allReady || parallel) {
                Pod victim = pods.get(surplus.get(0));
                if (victim.getMetadata().getDeletionTimestamp() == null) {
                    client.pods().inNamespace(namespace).withName(victim.getMetadata().getName()).delete();
                    events.normal(sts, EventRecorder.Source.STATEFULSET, "SuccessfulDelete",
                            "delete Pod " + victim.getMetadata().getName() + " in StatefulSet " + sts.getMetadata().getName() + " successful");
                }
            }
            return;
        }
        if (!allReady || "OnDelete".equals(strategyType(sts))) {
            return;
        }
        for (int i = replicas - 1; i >= 0; i--) {
            Pod pod = pods.get(i);
            if (pod != null && !updateRevision.equals(label(pod, REVISION_LABEL))) {
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
                events.normal(sts, EventRecorder.Source.STATEFULSET, "SuccessfulDelete",
                        "delete Pod " + pod.getMetadata().getName() + " in StatefulSet " + sts.getMetadata().getName() + " successful");
                return;
            }
        }
    }

    private String ensureRevision(StatefulSet sts) {
        String namespace = sts.getMetadata().getNamespace();
        String revName = sts.getMetadata().getName() + "-" + Templates.hash(sts.getSpec().getTemplate());
        List<ControllerRevision> owned = revisions(sts);
        long max = owned.stream().mapToLong(r -> r.getRevision() == null ? 0 : r.getRevision()).max().orElse(0);
        Optional<ControllerRevision> existing = owned.stream().filter(r -> r.getMetadata().getName().equals(revName)).findFirst();
        if (existing.isEmpty()) {
            Map<String, Object> data = Map.of("spec", Map.of("template", Serialization.unmarshal(
                    Serialization.asJson(sts.getSpec().getTemplate()), Map.class), "$patch", "replace"));
            ControllerRevision rev = new ControllerRevisionBuilder()
                    .withNewMetadata()
                    .withName(revName)
                    .withNamespace(namespace)
                    .withLabels(sts.getSpec().getSelector() == null ? Map.of() : sts.getSpec().getSelector().getMatchLabels())
                    .addToLabels(REVISION_LABEL, revName)
                    .withOwnerReferences(Templates.controllerRef(sts))
                    .withCreationTimestamp(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
                    .endMetadata()
                    .withRevision(max + 1)
                    .withData(data)
                    .build();
            client.apps().controllerRevisions().inNamespace(namespace).resource(rev).create();
        } else if (existing.get().getRevision() != null && existing.get().getRevision() < max) {
            client.apps().controllerRevisions().inNamespace(namespace).withName(revName).edit(r -> {
                r.setRevision(max + 1);
                return r;
            });
        }
        int limit = sts.getSpec().getRevisionHistoryLimit() == null ? 10 : sts.getSpec().getRevisionHistoryLimit();
        List<ControllerRevision> older = revisions(sts).stream().filter(r -> !r.getMetadata().getName().equals(revName))
                .sorted(Comparator.comparingLong(r -> r.getRevision() == null ? 0 : r.getRevision())).toList();
        for (int i = 0; i < older.size() - limit; i++) {
            client.apps().controllerRevisions().inNamespace(namespace).withName(older.get(i).getMetadata().getName()).delete();
        }
        return revName;
    }

    private List<ControllerRevision> revisions(StatefulSet sts) {
        return client.apps().controllerRevisions().inNamespace(sts.getMetadata().getNamespace()).list().getItems()
                .stream().filter(r -> Templates.ownedBy(r, sts)).toList();
    }

    private void ensureClaims(StatefulSet sts, int ordinal) {
        if (sts.getSpec().getVolumeClaimTemplates() == null) {
            return;
        }
        String namespace = sts.getMetadata().getNamespace();
        for (PersistentVolumeClaim template : sts.getSpec().getVolumeClaimTemplates()) {
            String claim = template.getMetadata().getName() + "-" + sts.getMetadata().getName() + "-" + ordinal;
            if (client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get() == null) {
                PersistentVolumeClaim pvc = new PersistentVolumeClaimBuilder()
                        .withNewMetadata().withName(claim).withNamespace(namespace)
                        .withLabels(sts.getSpec().getSelector() == null ? Map.of() : sts.getSpec().getSelector().getMatchLabels())
                        .endMetadata()
                        .withSpec(Serialization.clone(template.getSpec()))
                        .build();
                storage.provision(client.persistentVolumeClaims().inNamespace(namespace).resource(pvc).create());
            }
        }
    }

    private void create(StatefulSet sts, int ordinal, String revision) {
        PodTemplateSpec template = Serialization.clone(sts.getSpec().getTemplate());
        ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        String podName = sts.getMetadata().getName() + "-" + ordinal;
        Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(meta.getLabels()).orElse(Map.of()));
        labels.put(REVISION_LABEL, revision);
        labels.put("statefulset.kubernetes.io/pod-name", podName);
        labels.put("apps.kubernetes.io/pod-index", Integer.toString(ordinal));
        PodSpec spec = template.getSpec();
        spec.setHostname(podName);
        spec.setSubdomain(sts.getSpec().getServiceName());
        if (sts.getSpec().getVolumeClaimTemplates() != null) {
            List<Volume> volumes = new ArrayList<>(Optional.ofNullable(spec.getVolumes()).orElse(List.of()));
            for (PersistentVolumeClaim t : sts.getSpec().getVolumeClaimTemplates()) {
                String vname = t.getMetadata().getName();
                volumes.removeIf(v -> vname.equals(v.getName()));
                volumes.add(new VolumeBuilder().withName(vname).withNewPersistentVolumeClaim()
                        .withClaimName(vname + "-" + sts.getMetadata().getName() + "-" + ordinal).endPersistentVolumeClaim().build());
            }
            spec.setVolumes(volumes);
        }
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(podName)
                .withNamespace(sts.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(meta.getAnnotations())
                .withOwnerReferences(Templates.controllerRef(sts))
                .withCreationTimestamp(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
                .endMetadata()
                .withSpec(spec)
                .withNewStatus().withPhase("Pending").withQosClass("Burstable").endStatus()
                .build();
        client.pods().inNamespace(sts.getMetadata().getNamespace()).resource(pod).create();
        events.normal(sts, EventRecorder.Source.STATEFULSET, "SuccessfulCreate",
                "create Pod " + podName + " in StatefulSet " + sts.getMetadata().getName() + " successful");
    }

    private void writeStatus(StatefulSet before, String namespace, String name, String updateRevision) {
        StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        if (sts == null) {
            return;
        }
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> Templates.ownedBy(p, sts)).filter(PodFacts::isActive).toList();
        int ready = (int) pods.stream().filter(PodFacts::isReady).count();
        int updated = (int) pods.stream().filter(p -> updateRevision.equals(label(p, REVISION_LABEL))).count();
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        String previousCurrent = sts.getStatus() == null ? null : sts.getStatus().getCurrentRevision();
        String current = updated == pods.size() && pods.size() == replicas || previousCurrent == null ? updateRevision : previousCurrent;
        int currentReplicas = (int) pods.stream().filter(p -> current.equals(label(p, REVISION_LABEL))).count();
        StatefulSetStatus status = new StatefulSetStatusBuilder()
                .withObservedGeneration(before.getMetadata().getGeneration())
                .withReplicas(pods.size())
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withCurrentReplicas(currentReplicas)
                .withUpdatedReplicas(updated)
                .withCurrentRevision(current)
                .withUpdateRevision(updateRevision)
                .withCollisionCount(0)
                .build();
        if (sts.getStatus() == null || !Serialization.asJson(sts.getStatus()).equals(Serialization.asJson(status))) {
            sts.setStatus(status);
            client.apps().statefulSets().inNamespace(namespace).resource(sts).updateStatus();
        }
    }

    private static Optional<Integer> ordinal(StatefulSet sts, Pod pod) {
        String prefix = sts.getMetadata().getName() + "-";
        String podName = pod.getMetadata().getName();
        if (!podName.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(podName.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String strategyType(StatefulSet sts) {
        return sts.getSpec().getUpdateStrategy() == null || sts.getSpec().getUpdateStrategy().getType() == null
                ? "RollingUpdate" : sts.getSpec().getUpdateStrategy().getType();
    }

    private static String label(Pod pod, String key) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
    }
}
