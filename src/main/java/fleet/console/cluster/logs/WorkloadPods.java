package fleet.console.cluster.logs;

import fleet.console.cluster.LabelSelectors;
import fleet.console.cluster.pods.PodRows;
import fleet.console.cluster.pods.WorkloadRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pods of a workload, found as the workload itself finds them: through its own selector, and owned
 * by it (a Deployment through its ReplicaSets). Never by guessing {@code app=<name>}: the monitoring
 * dashboard's pods are {@code app=monitoring}.
 *
 * @param selector the workload's selector (empty for a bare pod)
 * @param pods     its pods' names, sorted
 */
public record WorkloadPods(WorkloadRef workload, Optional<LabelSelector> selector, List<String> pods) {

    public WorkloadPods {
        pods = List.copyOf(pods);
    }

    /** The selector in kubectl's {@code -l} syntax, for the equivalent command. */
    public Optional<String> kubectlSelector() {
        return selector.map(LabelSelectors::toKubectl);
    }

    /**
     * @throws IllegalArgumentException when the workload does not exist, naming those that do
     */
    public static WorkloadPods resolve(KubernetesClient client, String namespace, WorkloadRef workload) {
        String kind = workload.kind();
        if ("Pod".equals(kind)) {
            return new WorkloadPods(workload, Optional.empty(), List.of(workload.name()));
        }
        HasMetadata owner;
        LabelSelector selector;
        switch (kind) {
            case "Deployment" -> {
                var d = client.apps().deployments().inNamespace(namespace).withName(workload.name()).get();
                owner = d;
                selector = d == null ? null : d.getSpec().getSelector();
            }
            case "StatefulSet" -> {
                var s = client.apps().statefulSets().inNamespace(namespace).withName(workload.name()).get();
                owner = s;
                selector = s == null ? null : s.getSpec().getSelector();
            }
            case "DaemonSet" -> {
                var s = client.apps().daemonSets().inNamespace(namespace).withName(workload.name()).get();
                owner = s;
                selector = s == null ? null : s.getSpec().getSelector();
            }
            case "ReplicaSet" -> {
                var s = client.apps().replicaSets().inNamespace(namespace).withName(workload.name()).get();
                owner = s;
                selector = s == null ? null : s.getSpec().getSelector();
            }
            case "Job" -> {
                var j = client.batch().v1().jobs().inNamespace(namespace).withName(workload.name()).get();
                owner = j;
                selector = j == null ? null : j.getSpec().getSelector();
            }
            default -> throw new IllegalArgumentException("Cannot show the logs of a " + kind
                    + "; choose a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or a pod.");
        }
        if (owner == null) {
            throw new IllegalArgumentException("No " + kind + " '" + workload.name() + "' in namespace " + namespace + "."
                    + existing(client, namespace, kind));
        }
        Set<String> owners = owners(client, namespace, owner);
        List<Pod> all = client.pods().inNamespace(namespace).list().getItems();
        LabelSelector chosen = selector;
        List<String> names = all.stream()
                .filter(p -> chosen == null || LabelSelectors.matches(chosen, p.getMetadata().getLabels()))
                // The selector finds candidates; the owner reference proves them: two workloads whose
                // selectors overlap do not mix their logs.
                .filter(p -> PodRows.controller(p).map(o -> owners.contains(o.getUid() != null ? o.getUid() : o.getName())).orElse(false))
                .map(p -> p.getMetadata().getName())
                .sorted(Comparator.naturalOrder())
                .toList();
        return new WorkloadPods(workload, Optional.ofNullable(selector), names);
    }

    /** The uids (or names) a pod of this workload has as its controller: the ReplicaSets for a Deployment. */
    private static Set<String> owners(KubernetesClient client, String namespace, HasMetadata owner) {
        if (!"Deployment".equals(owner.getKind())) {
            return Set.of(owner.getMetadata().getUid() != null ? owner.getMetadata().getUid() : owner.getMetadata().getName());
        }
        String uid = owner.getMetadata().getUid();
        return client.apps().replicaSets().inNamespace(namespace).list().getItems().stream()
                .filter(rs -> PodRows.controller(rs).filter(o -> "Deployment".equals(o.getKind())
                        && (uid != null && uid.equals(o.getUid()) || owner.getMetadata().getName().equals(o.getName()))).isPresent())
                .map(ReplicaSet::getMetadata)
                .map(m -> m.getUid() != null ? m.getUid() : m.getName())
                .collect(Collectors.toSet());
    }

    private static String existing(KubernetesClient client, String namespace, String kind) {
        List<String> names = switch (kind) {
            case "Deployment" -> client.apps().deployments().inNamespace(namespace).list().getItems().stream().map(d -> d.getMetadata().getName()).toList();
            case "StatefulSet" -> client.apps().statefulSets().inNamespace(namespace).list().getItems().stream().map(d -> d.getMetadata().getName()).toList();
            case "DaemonSet" -> client.apps().daemonSets().inNamespace(namespace).list().getItems().stream().map(d -> d.getMetadata().getName()).toList();
            case "ReplicaSet" -> client.apps().replicaSets().inNamespace(namespace).list().getItems().stream().map(d -> d.getMetadata().getName()).toList();
            case "Job" -> client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream().map(d -> d.getMetadata().getName()).toList();
            default -> List.of();
        };
        String plural = kind.toLowerCase(Locale.ROOT) + "s";
        return names.isEmpty() ? " There are no " + plural + " there." : " The " + plural + " there: " + String.join(", ", names.stream().sorted().toList()) + ".";
    }
}
