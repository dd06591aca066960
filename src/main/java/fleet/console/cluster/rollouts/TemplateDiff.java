package fleet.console.cluster.rollouts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What changed between two pod templates, readable at a glance: per container its image, command,
 * args, environment, resources, probes, ports and mounts; for the pod its volumes, labels, annotations
 * and the few spec fields a rollout usually touches. Bookkeeping (pod-template-hash, restartedAt) is
 * named for what it is rather than shown as noise.
 */
public final class TemplateDiff {

    /** One difference: where ({@code container orchestrator}, {@code pod}), what, before and after. */
    public record Change(String where, String what, String before, String after) {
        public String line() {
            if (before.isEmpty()) {
                return where + ": " + what + " added: " + after;
            }
            if (after.isEmpty()) {
                return where + ": " + what + " removed: " + before;
            }
            return where + ": " + what + " " + before + " -> " + after;
        }
    }

    private static final Set<String> BOOKKEEPING_LABELS = Set.of("pod-template-hash", "controller-revision-hash");

    private TemplateDiff() {
    }

    public static List<Change> between(PodTemplateSpec from, PodTemplateSpec to) {
        List<Change> out = new ArrayList<>();
        Map<String, Container> a = containers(from);
        Map<String, Container> b = containers(to);
        Set<String> names = new LinkedHashSet<>(a.keySet());
        names.addAll(b.keySet());
        for (String name : names) {
            String where = "container " + name;
            Container x = a.get(name);
            Container y = b.get(name);
            if (x == null) {
                out.add(new Change(where, "container", "", y.getImage()));
                continue;
            }
            if (y == null) {
                out.add(new Change(where, "container", x.getImage(), ""));
                continue;
            }
            compare(out, where, "image", x.getImage(), y.getImage());
            compare(out, where, "command", join(x.getCommand()), join(y.getCommand()));
            compare(out, where, "args", join(x.getArgs()), join(y.getArgs()));
            compareMaps(out, where, "env", env(x), env(y));
            compareMaps(out, where, "requests", quantities(x.getResources() == null ? null : x.getResources().getRequests()),
                    quantities(y.getResources() == null ? null : y.getResources().getRequests()));
            compareMaps(out, where, "limits", quantities(x.getResources() == null ? null : x.getResources().getLimits()),
                    quantities(y.getResources() == null ? null : y.getResources().getLimits()));
            compare(out, where, "readiness probe", probe(x.getReadinessProbe()), probe(y.getReadinessProbe()));
            compare(out, where, "liveness probe", probe(x.getLivenessProbe()), probe(y.getLivenessProbe()));
            compare(out, where, "startup probe", probe(x.getStartupProbe()), probe(y.getStartupProbe()));
            compare(out, where, "ports", ports(x), ports(y));
            compareMaps(out, where, "mount", mounts(x), mounts(y));
            compare(out, where, "pull policy", nz(x.getImagePullPolicy()), nz(y.getImagePullPolicy()));
        }
        compareMaps(out, "pod", "volume", volumes(from), volumes(to));
        compareMaps(out, "pod", "label", labels(from), labels(to));
        compareMaps(out, "pod", "annotation", annotations(from), annotations(to));
        compare(out, "pod", "service account", nz(from.getSpec().getServiceAccountName()), nz(to.getSpec().getServiceAccountName()));
        compare(out, "pod", "node selector", String.valueOf(new TreeMap<>(Optional.ofNullable(from.getSpec().getNodeSelector()).orElse(Map.of()))),
                String.valueOf(new TreeMap<>(Optional.ofNullable(to.getSpec().getNodeSelector()).orElse(Map.of()))));
        return out;
    }

    /** The diff as lines, or a sentence saying there is none. */
    public static List<String> render(List<Change> changes) {
        return changes.isEmpty() ? List.of("The two revisions run the same pod template.") : changes.stream().map(Change::line).toList();
    }

    private static Map<String, Container> containers(PodTemplateSpec t) {
        Map<String, Container> out = new java.util.LinkedHashMap<>();
        if (t.getSpec() != null) {
            Optional.ofNullable(t.getSpec().getInitContainers()).orElse(List.of()).forEach(c -> out.put(c.getName() + " (init)", c));
            Optional.ofNullable(t.getSpec().getContainers()).orElse(List.of()).forEach(c -> out.put(c.getName(), c));
        }
        return out;
    }

    private static void compare(List<Change> out, String where, String what, String before, String after) {
        if (!Objects.equals(before, after)) {
            out.add(new Change(where, what, before, after));
        }
    }

    private static void compareMaps(List<Change> out, String where, String what, Map<String, String> before, Map<String, String> after) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            String x = before.get(k);
            String y = after.get(k);
            if (!Objects.equals(x, y)) {
                out.add(new Change(where, what + " " + k, x == null ? "" : x, y == null ? "" : y));
            }
        }
    }

    private static Map<String, String> env(Container c) {
        return Optional.ofNullable(c.getEnv()).orElse(List.of()).stream().collect(Collectors.toMap(EnvVar::getName, TemplateDiff::envValue,
                (p, q) -> q, TreeMap::new));
    }

    /** Secrets by reference only: a diff must not print a secret's value, and here there is none to print. */
    private static String envValue(EnvVar e) {
        if (e.getValueFrom() == null) {
            return e.getValue() == null ? "\"\"" : e.getValue();
        }
        var v = e.getValueFrom();
        if (v.getSecretKeyRef() != null) {
            return "secret " + v.getSecretKeyRef().getName() + " / " + v.getSecretKeyRef().getKey();
        }
        if (v.getConfigMapKeyRef() != null) {
            return "configmap " + v.getConfigMapKeyRef().getName() + " / " + v.getConfigMapKeyRef().getKey();
        }
        if (v.getFieldRef() != null) {
            return "field " + v.getFieldRef().getFieldPath();
        }
        return "resource " + (v.getResourceFieldRef() == null ? "?" : v.getResourceFieldRef().getResource());
    }

    private static Map<String, String> quantities(Map<String, Quantity> q) {
        return q == null ? Map.of() : q.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString(),
                (p, r) -> r, TreeMap::new));
    }

    private static String probe(Probe p) {
        if (p == null) {
            return "";
        }
        String how;
        if (p.getHttpGet() != null) {
            how = "http-get " + (p.getHttpGet().getPort() == null ? "" : ":" + (p.getHttpGet().getPort().getIntVal() != null
                    ? p.getHttpGet().getPort().getIntVal() : p.getHttpGet().getPort().getStrVal())) + nz(p.getHttpGet().getPath());
        } else if (p.getTcpSocket() != null) {
            how = "tcp :" + (p.getTcpSocket().getPort().getIntVal() != null ? p.getTcpSocket().getPort().getIntVal() : p.getTcpSocket().getPort().getStrVal());
        } else if (p.getExec() != null) {
            how = "exec " + join(p.getExec().getCommand());
        } else if (p.getGrpc() != null) {
            how = "grpc :" + p.getGrpc().getPort();
        } else {
            how = "probe";
        }
        return how + " delay " + nz(p.getInitialDelaySeconds()) + "s every " + nz(p.getPeriodSeconds()) + "s";
    }

    private static String ports(Container c) {
        return Optional.ofNullable(c.getPorts()).orElse(List.of()).stream()
                .map(p -> (p.getName() == null ? "" : p.getName() + ":") + p.getContainerPort()).sorted().collect(Collectors.joining(", "));
    }

    private static Map<String, String> mounts(Container c) {
        return Optional.ofNullable(c.getVolumeMounts()).orElse(List.of()).stream().collect(Collectors.toMap(VolumeMount::getMountPath,
                m -> m.getName() + (Boolean.TRUE.equals(m.getReadOnly()) ? " (ro)" : ""), (p, q) -> q, TreeMap::new));
    }

    private static Map<String, String> volumes(PodTemplateSpec t) {
        return Optional.ofNullable(t.getSpec().getVolumes()).orElse(List.of()).stream().collect(Collectors.toMap(Volume::getName,
                TemplateDiff::volumeSource, (p, q) -> q, TreeMap::new));
    }

    private static String volumeSource(Volume v) {
        if (v.getConfigMap() != null) {
            return "configmap " + v.getConfigMap().getName();
        }
        if (v.getSecret() != null) {
            return "secret " + v.getSecret().getSecretName();
        }
        if (v.getPersistentVolumeClaim() != null) {
            return "claim " + v.getPersistentVolumeClaim().getClaimName();
        }
        if (v.getEmptyDir() != null) {
            return "emptyDir";
        }
        Map<?, ?> raw = Serialization.unmarshal(Serialization.asJson(v), Map.class);
        return raw.keySet().stream().map(String::valueOf).filter(k -> !"name".equals(k)).findFirst().orElse("volume");
    }

    private static Map<String, String> labels(PodTemplateSpec t) {
        Map<String, String> l = t.getMetadata() == null || t.getMetadata().getLabels() == null ? Map.of() : t.getMetadata().getLabels();
        return l.entrySet().stream().filter(e -> !BOOKKEEPING_LABELS.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (p, q) -> q, TreeMap::new));
    }

    private static Map<String, String> annotations(PodTemplateSpec t) {
        Map<String, String> a = t.getMetadata() == null || t.getMetadata().getAnnotations() == null ? Map.of() : t.getMetadata().getAnnotations();
        return new TreeMap<>(a);
    }

    private static String join(List<String> words) {
        return words == null ? "" : String.join(" ", words);
    }

    private static String nz(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
