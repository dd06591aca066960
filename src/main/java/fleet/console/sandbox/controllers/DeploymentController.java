package fleet.console.sandbox.controllers;

import fleet.console.sandbox.events.EventRecorder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Deployment to ReplicaSets, as kube-controller-manager does it: one ReplicaSet per pod template,
 * revisions numbered 1, 2, 3... (a rollback re-uses the old ReplicaSet and gives it the next number),
 * rolling updates bounded by maxSurge/maxUnavailable, Recreate, pause, history limit, and the status
 * and conditions (Available, Progressing, ProgressDeadlineExceeded) clients wait on.
 */
public final class DeploymentController {

    public static final String KIND = "Deployment";

    private final KubernetesClient client;
    private final ControllerLoop loop;
    private final EventRecorder events;
    private final Clock clock;

    public DeploymentController(KubernetesClient client, ControllerLoop loop, EventRecorder events, Clock clock) {
        this.client = client;
        this.loop = loop;
        this.events = events;
        this.clock = clock;
    }

    public void reconcile(String namespace, String name) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (d == null || d.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        List<ReplicaSet> owned = new ArrayList<>(client.apps().replicaSets().inNamespace(namespace).list().getItems()
                .stream().filter(rs -> Templates.ownedBy(rs, d)).toList());
        owned.sort(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp() == null ? ""
                : rs.getMetadata().getCreationTimestamp()));
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        String hash = Templates.hash(d.getSpec().getTemplate());
        long maxRevision = owned.stream().mapToLong(Templates::revisionOf).max().orElse(0);

        ReplicaSet newRs = owned.stream().filter(rs -> Templates.hash(rs.getSpec().getTemplate()).equals(hash))
                .findFirst().orElse(null);
        boolean created = false;
        if (newRs == null && !paused) {
            newRs = createReplicaSet(d, hash, maxRevision + 1, owned, desired);
            owned.add(newRs);
            created = true;
        } else if (newRs != null && Templates.revisionOf(newRs) < maxRevision && !paused) {
            // A rollback: the old ReplicaSet becomes current again under the next revision number.
            newRs = promote(newRs, d, maxRevision + 1);
        } else if (newRs != null) {
            syncChangeCause(newRs, d);
        }
        final ReplicaSet current = newRs;
        List<ReplicaSet> old = owned.stream().filter(rs -> current == null
                || !rs.getMetadata().getUid().equals(current.getMetadata().getUid())).toList();

        if (current != null) {
            if (paused) {
                if (old.stream().allMatch(rs -> replicas(rs) == 0)) {
                    scale(d, current, desired);
                }
            } else if ("Recreate".equals(strategyType(d))) {
                recreate(d, current, old, desired);
            } else {
                rollingUpdate(d, current, old, desired);
            }
        }
        cleanupHistory(d, old);
        if (current != null) {
            writeRevision(d, current);
        }
        updateStatus(namespace, name, current, created, d.getMetadata().getGeneration());
    }

    private ReplicaSet createReplicaSet(Deployment d, String hash, long revision, List<ReplicaSet> owned, int desired) {
        PodTemplateSpec template = Serialization.clone(d.getSpec().getTemplate());
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMeta());
        }
        Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of()));
        labels.put(Templates.POD_TEMPLATE_HASH, hash);
        template.getMetadata().setLabels(labels);
        LabelSelector selector = Serialization.clone(d.getSpec().getSelector());
        Map<String, String> match = new LinkedHashMap<>(Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of()));
        match.put(Templates.POD_TEMPLATE_HASH, hash);
        selector.setMatchLabels(match);
        Map<String, String> annotations = new LinkedHashMap<>(copiedAnnotations(d));
        annotations.put(Templates.REVISION, Long.toString(revision));
        annotations.put("deployment.kubernetes.io/desired-replicas", Integer.toString(desired));
        annotations.put("deployment.kubernetes.io/max-replicas", Integer.toString(desired + maxSurge(d, desired)));
        // With nothing running (first rollout, or scaled to 0) there is nothing to roll: start at full size.
        int initial = owned.stream().allMatch(rs -> replicas(rs) == 0 && statusReplicas(rs) == 0) ? desired : 0;
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(d.getMetadata().getName() + "-" + hash)
                .withNamespace(d.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(Templates.controllerRef(d))
                .withCreationTimestamp(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
                .endMetadata()
                .withNewSpec()
                .withReplicas(initial)
                .withMinReadySeconds(d.getSpec().getMinReadySeconds())
                .withSelector(selector)
                .withTemplate(template)
                .endSpec()
                .build();
        ReplicaSet createdRs = client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(rs).create();
        if (initial > 0) {
            events.normal(d, EventRecorder.Source.DEPLOYMENT, "ScalingReplicaSet",
                    "Scaled up replica set " + createdRs.getMetadata().getName() + " from 0 to " + initial);
        }
        return createdRs;
    }

    /** Annotations a Deployment hands to its ReplicaSets (change-cause above all), not its own bookkeeping. */
    private static Map<String, String> copiedAnnotations(Deployment d) {
        Map<String, String> out = new HashMap<>();
        Optional.ofNullable(d.getMetadata().getAnnotations()).orElse(Map.of()).forEach((k, v) -> {
            if (!k.startsWith("deployment.kubernetes.io/") && !"kubectl.kubernetes.io/last-applied-configuration".equals(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private ReplicaSet promote(ReplicaSet rs, Deployment d, long revision) {
        long previous = Templates.revisionOf(rs);
        return client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName())
                .edit(r -> {
                    Map<String, String> annotations = new LinkedHashMap<>(Optional.ofNullable(r.getMetadata().getAnnotations()).orElse(Map.of()));
                    String history = annotations.get("deployment.kubernetes.io/revision-history");
                    annotations.put("deployment.kubernetes.io/revision-history",
                            history == null || history.isBlank() ? Long.toString(previous) : history + "," + previous);
                    annotations.put(Templates.REVISION, Long.toString(revision));
                    annotations.putAll(copiedAnnotations(d));
                    r.getMetadata().setAnnotations(annotations);
                    return r;
                });
    }

    private void syncChangeCause(ReplicaSet rs, Deployment d) {
        String wanted = d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(Templates.CHANGE_CAUSE);
        String has = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(Templates.CHANGE_CAUSE);
        if (wanted != null && !wanted.equals(has)) {
            client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName())
                    .edit(r -> {
                        Map<String, String> annotations = new LinkedHashMap<>(Optional.ofNullable(r.getMetadata().getAnnotations()).orElse(Map.of()));
                        annotations.put(Templates.CHANGE_CAUSE, wanted);
                        r.getMetadata().setAnnotations(annotations);
                        return r;
                    });
        }
    }

    private void recreate(Deployment d, ReplicaSet current, List<ReplicaSet> old, int desired) {
        boolean oldRunning = false;
        for (ReplicaSet rs : old) {
            if (replicas(rs) > 0) {
                scale(d, rs, 0);
                oldRunning = true;
            } else if (statusReplicas(rs) > 0) {
                oldRunning = true;
            }
        }
        if (!oldRunning) {
            scale(d, current, desired);
        }
    }

    private void rollingUpdate(Deployment d, ReplicaSet current, List<ReplicaSet> old, int desired) {
        int surge = maxSurge(d, desired);
        int unavailable = maxUnavailable(d, desired);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        boolean oldActive = old.stream().anyMatch(rs -> replicas(rs) > 0);
        if (!oldActive) {
            scale(d, current, desired);
            return;
        }
        // Scale the new ReplicaSet up within the surge budget.
        int allPods = replicas(current) + old.stream().mapToInt(DeploymentController::replicas).sum();
        if (replicas(current) < desired) {
            int room = desired + surge - allPods;
            int up = Math.min(room, desired - replicas(current));
            if (up > 0) {
                current = scale(d, current, replicas(current) + up);
            }
        } else if (replicas(current) > desired) {
            current = scale(d, current, desired);
        }
        // Scale old ReplicaSets down while keeping the minimum available.
        int minAvailable = desired - unavailable;
        int newUnavailable = replicas(current) - available(current);
        allPods = replicas(current) + old.stream().mapToInt(DeploymentController::replicas).sum();
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return;
        }
        List<ReplicaSet> remaining = new ArrayList<>();
        int cleaned = 0;
        for (ReplicaSet rs : old) {
            int unhealthy = replicas(rs) - available(rs);
            int down = Math.min(maxScaledDown - cleaned, Math.max(0, unhealthy));
            if (down > 0 && replicas(rs) > 0) {
                rs = scale(d, rs, replicas(rs) - down);
                cleaned += down;
            }
            remaining.add(rs);
        }
        int availableNow = available(current) + remaining.stream().mapToInt(DeploymentController::available).sum();
        if (availableNow <= minAvailable) {
            return;
        }
        int budget = availableNow - minAvailable;
        for (ReplicaSet rs : remaining) {
            if (budget <= 0) {
                break;
            }
            int down = Math.min(replicas(rs), budget);
            if (down > 0) {
                scale(d, rs, replicas(rs) - down);
                budget -= down;
            }
        }
    }

    private ReplicaSet scale(Deployment d, ReplicaSet rs, int replicas) {
        int from = replicas(rs);
        if (from == replicas) {
            return rs;
        }
        ReplicaSet scaled = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                .withName(rs.getMetadata().getName()).edit(r -> {
                    r.getSpec().setReplicas(replicas);
                    Map<String, String> annotations = new LinkedHashMap<>(Optional.ofNullable(r.getMetadata().getAnnotations()).orElse(Map.of()));
                    annotations.put("deployment.kubernetes.io/desired-replicas",
                            Integer.toString(d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas()));
                    r.getMetadata().setAnnotations(annotations);
                    return r;
                });
        events.normal(d, EventRecorder.Source.DEPLOYMENT, "ScalingReplicaSet",
                "Scaled " + (replicas > from ? "up" : "down") + " replica set " + rs.getMetadata().getName()
                        + " from " + from + " to " + replicas);
        return scaled;
    }

    private void cleanupHistory(Deployment d, List<ReplicaSet> old) {
        int limit = d.getSpec().getRevisionHistoryLimit() == null ? 10 : d.getSpec().getRevisionHistoryLimit();
        List<ReplicaSet> idle = old.stream().filter(rs -> replicas(rs) == 0 && statusReplicas(rs) == 0)
                .sorted(Comparator.comparingLong(Templates::revisionOf)).toList();
        for (int i = 0; i < idle.size() - limit; i++) {
            client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace())
                    .withName(idle.get(i).getMetadata().getName()).delete();
        }
    }

    private void writeRevision(Deployment d, ReplicaSet current) {
        String revision = Long.toString(Templates.revisionOf(current));
        String has = d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(Templates.REVISION);
        if (!revision.equals(has)) {
            client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).withName(d.getMetadata().getName())
                    .edit(x -> {
                        Map<String, String> annotations = new LinkedHashMap<>(Optional.ofNullable(x.getMetadata().getAnnotations()).orElse(Map.of()));
                        annotations.put(Templates.REVISION, revision);
                        x.getMetadata().setAnnotations(annotations);
                        return x;
                    });
        }
    }

    /**
     * @param observed the generation this reconcile worked from: a spec changed since is not observed
     *                 yet, whatever the object says now (clients wait on observedGeneration)
     */
    private void updateStatus(String namespace, String name, ReplicaSet current, boolean created, Long observed) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (d == null) {
            return;
        }
        List<ReplicaSet> owned = client.apps().replicaSets().inNamespace(namespace).list().getItems()
                .stream().filter(rs -> Templates.ownedBy(rs, d)).toList();
        ReplicaSet fresh = current == null ? null : owned.stream()
                .filter(rs -> rs.getMetadata().getUid().equals(current.getMetadata().getUid())).findFirst().orElse(null);
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int replicas = owned.stream().mapToInt(DeploymentController::statusReplicas).sum();
        int ready = owned.stream().mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas()).sum();
        int available = owned.stream().mapToInt(DeploymentController::available).sum();
        int updated = fresh == null ? 0 : statusReplicas(fresh);
        int unavailable = Math.max(0, Math.max(desired, replicas) - available);
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        boolean complete = fresh != null && updated == desired && replicas == desired && available == desired
                && owned.stream().filter(rs -> rs != fresh && !rs.getMetadata().getUid().equals(fresh.getMetadata().getUid()))
                        .allMatch(rs -> statusReplicas(rs) == 0);
        int maxUnavailable = maxUnavailable(d, desired);

        DeploymentStatus before = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String rsName = fresh == null ? "" : fresh.getMetadata().getName();
        List<DeploymentCondition> conditions = new ArrayList<>();
        boolean minAvailable = available >= desired - maxUnavailable;
        conditions.add(condition(before, "Available", minAvailable ? "True" : "False",
                minAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                minAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now, false));

        boolean progressed = !Objects.equals(before.getUpdatedReplicas(), updated) || !Objects.equals(before.getAvailableReplicas(), available)
                || !Objects.equals(before.getReadyReplicas(), ready) || !Objects.equals(before.getReplicas(), replicas)
                || !Objects.equals(before.getObservedGeneration(), observed);
        Optional<DeploymentCondition> previous = find(before, "Progressing");
        DeploymentCondition progressing;
        long deadline = d.getSpec().getProgressDeadlineSeconds() == null ? 600 : d.getSpec().getProgressDeadlineSeconds();
        if (paused) {
            progressing = condition(before, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now, true);
        } else if (complete) {
            progressing = condition(before, "Progressing", "True", "NewReplicaSetAvailable",
                    "ReplicaSet \"" + rsName + "\" has successfully progressed.", now, progressed);
        } else if (created) {
            progressing = condition(before, "Progressing", "True", "NewReplicaSetCreated",
                    "Created new replica set \"" + rsName + "\"", now, true);
        } else if (progressed || previous.isEmpty() || "DeploymentPaused".equals(previous.get().getReason())
                || "NewReplicaSetAvailable".equals(previous.get().getReason())) {
            progressing = condition(before, "Progressing", "True", "ReplicaSetUpdated",
                    "ReplicaSet \"" + rsName + "\" is progressing.", now, true);
        } else {
            Instant lastUpdate = parse(previous.get().getLastUpdateTime()).orElse(now);
            if (Duration.between(lastUpdate, now).getSeconds() >= deadline) {
                progressing = condition(before, "Progressing", "False", "ProgressDeadlineExceeded",
                        "ReplicaSet \"" + rsName + "\" has timed out progressing.", now, false);
            } else {
                progressing = previous.get();
                loop.enqueueAfter(Duration.between(now, lastUpdate.plusSeconds(deadline)).plusMillis(100), KIND, namespace, name);
            }
        }
        conditions.add(progressing);

        DeploymentStatus status = new DeploymentStatusBuilder()
                .withObservedGeneration(observed)
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .withUnavailableReplicas(unavailable == 0 ? null : unavailable)
                .withConditions(conditions)
                .build();
        if (!sameStatus(before, status)) {
            d.setStatus(status);
            client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
        }
        if (!complete && !paused && !"ProgressDeadlineExceeded".equals(progressing.getReason())) {
            loop.enqueueAfter(Duration.ofSeconds(deadline).plusMillis(200), KIND, namespace, name);
        }
    }

    private static DeploymentCondition condition(DeploymentStatus before, String type, String status, String reason,
                                                 String message, Instant now, boolean touch) {
        Optional<DeploymentCondition> old = find(before, type);
        String transition = old.filter(c -> status.equals(c.getStatus())).map(DeploymentCondition::getLastTransitionTime)
                .orElse(now.toString());
        String update = touch || old.isEmpty() || !reason.equals(old.get().getReason()) ? now.toString()
                : old.get().getLastUpdateTime();
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(transition).withLastUpdateTime(update).build();
    }

    private static Optional<DeploymentCondition> find(DeploymentStatus status, String type) {
        return status.getConditions() == null ? Optional.empty()
                : status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static boolean sameStatus(DeploymentStatus a, DeploymentStatus b) {
        return Serialization.asJson(a).equals(Serialization.asJson(b));
    }

    private static Optional<Instant> parse(String time) {
        try {
            return time == null ? Optional.empty() : Optional.of(Instant.parse(time));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String strategyType(Deployment d) {
        return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null ? "RollingUpdate"
                : d.getSpec().getStrategy().getType();
    }

    static int maxSurge(Deployment d, int desired) {
        IntOrString v = d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getRollingUpdate() == null ? null
                : d.getSpec().getStrategy().getRollingUpdate().getMaxSurge();
        return resolve(v, desired, true);
    }

    static int maxUnavailable(Deployment d, int desired) {
        if ("Recreate".equals(strategyType(d))) {
            return desired;
        }
        IntOrString v = d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getRollingUpdate() == null ? null
                : d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable();
        return resolve(v, desired, false);
    }

    /** 25% unless said otherwise; surge rounds up, unavailable rounds down, as Kubernetes does. */
    private static int resolve(IntOrString value, int desired, boolean roundUp) {
        String text = value == null ? "25%" : value.getStrVal() != null ? value.getStrVal() : null;
        if (text == null) {
            return value.getIntVal() == null ? 0 : value.getIntVal();
        }
        if (text.endsWith("%")) {
            double percent = Double.parseDouble(text.substring(0, text.length() - 1));
            double exact = desired * percent / 100.0;
            return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
        }
        return Integer.parseInt(text);
    }

    static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    static int statusReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas();
    }

    static int available(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas();
    }
}
