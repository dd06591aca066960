package fleet.console.ui.overview;

import fleet.console.cluster.PodState;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The health of every Deployment and StatefulSet of a namespace, read from their status and their
 * pods. A workload is healthy when all desired replicas are ready and none of its pods is in
 * trouble: a crash-looping surge pod during a rolling update (the NATS double-bind case) leaves
 * ready == desired while the rollout is stuck, and must still show.
 */
public final class WorkloadHealthReader {

    private WorkloadHealthReader() {
    }

    public static List<HealthRow> read(KubernetesClient client, String namespace) {
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        List<HealthRow> rows = new ArrayList<>();
        for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                    : d.getStatus().getReadyReplicas();
            LabelSelector selector = d.getSpec() == null ? null : d.getSpec().getSelector();
            rows.add(evaluate(d.getMetadata().getName(), "Deployment", desired, ready, podsOf(selector, pods)));
        }
        for (StatefulSet s : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
            int desired = s.getSpec() == null || s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
            int ready = s.getStatus() == null || s.getStatus().getReadyReplicas() == null ? 0
                    : s.getStatus().getReadyReplicas();
            LabelSelector selector = s.getSpec() == null ? null : s.getSpec().getSelector();
            rows.add(evaluate(s.getMetadata().getName(), "StatefulSet", desired, ready, podsOf(selector, pods)));
        }
        rows.sort(Comparator.comparing(HealthRow::healthy).thenComparing(HealthRow::name));
        return List.copyOf(rows);
    }

    static HealthRow evaluate(String name, String kind, int desired, int ready, List<Pod> pods) {
        Optional<Pod> troubled = pods.stream()
                .filter(p -> PodState.of(p).problem())
                .min(Comparator.comparing(p -> p.getMetadata().getName()));
        if (troubled.isPresent()) {
            Pod pod = troubled.get();
            PodState state = PodState.of(pod);
            // The reason first: it is what the operator acts on, and the column is narrow.
            StringBuilder detail = new StringBuilder();
            state.detail().filter(d -> !d.isBlank()).ifPresent(d -> detail.append(d.trim()).append(" ("));
            detail.append("pod ").append(pod.getMetadata().getName());
            if (state.restarts() > 0) {
                detail.append(", restarted ").append(state.restarts()).append(state.restarts() == 1 ? " time" : " times");
            }
            if (state.detail().filter(d -> !d.isBlank()).isPresent()) {
                detail.append(")");
            }
            return new HealthRow(name, kind, desired, ready, false, state.status(), detail.toString());
        }
        if (ready >= desired) {
            return new HealthRow(name, kind, desired, ready, true, desired == 0 ? "Scaled to 0" : "Running", "");
        }
        if (pods.isEmpty()) {
            return new HealthRow(name, kind, desired, ready, false, "No pods",
                    desired + (desired == 1 ? " replica wanted" : " replicas wanted") + ", no pod exists");
        }
        return new HealthRow(name, kind, desired, ready, false, "Starting", ready + " of " + desired + " ready");
    }

    /**
     * The pods a workload owns, found through its own selector: the monitoring dashboard's pods are
     * {@code app=monitoring}, not {@code app=monitoring-dashboard}, and guessing by name misses them.
     */
    static List<Pod> podsOf(LabelSelector selector, List<Pod> pods) {
        if (selector == null || (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty())) {
            // An empty selector selects nothing for a workload (the API server refuses one anyway).
            return List.of();
        }
        return pods.stream().filter(p -> matches(selector, labels(p))).toList();
    }

    private static Map<String, String> labels(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (r.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
