package fleet.console.sandbox.controllers;

import fleet.console.sandbox.events.EventRecorder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The default scheduler's filter step: a pod goes to the first node whose allocatable CPU, memory,
 * pod count and extended resources ({@code nvidia.com/gpu}) still fit its requests, whose labels match
 * its nodeSelector, whose taints it tolerates, once its claims are bound. Otherwise it stays Pending
 * with the scheduler's own message: {@code 0/1 nodes are available: 1 Insufficient nvidia.com/gpu.}
 */
public final class Scheduler {

    public static final String KIND = "Schedule";

    /** The real scheduler retries unschedulable pods from time to time as well as on cluster changes. */
    private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final ControllerLoop loop;
    private final EventRecorder events;
    private final Clock clock;

    public Scheduler(KubernetesClient client, ControllerLoop loop, EventRecorder events, Clock clock) {
        this.client = client;
        this.loop = loop;
        this.events = events;
        this.clock = clock;
    }

    public void reconcile(String namespace, String name) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || PodFacts.isScheduled(pod)) {
            return;
        }
        Optional<String> unboundClaim = unboundClaim(pod);
        List<Node> nodes = client.nodes().list().getItems();
        List<Pod> all = client.pods().inAnyNamespace().list().getItems();
        Map<String, Integer> reasons = new TreeMap<>();
        Node chosen = null;
        if (unboundClaim.isEmpty()) {
            for (Node node : nodes) {
                List<String> why = misfit(pod, node, all);
                if (why.isEmpty()) {
                    chosen = node;
                    break;
                }
                why.forEach(r -> reasons.merge(r, 1, Integer::sum));
            }
        }
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        if (chosen != null) {
            String nodeName = chosen.getMetadata().getName();
            Pod bound = client.pods().inNamespace(namespace).withName(name).edit(p -> {
                p.getSpec().setNodeName(nodeName);
                return p;
            });
            setScheduledCondition(bound, "True", null, null, now);
            events.normal(bound, EventRecorder.Source.SCHEDULER, "Scheduled",
                    "Successfully assigned " + namespace + "/" + name + " to " + nodeName);
            return;
        }
        String message;
        if (unboundClaim.isPresent()) {
            message = "0/" + nodes.size() + " nodes are available: pod has unbound immediate PersistentVolumeClaims. "
                    + "preemption: 0/" + nodes.size() + " nodes are available: " + nodes.size()
                    + " Preemption is not helpful for scheduling.";
        } else {
            List<String> parts = new ArrayList<>();
            reasons.forEach((reason, count) -> parts.add(count + " " + reason));
            message = "0/" + nodes.size() + " nodes are available: " + String.join(", ", parts) + ". preemption: 0/"
                    + nodes.size() + " nodes are available: " + nodes.size() + " No preemption victims found for incoming pod.";
        }
        Optional<PodCondition> existing = condition(pod);
        if (existing.isEmpty() || !message.equals(existing.get().getMessage())) {
            setScheduledCondition(pod, "False", "Unschedulable", message, now);
        }
        events.warning(pod, EventRecorder.Source.SCHEDULER, "FailedScheduling", message);
        loop.enqueueAfter(RETRY, KIND, namespace, name);
    }

    private void setScheduledCondition(Pod pod, String status, String reason, String message, String now) {
        Pod fresh = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
        if (fresh == null) {
            return;
        }
        List<PodCondition> conditions = new ArrayList<>(Optional.ofNullable(fresh.getStatus().getConditions()).orElse(List.of()));
        conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
        conditions.add(new PodConditionBuilder().withType("PodScheduled").withStatus(status).withReason(reason)
                .withMessage(message).withLastTransitionTime(now).build());
        fresh.getStatus().setConditions(conditions);
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(fresh).updateStatus();
    }

    private static Optional<PodCondition> condition(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getConditions() == null ? Optional.empty()
                : pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst();
    }

    private Optional<String> unboundClaim(Pod pod) {
        if (pod.getSpec().getVolumes() == null) {
            return Optional.empty();
        }
        for (Volume v : pod.getSpec().getVolumes()) {
            if (v.getPersistentVolumeClaim() == null) {
                continue;
            }
            String claim = v.getPersistentVolumeClaim().getClaimName();
            PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(pod.getMetadata().getNamespace())
                    .withName(claim).get();
            if (pvc == null || pvc.getStatus() == null || !"Bound".equals(pvc.getStatus().getPhase())) {
                return Optional.of(claim);
            }
        }
        return Optional.empty();
    }

    /** The scheduler's reasons this node cannot take the pod; empty when it can. */
    static List<String> misfit(Pod pod, Node node, List<Pod> all) {
        List<String> reasons = new ArrayList<>();
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        Map<String, String> labels = Optional.ofNullable(node.getMetadata().getLabels()).orElse(Map.of());
        if (selector != null && selector.entrySet().stream().anyMatch(e -> !Objects.equals(labels.get(e.getKey()), e.getValue()))) {
            reasons.add("node(s) didn't match Pod's node affinity/selector");
            return reasons;
        }
        if (node.getSpec() != null && node.getSpec().getTaints() != null) {
            for (Taint taint : node.getSpec().getTaints()) {
                if (("NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect())) && !tolerated(pod, taint)) {
                    reasons.add("node(s) had untolerated taint {" + taint.getKey()
                            + (taint.getValue() == null ? "" : ": " + taint.getValue()) + "}");
                    return reasons;
                }
            }
        }
        Map<String, Quantity> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
                ? Map.of() : node.getStatus().getAllocatable();
        Map<String, BigDecimal> used = new HashMap<>();
        int podsOnNode = 0;
        for (Pod other : all) {
            if (!node.getMetadata().getName().equals(other.getSpec().getNodeName()) || !PodFacts.isActive(other)) {
                continue;
            }
            podsOnNode++;
            requests(other).forEach((k, v) -> used.merge(k, v, BigDecimal::add));
        }
        BigDecimal podCapacity = allocatable.containsKey("pods") ? allocatable.get("pods").getNumericalAmount() : BigDecimal.valueOf(110);
        if (podCapacity.compareTo(BigDecimal.valueOf(podsOnNode + 1L)) < 0) {
            reasons.add("Too many pods");
        }
        for (Map.Entry<String, BigDecimal> want : requests(pod).entrySet()) {
            if (want.getValue().signum() == 0) {
                continue;
            }
            BigDecimal have = allocatable.containsKey(want.getKey()) ? allocatable.get(want.getKey()).getNumericalAmount() : BigDecimal.ZERO;
            BigDecimal free = have.subtract(used.getOrDefault(want.getKey(), BigDecimal.ZERO));
            if (free.compareTo(want.getValue()) < 0) {
                reasons.add("Insufficient " + want.getKey());
            }
        }
        return reasons;
    }

    private static boolean tolerated(Pod pod, Taint taint) {
        List<Toleration> tolerations = pod.getSpec().getTolerations();
        if (tolerations == null) {
            return false;
        }
        return tolerations.stream().anyMatch(t -> (t.getKey() == null && "Exists".equals(t.getOperator()))
                || taint.getKey().equals(t.getKey()) && ("Exists".equals(t.getOperator()) || Objects.equals(t.getValue(), taint.getValue()))
                        && (t.getEffect() == null || t.getEffect().equals(taint.getEffect())));
    }

    /** Requests per resource; limits stand in for requests a container leaves out, as the API server defaults them. */
    static Map<String, BigDecimal> requests(Pod pod) {
        Map<String, BigDecimal> sum = new HashMap<>();
        for (Container c : Optional.ofNullable(pod.getSpec().getContainers()).orElse(List.of())) {
            Map<String, Quantity> req = new HashMap<>();
            if (c.getResources() != null && c.getResources().getLimits() != null) {
                req.putAll(c.getResources().getLimits());
            }
            if (c.getResources() != null && c.getResources().getRequests() != null) {
                req.putAll(c.getResources().getRequests());
            }
            req.forEach((k, v) -> sum.merge(k, v.getNumericalAmount(), BigDecimal::add));
        }
        return sum;
    }
}
