package fleet.console.cluster.rollouts;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.Cancellation;
import fleet.console.cluster.ClusterWait;
import fleet.console.cluster.PodState;
import fleet.console.cluster.Writes;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Rollback, scale, restart, pause and resume of the namespace's workloads. Every change records a
 * change-cause on the workload and an audit journal entry; waits are on the cluster's state, never on
 * a timer; a rollback of a service with NATS consumers takes the runbook's safe path.
 */
public final class RolloutActions {

    public static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final KubernetesClient client;
    private final String context;
    private final String namespace;
    private final FleetProfile profile;
    private final Consumer<AuditEntry> journal;
    private final Clock clock;
    private final RolloutHistory history;

    public RolloutActions(KubernetesClient client, String context, String namespace, FleetProfile profile,
                          Consumer<AuditEntry> journal, Clock clock) {
        this.client = client;
        this.context = context;
        this.namespace = namespace;
        this.profile = profile;
        this.journal = journal;
        this.clock = clock;
        this.history = new RolloutHistory(client, namespace);
    }

    /** Works out a rollback without changing anything; refuses what cannot be done, saying why. */
    public RollbackPlan planRollback(String kind, String name, OptionalLong toRevision) throws RolloutProblem {
        WorkloadStatus workload = history.workload(kind, name).orElseThrow(() -> RolloutProblem.noWorkload(kind, name, namespace));
        List<Revision> revisions = history.revisions(kind, name);
        Revision live = revisions.stream().filter(Revision::live).findFirst().orElse(revisions.isEmpty() ? null : revisions.get(0));
        if (revisions.size() < 2 || live == null) {
            throw new RolloutProblem(workload.kubectlName() + " has a single revision; there is nothing to roll back to.",
                    "Deploy another version first; its history starts with this one.");
        }
        Revision target;
        if (toRevision.isPresent()) {
            target = revisions.stream().filter(r -> r.number() == toRevision.getAsLong()).findFirst().orElseThrow(() -> new RolloutProblem(
                    workload.kubectlName() + " has no revision " + toRevision.getAsLong() + ".",
                    "Its revisions are " + revisions.stream().map(r -> Long.toString(r.number())).collect(Collectors.joining(", "))
                            + "; older ones are gone (revisionHistoryLimit)."));
            if (target.live()) {
                throw new RolloutProblem("Revision " + target.number() + " is the one running already.", "Choose an older revision.");
            }
        } else {
            target = revisions.stream().filter(r -> !r.live() && r.number() < live.number()).findFirst()
                    .orElseThrow(() -> new RolloutProblem("No revision of " + workload.kubectlName() + " is older than the live one.",
                            "Choose a revision explicitly."));
        }
        List<TemplateDiff.Change> diff = TemplateDiff.between(live.template(), target.template());
        boolean safe = profile.service(name).map(ServiceSpec::natsConsumers).orElse(false);
        int before = workload.desired();
        String w = workload.kubectlName();
        List<RollbackPlan.Step> steps = new ArrayList<>();
        if (safe) {
            steps.add(new RollbackPlan.Step("Scale " + w + " to 0 (it runs " + before + ")", "kubectl scale " + w + " --replicas=0 -n " + namespace));
            steps.add(new RollbackPlan.Step("Wait until its pods are gone, so no old pod holds its NATS consumers",
                    "kubectl wait --for=delete pod -l " + selector(workload) + " -n " + namespace + " --timeout=120s"));
            steps.add(new RollbackPlan.Step("Apply revision " + target.number() + "'s pod template",
                    "kubectl rollout undo " + w + " --to-revision=" + target.number() + " -n " + namespace));
            steps.add(new RollbackPlan.Step("Scale back to " + before, "kubectl scale " + w + " --replicas=" + before + " -n " + namespace));
            steps.add(new RollbackPlan.Step("Wait until " + before + " pods are Ready",
                    "kubectl rollout status " + w + " -n " + namespace + " --timeout=120s"));
        } else {
            steps.add(new RollbackPlan.Step("Roll " + w + " back to revision " + target.number() + " (rolling update)",
                    "kubectl rollout undo " + w + " --to-revision=" + target.number() + " -n " + namespace));
            steps.add(new RollbackPlan.Step("Wait until the rollout is complete", "kubectl rollout status " + w + " -n " + namespace + " --timeout=120s"));
        }
        List<String> warnings = new ArrayList<>();
        warnings.add("ConfigMaps and Secrets are not rolled back: revision " + target.number() + " runs with today's configuration.");
        if (safe) {
            warnings.add(name + " has NATS consumers: it is stopped completely (0 pods) before the old template starts, then scaled back to "
                    + before + ".");
        }
        boolean inProgress = workload.state() == RolloutState.PROGRESSING || workload.state() == RolloutState.STALLED;
        if (inProgress) {
            warnings.add("Another rollout of " + w + " is still in progress (" + workload.state().name().toLowerCase()
                    + "); rolling back now replaces it.");
        }
        return new RollbackPlan(workload, live.number(), target, diff, safe, before, steps, warnings, inProgress);
    }

    /**
     * Carries out a plan. Progress is reported step by step; cancelling stops between steps and inside
     * waits, and the problem thrown then says where it stopped and what to run to finish or undo.
     */
    public void rollback(RollbackPlan plan, Consumer<RolloutProgress> progress, Cancellation cancel, Duration readyTimeout)
            throws RolloutProblem, InterruptedException {
        WorkloadStatus w = plan.workload();
        String cause = "fleet-console: rollback to revision " + plan.target().number() + " (" + String.join(", ", plan.target().images()) + ")";
        int step = 0;
        try {
            if (plan.safePath()) {
                run(plan, step++, progress, cancel, () -> scaleTo(w, 0));
                run(plan, step++, progress, cancel, () -> awaitNoPods(w, readyTimeout, cancel));
                run(plan, step++, progress, cancel, () -> applyTemplate(w, plan.target(), cause));
                run(plan, step++, progress, cancel, () -> scaleTo(w, plan.replicasBefore()));
                run(plan, step++, progress, cancel, () -> awaitRolledOut(w, plan.replicasBefore(), readyTimeout, cancel));
            } else {
                run(plan, step++, progress, cancel, () -> applyTemplate(w, plan.target(), cause));
                run(plan, step++, progress, cancel, () -> awaitRolledOut(w, plan.replicasBefore(), readyTimeout, cancel));
            }
            audit("rollout undo", w.kubectlName(), "ok: revision " + plan.target().number() + " is live"
                    + (plan.safePath() ? " (scaled to 0 and back to " + plan.replicasBefore() + ")" : ""));
        } catch (RolloutProblem e) {
            audit("rollout undo", w.kubectlName(), "failed at step " + step + ": " + e.getMessage());
            throw e;
        }
    }

    @FunctionalInterface
    private interface StepAction {
        void run() throws RolloutProblem, InterruptedException;
    }

    private void run(RollbackPlan plan, int index, Consumer<RolloutProgress> progress, Cancellation cancel, StepAction action)
            throws RolloutProblem, InterruptedException {
        String title = plan.steps().get(index).title();
        if (cancel.isCancelled()) {
            progress.accept(new RolloutProgress(index, title, RolloutProgress.Phase.CANCELLED, "not started"));
            throw cancelledAt(plan, index);
        }
        progress.accept(new RolloutProgress(index, title, RolloutProgress.Phase.STARTED, ""));
        try {
            action.run();
        } catch (RolloutProblem e) {
            boolean cancelled = cancel.isCancelled();
            progress.accept(new RolloutProgress(index, title, cancelled ? RolloutProgress.Phase.CANCELLED : RolloutProgress.Phase.FAILED,
                    e.getMessage()));
            throw cancelled ? cancelledAt(plan, index) : e;
        }
        progress.accept(new RolloutProgress(index, title, RolloutProgress.Phase.DONE, ""));
    }

    /** Where a cancelled rollback stopped, and the commands that finish or undo it. */
    private RolloutProblem cancelledAt(RollbackPlan plan, int index) {
        String w = plan.workload().kubectlName();
        List<String> rest = plan.steps().subList(index, plan.steps().size()).stream().map(RollbackPlan.Step::kubectl).toList();
        String state = plan.safePath() && index >= 1 && index <= 4
                ? w + " is at 0 replicas" + (index >= 3 ? " with revision " + plan.target().number() + "'s template" : "")
                : w + " is between revisions " + plan.fromRevision() + " and " + plan.target().number();
        return new RolloutProblem("Rollback cancelled before step " + (index + 1) + " of " + plan.steps().size() + ": " + state + ".",
                "To finish it: " + String.join(" && ", rest) + ".  To go back to where you were: kubectl rollout undo " + w
                        + " --to-revision=" + plan.fromRevision() + " -n " + namespace
                        + (plan.safePath() ? " && kubectl scale " + w + " --replicas=" + plan.replicasBefore() + " -n " + namespace : "") + ".");
    }

    /** {@code kubectl scale}: the workload's replica count. */
    public void scale(String kind, String name, int replicas) throws RolloutProblem {
        if (replicas < 0) {
            throw new RolloutProblem("A replica count cannot be negative (" + replicas + ").", "Give 0 or more.");
        }
        WorkloadStatus w = history.workload(kind, name).orElseThrow(() -> RolloutProblem.noWorkload(kind, name, namespace));
        scaleTo(w, replicas);
        audit("scale", w.kubectlName(), "ok: " + w.desired() + " -> " + replicas);
    }

    /** {@code kubectl set image}: a new revision whose change-cause says what changed. */
    public void setImage(String kind, String name, String container, String image) throws RolloutProblem {
        WorkloadStatus w = history.workload(kind, name).orElseThrow(() -> RolloutProblem.noWorkload(kind, name, namespace));
        if (!w.images().containsKey(container)) {
            throw new RolloutProblem(w.kubectlName() + " has no container '" + container + "'.",
                    "Its containers are: " + String.join(", ", w.images().keySet()) + ".");
        }
        String before = w.images().get(container);
        editTemplate(w, t -> {
            t.getSpec().getContainers().stream().filter(c -> c.getName().equals(container)).forEach(c -> c.setImage(image));
            return t;
        }, "fleet-console: set image " + container + "=" + image + " (was " + before + ")");
        audit("set image", w.kubectlName(), "ok: " + container + " " + before + " -> " + image);
    }

    /** {@code kubectl rollout restart}: new pods with the same template, by the rollout's own rules. */
    public void restart(String kind, String name) throws RolloutProblem {
        WorkloadStatus w = history.workload(kind, name).orElseThrow(() -> RolloutProblem.noWorkload(kind, name, namespace));
        String now = clock.instant().toString();
        editTemplate(w, t -> {
            Map<String, String> a = new LinkedHashMap<>(Optional.ofNullable(t.getMetadata().getAnnotations()).orElse(Map.of()));
            a.put("kubectl.kubernetes.io/restartedAt", now);
            t.getMetadata().setAnnotations(a);
            return t;
        }, "fleet-console: rollout restart at " + now);
        audit("rollout restart", w.kubectlName(), "ok");
    }

    /** {@code kubectl rollout pause}: template changes wait until resumed. Deployments only, as in Kubernetes. */
    public void pause(String name, boolean paused) throws RolloutProblem {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (d == null) {
            throw new RolloutProblem("Only Deployments can be paused, and there is no Deployment '" + name + "' in " + namespace + ".",
                    "StatefulSets have no pause in Kubernetes; use an OnDelete update strategy instead.");
        }
        Writes.retryOnConflict(() -> client.apps().deployments().inNamespace(namespace).withName(name).edit(x -> {
            x.getSpec().setPaused(paused);
            return x;
        }));
        audit(paused ? "rollout pause" : "rollout resume", "deployment/" + name, "ok");
    }

    /** Sets the replica count, retrying on conflict; no journal entry (the caller's action has one). */
    public void scaleTo(WorkloadStatus w, int replicas) {
        if ("StatefulSet".equals(w.kind())) {
            Writes.retryOnConflict(() -> client.apps().statefulSets().inNamespace(namespace).withName(w.name()).edit(x -> {
                x.getSpec().setReplicas(replicas);
                return x;
            }));
        } else {
            Writes.retryOnConflict(() -> client.apps().deployments().inNamespace(namespace).withName(w.name()).edit(x -> {
                x.getSpec().setReplicas(replicas);
                return x;
            }));
        }
    }

    /** Puts a revision's pod template back on the workload, with a change-cause. */
    public void applyTemplate(WorkloadStatus w, Revision target, String cause) {
        PodTemplateSpec old = Serialization.clone(target.template());
        if (old.getMetadata() != null && old.getMetadata().getLabels() != null) {
            // The hash label belongs to the ReplicaSet; the Deployment's template never carries it.
            Map<String, String> labels = new LinkedHashMap<>(old.getMetadata().getLabels());
            labels.remove("pod-template-hash");
            labels.remove("controller-revision-hash");
            old.getMetadata().setLabels(labels);
        }
        editTemplate(w, t -> old, cause);
    }

    /** Changes the pod template (a new revision) and records why in the change-cause. */
    public void editTemplate(WorkloadStatus w, java.util.function.UnaryOperator<PodTemplateSpec> change, String cause) {
        if ("StatefulSet".equals(w.kind())) {
            Writes.retryOnConflict(() -> client.apps().statefulSets().inNamespace(namespace).withName(w.name()).edit(x -> {
                x.getSpec().setTemplate(change.apply(x.getSpec().getTemplate()));
                annotate(x.getMetadata(), cause);
                return x;
            }));
        } else {
            Writes.retryOnConflict(() -> client.apps().deployments().inNamespace(namespace).withName(w.name()).edit(x -> {
                x.getSpec().setTemplate(change.apply(x.getSpec().getTemplate()));
                annotate(x.getMetadata(), cause);
                return x;
            }));
        }
    }

    private static void annotate(ObjectMeta meta, String cause) {
        Map<String, String> a = new LinkedHashMap<>(Optional.ofNullable(meta.getAnnotations()).orElse(Map.of()));
        a.put(RolloutHistory.CHANGE_CAUSE, cause);
        meta.setAnnotations(a);
    }

    /** Waits until none of the workload's pods is left, Terminating ones included. */
    public void awaitNoPods(WorkloadStatus w, Duration timeout, Cancellation cancel) throws RolloutProblem, InterruptedException {
        var pods = client.pods().inNamespace(namespace).withLabels(w.selector());
        ClusterWait.Outcome outcome = ClusterWait.until(pods, () -> pods.list().getItems(),
                list -> list.stream().noneMatch(w::owns), timeout, cancel);
        if (outcome == ClusterWait.Outcome.TIMED_OUT) {
            List<String> left = client.pods().inNamespace(namespace).withLabels(w.selector()).list().getItems().stream()
                    .filter(w::owns).map(p -> p.getMetadata().getName() + " " + PodState.of(p).status()).toList();
            throw new RolloutProblem("The pods of " + w.kubectlName() + " did not go away within " + timeout.toSeconds() + " s: "
                    + String.join(", ", left) + ".", "Look at them in the Pods area; a pod stuck Terminating may need kubectl delete pod --force.");
        }
        if (outcome == ClusterWait.Outcome.CANCELLED) {
            throw new RolloutProblem("Cancelled while waiting for the pods to go.", "");
        }
    }

    /** Waits until the workload runs {@code replicas} Ready pods of its current template; else says why not, pod by pod. */
    public void awaitRolledOut(WorkloadStatus w, int replicas, Duration timeout, Cancellation cancel) throws RolloutProblem, InterruptedException {
        ClusterWait.Outcome outcome;
        if ("StatefulSet".equals(w.kind())) {
            var sts = client.apps().statefulSets().inNamespace(namespace).withName(w.name());
            outcome = ClusterWait.until(sts, () -> Optional.ofNullable(sts.get()).map(List::of).orElse(List.of()),
                    list -> list.stream().anyMatch(s -> rolledOut(s, replicas)), timeout, cancel);
        } else {
            var deployment = client.apps().deployments().inNamespace(namespace).withName(w.name());
            outcome = ClusterWait.until(deployment, () -> Optional.ofNullable(deployment.get()).map(List::of).orElse(List.of()),
                    list -> list.stream().anyMatch(d -> rolledOut(d, replicas)), timeout, cancel);
        }
        if (outcome == ClusterWait.Outcome.CANCELLED) {
            throw new RolloutProblem("Cancelled while waiting for the pods to be Ready.", "");
        }
        if (outcome == ClusterWait.Outcome.TIMED_OUT) {
            List<Pod> pods = client.pods().inNamespace(namespace).withLabels(w.selector()).list().getItems().stream().filter(w::owns).toList();
            String reasons = pods.stream().filter(p -> PodState.of(p).problem() || !"Running".equals(PodState.of(p).status()))
                    .map(p -> p.getMetadata().getName() + " " + PodState.of(p).status()
                            + PodState.of(p).detail().map(d -> " (" + d + ")").orElse(""))
                    .collect(Collectors.joining("; "));
            throw new RolloutProblem(w.kubectlName() + " did not become Ready within " + timeout.toSeconds() + " s"
                    + (reasons.isEmpty() ? "." : ": " + reasons + "."),
                    "Open the pods' logs and events in the Pods area; roll back again or fix the cause and redeploy.");
        }
    }

    static boolean rolledOut(Deployment d, int replicas) {
        var st = d.getStatus();
        return st != null && d.getMetadata().getGeneration() != null && d.getMetadata().getGeneration().equals(st.getObservedGeneration())
                && eq(st.getUpdatedReplicas(), replicas) && eq(st.getReadyReplicas(), replicas)
                && eq(st.getAvailableReplicas(), replicas) && eq(st.getReplicas(), replicas);
    }

    static boolean rolledOut(StatefulSet s, int replicas) {
        var st = s.getStatus();
        return st != null && eq(st.getReadyReplicas(), replicas) && eq(st.getUpdatedReplicas(), replicas)
                && st.getUpdateRevision() != null && st.getUpdateRevision().equals(st.getCurrentRevision());
    }

    private static boolean eq(Integer value, int expected) {
        return (value == null ? 0 : value) == expected;
    }

    private static String selector(WorkloadStatus w) {
        return w.selector().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    private void audit(String action, String target, String result) {
        journal.accept(new AuditEntry(clock.instant(), context, namespace, action, target, result));
    }
}
