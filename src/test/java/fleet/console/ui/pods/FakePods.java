package fleet.console.ui.pods;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.pods.ContainerDetail;
import fleet.console.cluster.pods.PodDetail;
import fleet.console.cluster.pods.PodRow;
import fleet.console.cluster.pods.Termination;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.ui.logs.LogOptions;
import fleet.console.ui.logs.LogOrigin;
import fleet.console.ui.logs.LogViewModel;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A namespace of synthetic pods: the test says what the watch sees and what inspect returns. */
final class FakePods implements PodsGateway {

    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    static final ClusterSession SESSION = new ClusterSession(null, "sandbox", "swe-ai-fleet", "https://127.0.0.1:1",
            "v1.31.2", true);

    RowListener listener;
    int watchesClosed;
    final Map<String, PodDetail> details = new HashMap<>();
    final List<String> deleted = new ArrayList<>();
    final List<AuditEntry> journal = new ArrayList<>();
    final List<LogOptions> logsOpened = new ArrayList<>();

    static PodRow row(String name, String workload, String status, boolean problem, int restarts) {
        return new PodRow("swe-ai-fleet", name, "uid-" + name, new WorkloadRef("Deployment", workload),
                problem && "Running".equals(status) ? 0 : 1, 1, status, problem, problem ? "why " + name : "", restarts,
                restarts > 0 ? Optional.of(NOW.minusSeconds(40)) : Optional.empty(), NOW.minusSeconds(3600),
                "sandbox-node-1", List.of("registry.local/swe-ai-fleet/" + workload + ":v1"), "1");
    }

    static PodRow changed(PodRow r, String status, boolean problem, int restarts, String version) {
        return new PodRow(r.namespace(), r.name(), r.uid(), r.workload(), r.ready(), r.total(), status, problem,
                r.reason(), restarts, r.lastRestart(), r.created(), r.node(), r.images(), version);
    }

    static PodDetail crashLooping(PodRow row) {
        ContainerDetail c = new ContainerDetail("ray-executor", false, "registry.local/ray-executor:v1",
                "registry.local/ray-executor@sha256:abc", "Waiting", "CrashLoopBackOff",
                "back-off 40s restarting failed container", false, 4,
                Optional.of(new Termination("Error", 1, Optional.empty(), Optional.of(NOW.minusSeconds(45)),
                        Optional.of(NOW.minusSeconds(44)), Optional.empty())),
                Map.of("cpu", "100m", "memory", "256Mi"), Map.of("memory", "512Mi"),
                Map.of("readiness", "http-get :8080/health every 10s"), List.of());
        ContainerDetail sidecar = new ContainerDetail("log-shipper", false, "registry.local/shipper:v2", "", "Running", "",
                "", true, 0, Optional.empty(), Map.of(), Map.of(), Map.of(), List.of());
        return new PodDetail(row, List.of(sidecar, c), List.of(), Map.of("app", "ray-executor"), Map.of(), "10.0.0.5",
                "10.0.0.10", "Burstable", List.of("Ready=False"));
    }

    @Override
    public AutoCloseable watch(ClusterSession session, RowListener l) {
        listener = l;
        return () -> watchesClosed++;
    }

    @Override
    public Optional<PodDetail> inspect(ClusterSession session, String pod) {
        return Optional.ofNullable(details.get(pod));
    }

    @Override
    public void delete(ClusterSession session, String pod) {
        deleted.add(pod);
        journal.add(new AuditEntry(NOW, session.contextName(), session.namespace(), "delete pod", pod, "ok"));
    }

    @Override
    public AuditContents audit() {
        return new AuditContents(Path.of("/tmp/audit.jsonl"), journal, 0);
    }

    @Override
    public LogOrigin podLogs(ClusterSession session, PodRow pod, List<String> containers) {
        return origin(pod.name(), containers, false);
    }

    @Override
    public LogOrigin workloadLogs(ClusterSession session, WorkloadRef workload) {
        return origin(workload.kubectlName(), List.of(), true);
    }

    private LogOrigin origin(String name, List<String> containers, boolean several) {
        return new LogOrigin() {
            @Override
            public String title(LogOptions options) {
                return name + (options.previous() ? " (previous run)" : "");
            }

            @Override
            public List<String> containers() {
                return containers;
            }

            @Override
            public boolean severalPods() {
                return several;
            }

            @Override
            public String kubectl(LogOptions options) {
                return "kubectl logs " + name + (options.previous() ? " --previous" : "");
            }

            @Override
            public AutoCloseable open(LogOptions options, LogViewModel.Feed feed) {
                logsOpened.add(options);
                return () -> { };
            }
        };
    }

    @Override
    public List<KubectlCommand> kubectl(ClusterSession session, PodRow pod, Optional<PodDetail> detail) {
        return List.of(new KubectlCommand("Describe", "kubectl describe pod " + pod.name()));
    }
}
