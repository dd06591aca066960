package fleet.console.cluster.rollouts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Workloads and their revisions, read the way Kubernetes keeps them: a Deployment's ReplicaSets (owned by
 * it, numbered by their revision annotation), a StatefulSet's ControllerRevisions. Found through owner
 * references, never by guessing labels.
 */
public final class RolloutHistory {

    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

    private final KubernetesClient client;
    private final String namespace;

    public RolloutHistory(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Every Deployment and StatefulSet of the namespace, Deployments first, by name. */
    public List<WorkloadStatus> workloads() {
        List<WorkloadStatus> out = new ArrayList<>();
        client.apps().deployments().inNamespace(namespace).list().getItems().stream()
                .sorted(Comparator.comparing(d -> d.getMetadata().getName())).map(RolloutHistory::status).forEach(out::add);
        client.apps().statefulSets().inNamespace(namespace).list().getItems().stream()
                .sorted(Comparator.comparing(s -> s.getMetadata().getName())).map(RolloutHistory::status).forEach(out::add);
        return out;
    }

    public Optional<WorkloadStatus> workload(String kind, String name) {
        if ("StatefulSet".equals(kind)) {
            return Optional.ofNullable(client.apps().statefulSets().inNamespace(namespace).withName(name).get()).map(RolloutHistory::status);
        }
        return Optional.ofNullable(client.apps().deployments().inNamespace(namespace).withName(name).get()).map(RolloutHistory::status);
    }

    public static WorkloadStatus status(Deployment d) {
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        var st = d.getStatus();
        int ready = st == null || st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
        int updated = st == null || st.getUpdatedReplicas() == null ? 0 : st.getUpdatedReplicas();
        int available = st == null || st.getAvailableReplicas() == null ? 0 : st.getAvailableReplicas();
        int total = st == null || st.getReplicas() == null ? 0 : st.getReplicas();
        Optional<DeploymentCondition> progressing = st == null || st.getConditions() == null ? Optional.empty()
                : st.getConditions().stream().filter(c -> "Progressing".equals(c.getType())).findFirst();
        RolloutState state;
        String detail = progressing.map(DeploymentCondition::getMessage).orElse("");
        boolean observed = st != null && d.getMetadata().getGeneration() != null && d.getMetadata().getGeneration().equals(st.getObservedGeneration());
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            state = RolloutState.PAUSED;
        } else if (progressing.isPresent() && "ProgressDeadlineExceeded".equals(progressing.get().getReason())) {
            state = RolloutState.STALLED;
        } else if (desired == 0 && total == 0) {
            state = RolloutState.SCALED_TO_ZERO;
        } else if (observed && updated == desired && available == desired && total == desired) {
            state = RolloutState.COMPLETE;
        } else {
            state = RolloutState.PROGRESSING;
        }
        long revision = revisionOf(d.getMetadata());
        return new WorkloadStatus("Deployment", d.getMetadata().getName(), desired, ready, updated, available,
                images(d.getSpec().getTemplate()), revision, state, detail,
                d.getSpec().getSelector() == null || d.getSpec().getSelector().getMatchLabels() == null ? Map.of()
                        : d.getSpec().getSelector().getMatchLabels(),
                d.getSpec().getProgressDeadlineSeconds() == null ? 600 : d.getSpec().getProgressDeadlineSeconds());
    }

    public static WorkloadStatus status(StatefulSet s) {
        int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        var st = s.getStatus();
        int ready = st == null || st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
        int updated = st == null || st.getUpdatedReplicas() == null ? 0 : st.getUpdatedReplicas();
        int available = st == null || st.getAvailableReplicas() == null ? ready : st.getAvailableReplicas();
        int total = st == null || st.getReplicas() == null ? 0 : st.getReplicas();
        RolloutState state;
        if (desired == 0 && total == 0) {
            state = RolloutState.SCALED_TO_ZERO;
        } else if (st != null && updated == desired && ready == desired && st.getUpdateRevision() != null
                && st.getUpdateRevision().equals(st.getCurrentRevision())) {
            state = RolloutState.COMPLETE;
        } else {
            state = RolloutState.PROGRESSING;
        }
        return new WorkloadStatus("StatefulSet", s.getMetadata().getName(), desired, ready, updated, available,
                images(s.getSpec().getTemplate()), 0, state, "",
                s.getSpec().getSelector() == null || s.getSpec().getSelector().getMatchLabels() == null ? Map.of()
                        : s.getSpec().getSelector().getMatchLabels(), 0);
    }

    /** The workload's revisions, newest first. */
    public List<Revision> revisions(String kind, String name) throws RolloutProblem {
        if ("StatefulSet".equals(kind)) {
            return statefulSetRevisions(name);
        }
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (d == null) {
            throw RolloutProblem.noWorkload(kind, name, namespace);
        }
        long live = revisionOf(d.getMetadata());
        List<Revision> out = new ArrayList<>();
        for (ReplicaSet rs : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
            if (!ownedBy(rs, d)) {
                continue;
            }
            long number = revisionOf(rs.getMetadata());
            out.add(new Revision(number, created(rs), new ArrayList<>(images(rs.getSpec().getTemplate()).values()),
                    changeCause(rs.getMetadata()), rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas(),
                    number == live, rs.getMetadata().getName(), rs.getSpec().getTemplate()));
        }
        out.sort(Comparator.comparingLong(Revision::number).reversed());
        return out;
    }

    private List<Revision> statefulSetRevisions(String name) throws RolloutProblem {
        StatefulSet s = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        if (s == null) {
            throw RolloutProblem.noWorkload("StatefulSet", name, namespace);
        }
        String live = s.getStatus() == null ? null : s.getStatus().getUpdateRevision();
        List<Revision> out = new ArrayList<>();
        for (ControllerRevision cr : client.apps().controllerRevisions().inNamespace(namespace).list().getItems()) {
            if (!ownedBy(cr, s)) {
                continue;
            }
            PodTemplateSpec template = templateOf(cr);
            long replicas = client.pods().inNamespace(namespace).list().getItems().stream()
                    .filter(p -> p.getMetadata().getLabels() != null
                            && cr.getMetadata().getName().equals(p.getMetadata().getLabels().get("controller-revision-hash")))
                    .count();
            out.add(new Revision(cr.getRevision() == null ? 0 : cr.getRevision(), created(cr),
                    new ArrayList<>(images(template).values()), changeCause(cr.getMetadata()), (int) replicas,
                    cr.getMetadata().getName().equals(live), cr.getMetadata().getName(), template));
        }
        out.sort(Comparator.comparingLong(Revision::number).reversed());
        return out;
    }

    /** The pod template a ControllerRevision keeps ({@code data.spec.template}). */
    static PodTemplateSpec templateOf(ControllerRevision cr) {
        Object data = cr.getData();
        Map<?, ?> root = data instanceof Map<?, ?> m ? m : Serialization.unmarshal(Serialization.asJson(data), Map.class);
        Object spec = root.get("spec");
        Object template = spec instanceof Map<?, ?> sm ? sm.get("template") : null;
        if (template == null) {
            return new PodTemplateSpec();
        }
        return Serialization.unmarshal(Serialization.asJson(template), PodTemplateSpec.class);
    }

    static Map<String, String> images(PodTemplateSpec t) {
        Map<String, String> out = new LinkedHashMap<>();
        if (t != null && t.getSpec() != null && t.getSpec().getContainers() != null) {
            for (Container c : t.getSpec().getContainers()) {
                out.put(c.getName(), c.getImage());
            }
        }
        return out;
    }

    static long revisionOf(ObjectMeta meta) {
        String value = meta.getAnnotations() == null ? null : meta.getAnnotations().get(REVISION);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<String> changeCause(ObjectMeta meta) {
        return Optional.ofNullable(meta.getAnnotations()).map(a -> a.get(CHANGE_CAUSE)).filter(c -> !c.isBlank());
    }

    private static Optional<Instant> created(HasMetadata o) {
        try {
            return Optional.ofNullable(o.getMetadata().getCreationTimestamp()).map(Instant::parse);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean ownedBy(HasMetadata child, HasMetadata owner) {
        return child.getMetadata().getOwnerReferences() != null && child.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> owner.getMetadata().getUid().equals(r.getUid()));
    }
}
