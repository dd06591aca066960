package fleet.console.diagnosis;

import fleet.console.cluster.KubectlCommands;
import fleet.console.cluster.rollouts.Revision;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pods stuck in Pending (the runbook's Issue D), by the scheduler's own words: not enough CPU, memory or
 * GPU on any node, a volume claim not bound, a taint not tolerated, a node selector no node matches.
 */
final class PendingRules {

    private static final Pattern INSUFFICIENT = Pattern.compile("Insufficient ([\\w./-]*\\w)");
    private static final Pattern TAINT = Pattern.compile("untolerated taint \\{([^:}]+):\\s*([^}]*)}");

    private PendingRules() {
    }

    /** A pending pod in focus and what the scheduler said about it. */
    private record Stuck(PodView pod, String message, Optional<Event> event) {
    }

    private static List<Stuck> stuck(Observations o) {
        List<Stuck> out = new ArrayList<>();
        for (PodView p : o.focusedPods()) {
            if (p.symptom().filter(PodView.PENDING::equals).isEmpty()) {
                continue;
            }
            Optional<Event> event = p.lastEvent("FailedScheduling");
            String message = p.condition("PodScheduled").map(c -> c.getMessage()).filter(Objects::nonNull)
                    .orElse(event.map(Event::getMessage).orElse(""));
            out.add(new Stuck(p, message, event));
        }
        return out;
    }

    private static Finding base(Observations o, Stuck s, String explanation) {
        Finding f = Finding.of(s.pod.subject(), PodView.PENDING, explanation);
        s.event.ifPresentOrElse(e -> f.evidence(List.of(Evidences.event(o.namespace(), e))),
                () -> f.evidence("status", s.message, Evidences.podField(s.pod, "status.conditions[PodScheduled]",
                        ".status.conditions[?(@.type==\"PodScheduled\")].message")));
        return f;
    }

    static List<Finding> insufficientResources(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (Stuck s : stuck(o)) {
            Matcher m = INSUFFICIENT.matcher(s.message);
            Set<String> resources = new LinkedHashSet<>();
            while (m.find()) {
                resources.add(m.group(1));
            }
            if (resources.isEmpty()) {
                continue;
            }
            List<String> asks = new ArrayList<>();
            for (String r : resources) {
                asks.add(r + " " + requested(s.pod, r).map(Quantity::toString).orElse("?"));
            }
            Finding f = base(o, s, s.pod.name() + " asks for " + String.join(", ", asks) + " and no node has that much free"
                    + (resources.contains("nvidia.com/gpu") && o.nodes().stream().noneMatch(n -> allocatable(n, "nvidia.com/gpu").isPresent())
                    ? " (no node has a GPU at all)" : "") + ".")
                    .cause("Insufficient " + String.join(" and ", resources));
            for (String r : resources) {
                for (Container c : s.pod.containers()) {
                    if (request(c, r).isPresent()) {
                        f.evidence("spec", c.getName() + " requests " + r + ": " + request(c, r).get(),
                                Evidences.containerSpec(s.pod, c.getName(), "resources"));
                    }
                }
                for (Node n : o.nodes()) {
                    f.evidence("node", n.getMetadata().getName() + " allocatable " + r + ": " + allocatable(n, r).map(Quantity::toString).orElse("none"),
                            Evidences.field(n, "status.allocatable", ".status.allocatable"));
                }
            }
            Optional<Fix> rollback = Fixes.rollbackWhere(o, s.pod, r -> resources.stream()
                            .allMatch(res -> templateRequest(r, res).compareTo(requestedAmount(s.pod, res)) < 0),
                    ", which asked for less " + String.join(" and ", resources) + ".");
            f.fix(rollback.orElseGet(() -> new Fix.CommandFix("Free " + String.join(" and ", resources)
                    + " (scale down what does not need to run), add a node that has it, or lower the request.",
                    List.of("kubectl describe nodes | grep -A5 'Allocated resources'",
                            "kubectl set resources " + s.pod.workload().map(w -> w.kubectlName()).orElse("pod/" + s.pod.name()) + " "
                                    + Fixes.ns(o) + " --requests=" + resources.iterator().next() + "=<less>"))));
            out.add(f);
        }
        return out;
    }

    static List<Finding> unboundClaim(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (Stuck s : stuck(o)) {
            for (Volume v : Optional.ofNullable(s.pod.pod().getSpec().getVolumes()).orElse(List.of())) {
                if (v.getPersistentVolumeClaim() == null) {
                    continue;
                }
                String claimName = v.getPersistentVolumeClaim().getClaimName();
                Optional<PersistentVolumeClaim> claim = o.claim(claimName);
                boolean bound = claim.map(c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase())).orElse(false);
                if (bound) {
                    continue;
                }
                List<String> classes = o.storageClasses().stream().map(sc -> sc.getMetadata().getName()).toList();
                Optional<String> wanted = claim.map(c -> c.getSpec() == null ? null : c.getSpec().getStorageClassName());
                Optional<String> defaultClass = o.storageClasses().stream().filter(PendingRules::isDefault).map(sc -> sc.getMetadata().getName()).findFirst();
                boolean classMissing = wanted.isPresent() && !classes.isEmpty() && !classes.contains(wanted.get());
                String why = claim.isEmpty() ? "does not exist"
                        : classMissing ? "asks for storage class '" + wanted.get() + "', which this cluster does not have (it has: "
                        + String.join(", ", classes) + ")"
                        : wanted.isEmpty() && defaultClass.isEmpty() && !classes.isEmpty() ? "names no storage class and the cluster has no default one"
                        : "is " + claim.get().getStatus().getPhase() + ", waiting for a volume" + wanted.map(w -> " of class " + w).orElse("");
                Finding f = base(o, s, s.pod.name() + " waits for its volume claim " + claimName + ", which " + why + ".")
                        .cause("Volume claim not bound");
                claim.ifPresent(c -> {
                    f.evidence("claim", claimName + " is " + (c.getStatus() == null ? "Pending" : c.getStatus().getPhase()),
                            Evidences.field(c, "status.phase", ".status.phase"));
                    f.evidence("claim", "storageClassName: " + wanted.orElse("(none)"), Evidences.field(c, "spec.storageClassName", ".spec.storageClassName"));
                });
                Optional<String> templateClass = s.pod.workload().filter(w -> "StatefulSet".equals(w.kind()))
                        .flatMap(w -> o.statefulSet(w.name()))
                        .flatMap(sts -> Optional.ofNullable(sts.getSpec().getVolumeClaimTemplates()).orElse(List.of()).stream()
                                .filter(t -> claimName.startsWith(t.getMetadata().getName() + "-")).findFirst())
                        .map(t -> t.getSpec().getStorageClassName() == null ? defaultClass.orElse("") : t.getSpec().getStorageClassName());
                if (classMissing && templateClass.filter(classes::contains).isPresent()) {
                    f.fix(new Fix.CommandFix("The claim differs from its StatefulSet's template (class " + templateClass.get() + ", which exists):"
                            + " delete the claim and the pod, and the StatefulSet makes both again. The claim never had a volume, so no data is lost.",
                            List.of("kubectl delete pvc " + KubectlCommands.quote(claimName) + " " + Fixes.ns(o),
                                    KubectlCommands.in(o.namespace()).deletePod(s.pod.name()))));
                } else {
                    f.fix(new Fix.CommandFix("Give the claim a storage class the cluster has (or install the provisioner it names),"
                            + " then recreate it.", List.of("kubectl get storageclass", "kubectl get pvc " + Fixes.ns(o),
                            "kubectl describe pvc " + KubectlCommands.quote(claimName) + " " + Fixes.ns(o))));
                }
                out.add(f);
                break;
            }
        }
        return out;
    }

    static List<Finding> taint(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (Stuck s : stuck(o)) {
            Matcher m = TAINT.matcher(s.message);
            if (!m.find()) {
                continue;
            }
            String key = m.group(1).strip();
            String value = m.group(2).strip();
            List<Node> tainted = o.nodes().stream().filter(n -> taints(n).stream().anyMatch(t -> key.equals(t.getKey()))).toList();
            Finding f = base(o, s, s.pod.name() + " tolerates no taint " + key + (value.isEmpty() ? "" : "=" + value) + ", and "
                    + (tainted.size() == o.nodes().size() ? "every node has it" : tainted.size() + " node(s) have it, the others do not fit") + ".")
                    .cause("Taint not tolerated");
            List<String> commands = new ArrayList<>();
            for (Node n : tainted) {
                for (Taint t : taints(n)) {
                    if (key.equals(t.getKey())) {
                        f.evidence("node", n.getMetadata().getName() + " taint " + t.getKey() + (t.getValue() == null ? "" : "=" + t.getValue()) + ":" + t.getEffect(),
                                Evidences.field(n, "spec.taints", ".spec.taints"));
                        commands.add("kubectl taint nodes " + KubectlCommands.quote(n.getMetadata().getName()) + " "
                                + KubectlCommands.quote(t.getKey() + (t.getValue() == null || t.getValue().isEmpty() ? "" : "=" + t.getValue())
                                + ":" + t.getEffect() + "-"));
                    }
                }
            }
            f.evidence("spec", "tolerations: " + (s.pod.pod().getSpec().getTolerations() == null ? "none"
                            : s.pod.pod().getSpec().getTolerations().size() + ", none for " + key),
                    Evidences.podField(s.pod, "spec.tolerations", ".spec.tolerations"));
            f.fix(new Fix.CommandFix("Remove the taint if these nodes should run the fleet; otherwise give " + CrashRules.workloadName(s.pod)
                    + " a toleration for " + key + ".", commands.isEmpty() ? List.of("kubectl describe nodes | grep Taints") : commands));
            out.add(f);
        }
        return out;
    }

    static List<Finding> nodeSelector(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (Stuck s : stuck(o)) {
            if (!s.message.contains("didn't match Pod's node affinity/selector")) {
                continue;
            }
            Map<String, String> selector = Optional.ofNullable(s.pod.pod().getSpec().getNodeSelector()).orElse(Map.of());
            List<String> unmatched = selector.entrySet().stream()
                    .filter(e -> o.nodes().stream().noneMatch(n -> e.getValue().equals(labels(n).get(e.getKey()))))
                    .map(e -> e.getKey() + "=" + e.getValue()).toList();
            Finding f = base(o, s, s.pod.name() + " may only run on nodes labelled " + (unmatched.isEmpty() ? selector.toString()
                    : String.join(", ", unmatched)) + ", and no node is.")
                    .cause("Node selector matches no node");
            f.evidence("spec", "nodeSelector: " + selector, Evidences.podField(s.pod, "spec.nodeSelector", ".spec.nodeSelector"));
            for (Node n : o.nodes()) {
                f.evidence("node", n.getMetadata().getName() + " labels: " + labels(n).keySet().stream().filter(k -> !k.startsWith("kubernetes.io/")).sorted().toList(),
                        Evidences.field(n, "metadata.labels", ".metadata.labels"));
            }
            Optional<Fix> rollback = Fixes.rollbackWhere(o, s.pod, r -> {
                Map<String, String> was = r.template() == null || r.template().getSpec() == null || r.template().getSpec().getNodeSelector() == null
                        ? Map.of() : r.template().getSpec().getNodeSelector();
                return selector.entrySet().stream().anyMatch(e -> !e.getValue().equals(was.get(e.getKey())));
            }, ", which had no such node selector.");
            f.fix(rollback.orElseGet(() -> new Fix.CommandFix("Label a node that should run it, or drop the selector.",
                    List.of("kubectl label nodes <node> " + KubectlCommands.quote(unmatched.isEmpty() ? "<key>=<value>" : unmatched.get(0))))));
            out.add(f);
        }
        return out;
    }

    static List<Finding> unschedulable(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (Stuck s : stuck(o)) {
            Finding f = base(o, s, s.pod.name() + " is not scheduled: " + (s.message.isEmpty() ? "the scheduler gave no reason" : s.message))
                    .cause("Cannot be scheduled");
            f.fix(new Fix.CommandFix("Read the scheduler's events and the nodes' state.",
                    List.of(KubectlCommands.in(o.namespace()).podEvents(s.pod.name()), "kubectl describe nodes")));
            out.add(f);
        }
        return out;
    }

    private static boolean isDefault(StorageClass sc) {
        return sc.getMetadata().getAnnotations() != null
                && "true".equals(sc.getMetadata().getAnnotations().get("storageclass.kubernetes.io/is-default-class"));
    }

    private static List<Taint> taints(Node n) {
        return n.getSpec() == null || n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints();
    }

    private static Map<String, String> labels(Node n) {
        return n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    }

    private static Optional<Quantity> allocatable(Node n, String resource) {
        return n.getStatus() == null || n.getStatus().getAllocatable() == null ? Optional.empty()
                : Optional.ofNullable(n.getStatus().getAllocatable().get(resource));
    }

    private static Optional<Quantity> request(Container c, String resource) {
        if (c.getResources() == null) {
            return Optional.empty();
        }
        Optional<Quantity> q = Optional.ofNullable(c.getResources().getRequests()).map(r -> r.get(resource));
        return q.isPresent() ? q : Optional.ofNullable(c.getResources().getLimits()).map(l -> l.get(resource));
    }

    private static Optional<Quantity> requested(PodView p, String resource) {
        BigDecimal sum = requestedAmount(p, resource);
        return sum.signum() == 0 ? Optional.empty() : p.containers().stream().map(c -> request(c, resource)).flatMap(Optional::stream)
                .reduce((a, b) -> new Quantity(a.getNumericalAmount().add(b.getNumericalAmount()).stripTrailingZeros().toPlainString()));
    }

    private static BigDecimal requestedAmount(PodView p, String resource) {
        return p.containers().stream().map(c -> request(c, resource)).flatMap(Optional::stream).map(Quantity::getNumericalAmount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static BigDecimal templateRequest(Revision r, String resource) {
        if (r.template() == null || r.template().getSpec() == null || r.template().getSpec().getContainers() == null) {
            return BigDecimal.ZERO;
        }
        return r.template().getSpec().getContainers().stream().map(c -> request(c, resource)).flatMap(Optional::stream)
                .map(Quantity::getNumericalAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
