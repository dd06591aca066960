package fleet.console.cluster.pods;

import fleet.console.cluster.events.EventRow;
import fleet.console.cluster.events.EventRows;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything `kubectl describe pod` tells, read at one moment: containers with their state and last
 * termination, requests and limits, probes, environment (secrets by name only), the pod's events newest
 * first, labels and owner. A pod that is gone is a {@link PodGoneException}, not an error.
 */
public final class PodInspector {

    private final KubernetesClient client;
    private final String namespace;

    public PodInspector(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public PodDetail inspect(String podName) throws PodGoneException {
        Pod pod;
        try {
            pod = client.pods().inNamespace(namespace).withName(podName).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw new PodGoneException(namespace, podName);
            }
            throw e;
        }
        if (pod == null) {
            throw new PodGoneException(namespace, podName);
        }
        PodRow row = PodRows.of(pod, this::workloadOf);
        List<ContainerDetail> containers = new ArrayList<>();
        Map<String, ContainerStatus> statuses = new LinkedHashMap<>();
        if (pod.getStatus() != null) {
            Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).forEach(s -> statuses.put("init/" + s.getName(), s));
            Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).forEach(s -> statuses.put(s.getName(), s));
        }
        for (Container c : Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of())) {
            containers.add(container(c, true, statuses.get("init/" + c.getName())));
        }
        for (Container c : pod.getSpec().getContainers()) {
            containers.add(container(c, false, statuses.get(c.getName())));
        }
        List<String> conditions = new ArrayList<>();
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                conditions.add(condition(c));
            }
        }
        var status = pod.getStatus();
        return new PodDetail(row, containers, events(pod), Optional.ofNullable(pod.getMetadata().getLabels()).orElse(Map.of()),
                Optional.ofNullable(pod.getMetadata().getAnnotations()).orElse(Map.of()),
                status == null || status.getPodIP() == null ? "" : status.getPodIP(),
                status == null || status.getHostIP() == null ? "" : status.getHostIP(),
                status == null || status.getQosClass() == null ? "" : status.getQosClass(), conditions);
    }

    /**
     * The pod's events, newest first: those naming this pod's uid (a StatefulSet's nats-0 comes back with
     * the same name, and the old pod's events are not about the new one).
     */
    private List<EventRow> events(Pod pod) {
        String name = pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid();
        List<Event> found = client.v1().events().inNamespace(namespace)
                .withField("involvedObject.name", name).list().getItems();
        if (found.isEmpty()) {
            // Not every API server filters events by involvedObject.name (the fabric8 emulator behind the
            // sandbox answers nothing); a pod without events is rare, so the whole list is read then.
            found = client.v1().events().inNamespace(namespace).list().getItems();
        }
        return found.stream()
                .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName())
                        && "Pod".equals(e.getInvolvedObject().getKind()))
                .filter(e -> uid == null || e.getInvolvedObject().getUid() == null || uid.equals(e.getInvolvedObject().getUid()))
                .map(EventRows::of)
                .sorted(EventRows.NEWEST_FIRST)
                .toList();
    }

    private Optional<WorkloadRef> workloadOf(OwnerReference owner) {
        if (!"ReplicaSet".equals(owner.getKind())) {
            return Optional.empty();
        }
        ReplicaSet rs = client.apps().replicaSets().inNamespace(namespace).withName(owner.getName()).get();
        return Optional.ofNullable(rs).map(PodRows::workloadOfReplicaSet);
    }

    static ContainerDetail container(Container spec, boolean init, ContainerStatus status) {
        String state = "Waiting";
        String reason = "";
        String message = "";
        if (status != null && status.getState() != null) {
            var s = status.getState();
            if (s.getRunning() != null) {
                state = "Running";
            } else if (s.getTerminated() != null) {
                state = "Terminated";
                reason = nullToEmpty(s.getTerminated().getReason());
                message = nullToEmpty(s.getTerminated().getMessage());
            } else if (s.getWaiting() != null) {
                reason = nullToEmpty(s.getWaiting().getReason());
                message = nullToEmpty(s.getWaiting().getMessage());
            }
        }
        Optional<Termination> last = status == null || status.getLastState() == null || status.getLastState().getTerminated() == null
                ? Optional.empty() : Optional.of(termination(status.getLastState().getTerminated()));
        var resources = spec.getResources();
        Map<String, String> probes = new LinkedHashMap<>();
        probe(spec.getStartupProbe()).ifPresent(p -> probes.put("startup", p));
        probe(spec.getLivenessProbe()).ifPresent(p -> probes.put("liveness", p));
        probe(spec.getReadinessProbe()).ifPresent(p -> probes.put("readiness", p));
        return new ContainerDetail(spec.getName(), init, nullToEmpty(spec.getImage()),
                status == null ? "" : nullToEmpty(status.getImageID()), state, reason, message,
                status != null && Boolean.TRUE.equals(status.getReady()),
                status == null || status.getRestartCount() == null ? 0 : status.getRestartCount(), last,
                quantities(resources == null ? null : resources.getRequests()), quantities(resources == null ? null : resources.getLimits()),
                probes, env(spec));
    }

    static Termination termination(io.fabric8.kubernetes.api.model.ContainerStateTerminated t) {
        return new Termination(nullToEmpty(t.getReason()), t.getExitCode() == null ? 0 : t.getExitCode(),
                Optional.ofNullable(t.getSignal()).filter(s -> s != 0), PodRows.time(t.getStartedAt()), PodRows.time(t.getFinishedAt()),
                Optional.ofNullable(t.getMessage()).filter(m -> !m.isBlank()));
    }

    /**
     * The container's environment as references: literal values are shown (they are in the pod spec for
     * anyone who can read it), values from a Secret only by the Secret's name and key.
     */
    static List<EnvRef> env(Container spec) {
        List<EnvRef> out = new ArrayList<>();
        for (EnvFromSource from : Optional.ofNullable(spec.getEnvFrom()).orElse(List.of())) {
            String prefix = nullToEmpty(from.getPrefix());
            if (from.getConfigMapRef() != null) {
                out.add(new EnvRef(prefix + "*", "all of configmap " + from.getConfigMapRef().getName(), "", false));
            }
            if (from.getSecretRef() != null) {
                out.add(new EnvRef(prefix + "*", "all of secret " + from.getSecretRef().getName(), "", true));
            }
        }
        for (EnvVar e : Optional.ofNullable(spec.getEnv()).orElse(List.of())) {
            var from = e.getValueFrom();
            if (from == null) {
                out.add(new EnvRef(e.getName(), "value", nullToEmpty(e.getValue()), false));
            } else if (from.getSecretKeyRef() != null) {
                out.add(new EnvRef(e.getName(), "secret " + from.getSecretKeyRef().getName() + " / " + from.getSecretKeyRef().getKey(), "", true));
            } else if (from.getConfigMapKeyRef() != null) {
                out.add(new EnvRef(e.getName(), "configmap " + from.getConfigMapKeyRef().getName() + " / " + from.getConfigMapKeyRef().getKey(), "", false));
            } else if (from.getFieldRef() != null) {
                out.add(new EnvRef(e.getName(), "field " + from.getFieldRef().getFieldPath(), "", false));
            } else if (from.getResourceFieldRef() != null) {
                out.add(new EnvRef(e.getName(), "resource " + from.getResourceFieldRef().getResource(), "", false));
            } else {
                out.add(new EnvRef(e.getName(), "unknown source", "", false));
            }
        }
        return out;
    }

    /** {@code http-get :8080/api/health every 10s, fails after 3}, the way describe condenses a probe. */
    public static Optional<String> probe(Probe p) {
        if (p == null) {
            return Optional.empty();
        }
        String how;
        if (p.getHttpGet() != null) {
            var h = p.getHttpGet();
            String port = h.getPort() == null ? "" : h.getPort().getIntVal() != null ? String.valueOf(h.getPort().getIntVal()) : h.getPort().getStrVal();
            how = "http-get " + (h.getScheme() != null && "HTTPS".equals(h.getScheme()) ? "https " : "") + ":" + port + nullToEmpty(h.getPath());
        } else if (p.getTcpSocket() != null) {
            var t = p.getTcpSocket().getPort();
            how = "tcp-socket :" + (t == null ? "" : t.getIntVal() != null ? String.valueOf(t.getIntVal()) : t.getStrVal());
        } else if (p.getExec() != null) {
            how = "exec " + String.join(" ", Optional.ofNullable(p.getExec().getCommand()).orElse(List.of()));
        } else if (p.getGrpc() != null) {
            how = "grpc :" + p.getGrpc().getPort();
        } else {
            how = "probe";
        }
        int period = p.getPeriodSeconds() == null ? 10 : p.getPeriodSeconds();
        int failures = p.getFailureThreshold() == null ? 3 : p.getFailureThreshold();
        String delay = p.getInitialDelaySeconds() == null || p.getInitialDelaySeconds() == 0 ? "" : " after " + p.getInitialDelaySeconds() + "s";
        return Optional.of(how + " every " + period + "s" + delay + ", fails after " + failures);
    }

    private static Map<String, String> quantities(Map<String, Quantity> q) {
        Map<String, String> out = new LinkedHashMap<>();
        if (q != null) {
            q.forEach((k, v) -> out.put(k, v == null ? "" : v.toString()));
        }
        return out;
    }

    private static String condition(PodCondition c) {
        StringBuilder out = new StringBuilder(c.getType()).append('=').append(c.getStatus());
        if (c.getReason() != null) {
            out.append(" (").append(c.getReason());
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                out.append(": ").append(c.getMessage());
            }
            out.append(')');
        } else if (c.getMessage() != null && !c.getMessage().isBlank()) {
            out.append(" (").append(c.getMessage()).append(')');
        }
        return out.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
