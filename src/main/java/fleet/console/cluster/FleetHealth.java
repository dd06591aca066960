package fleet.console.cluster;

import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;
import fleet.console.profile.WorkloadKind;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet's health, as the runbook's verify-health script means it but without its blind spots: every
 * Deployment and StatefulSet of the namespace, its pods found through its own selector (the monitoring
 * dashboard's pods are app=monitoring), the worst pod's real reason, and the profile's services that
 * are not deployed at all.
 */
public final class FleetHealth {

    /** Pod reasons by how urgently an operator should look, most urgent first. */
    private static final List<String> SEVERITY = List.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
            "CreateContainerConfigError", "InvalidImageName", "OOMKilled", "Error", "ContainerStatusUnknown", "Pending",
            "Unknown", "Running");

    private FleetHealth() {
    }

    public static List<WorkloadHealth> read(KubernetesClient client, String namespace, FleetProfile profile) {
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        Map<String, WorkloadHealth> rows = new LinkedHashMap<>();
        for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
            int updated = d.getStatus() == null || d.getStatus().getUpdatedReplicas() == null ? 0 : d.getStatus().getUpdatedReplicas();
            int total = d.getStatus() == null || d.getStatus().getReplicas() == null ? 0 : d.getStatus().getReplicas();
            boolean stalled = d.getStatus() != null && d.getStatus().getConditions() != null && d.getStatus().getConditions().stream()
                    .anyMatch(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()));
            // Rolled out as kubectl rollout status means it: every pod of the new template, and none of an old
            // one left (an old pod still ready would otherwise hide a new one that cannot start).
            int old = Math.max(0, total - updated);
            rows.put(d.getMetadata().getName(), row(d.getMetadata().getName(), "Deployment", desired, ready,
                    updated >= desired, old, stalled, select(pods, d.getSpec().getSelector())));
        }
        for (StatefulSet s : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
            int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
            int ready = s.getStatus() == null || s.getStatus().getReadyReplicas() == null ? 0 : s.getStatus().getReadyReplicas();
            rows.put(s.getMetadata().getName(), row(s.getMetadata().getName(), "StatefulSet", desired, ready, true, 0, false,
                    select(pods, s.getSpec().getSelector())));
        }
        List<WorkloadHealth> ordered = new ArrayList<>();
        for (ServiceSpec s : profile.services()) {
            WorkloadHealth found = rows.remove(s.name());
            ordered.add(found != null ? found : new WorkloadHealth(s.name(),
                    s.kind() == WorkloadKind.STATEFULSET ? "StatefulSet" : "Deployment", s.replicas(), 0, false, "Not deployed",
                    "no " + (s.kind() == WorkloadKind.STATEFULSET ? "StatefulSet" : "Deployment") + " '" + s.name()
                            + "' in namespace " + namespace));
        }
        rows.values().stream().sorted(Comparator.comparing(WorkloadHealth::name)).forEach(ordered::add);
        return ordered;
    }

    public static boolean allHealthy(List<WorkloadHealth> rows) {
        return rows.stream().allMatch(WorkloadHealth::healthy);
    }

    /** The table as the runbook prints it, one workload a line, names aligned. */
    public static String render(List<WorkloadHealth> rows) {
        int width = rows.stream().mapToInt(r -> r.name().length()).max().orElse(10) + 1;
        StringBuilder out = new StringBuilder();
        for (WorkloadHealth r : rows) {
            out.append(r.line(width)).append('\n');
        }
        return out.toString();
    }

    /**
     * @param updated every pod wanted is of the current template
     * @param old     pods of an earlier template still there (a rollout under way)
     */
    private static WorkloadHealth row(String name, String kind, int desired, int ready, boolean updated, int old, boolean stalled,
                                      List<Pod> pods) {
        if (desired == 0) {
            return new WorkloadHealth(name, kind, 0, ready, false, "Scaled to 0", "no pods run; scale it up to serve");
        }
        Optional<Map.Entry<Pod, PodState>> worst = pods.stream()
                .map(p -> Map.entry(p, PodState.of(p)))
                .filter(e -> e.getValue().problem())
                .min(Comparator.comparingInt(e -> severity(e.getValue().status())));
        if (worst.isPresent()) {
            Pod pod = worst.get().getKey();
            PodState state = worst.get().getValue();
            String status = "Running".equals(state.status()) ? "Not ready" : state.status();
            return new WorkloadHealth(name, kind, desired, ready, false, status, describe(pod, state));
        }
        if (ready >= desired && updated && old == 0 && !stalled) {
            return new WorkloadHealth(name, kind, desired, ready, true, "Running", "");
        }
        if (stalled) {
            return new WorkloadHealth(name, kind, desired, ready, false, "Rollout stalled", "progress deadline exceeded");
        }
        if (old > 0) {
            return new WorkloadHealth(name, kind, desired, ready, false, WorkloadHealth.ROLLING_OUT,
                    old + (old == 1 ? " pod" : " pods") + " of the old template still running, " + ready + " of " + desired + " ready");
        }
        return new WorkloadHealth(name, kind, desired, ready, false, WorkloadHealth.STARTING,
                pods.isEmpty() ? "no pods yet" : pods.size() + " pod(s), " + ready + " ready");
    }

    private static String describe(Pod pod, PodState state) {
        StringBuilder out = new StringBuilder(pod.getMetadata().getName());
        if (state.restarts() > 0) {
            out.append(" restarted ").append(state.restarts()).append(state.restarts() == 1 ? " time" : " times");
        }
        Optional<String> lastExit = lastExit(pod);
        if ("CrashLoopBackOff".equals(state.status()) && lastExit.isPresent()) {
            out.append(", ").append(lastExit.get());
        } else {
            state.detail().filter(d -> !d.isBlank()).ifPresent(d -> out.append(": ").append(firstLine(d)));
        }
        return out.toString();
    }

    /** {@code last exit code 1 (Error)}: why the container died the last time. */
    private static Optional<String> lastExit(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> c.getLastState() != null && c.getLastState().getTerminated() != null)
                .map(c -> c.getLastState().getTerminated())
                .map(t -> "last exit code " + t.getExitCode() + (t.getReason() == null ? "" : " (" + t.getReason() + ")"))
                .findFirst();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }

    private static int severity(String status) {
        int i = SEVERITY.indexOf(status);
        return i < 0 ? SEVERITY.size() : i;
    }

    /** Pods a workload owns, found by its own label selector (matchLabels and matchExpressions). */
    static List<Pod> select(List<Pod> pods, LabelSelector selector) {
        if (selector == null) {
            return List.of();
        }
        return pods.stream().filter(p -> LabelSelectors.matches(selector, p.getMetadata().getLabels())).toList();
    }
}
