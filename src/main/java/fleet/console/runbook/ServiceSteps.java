package fleet.console.runbook;

import fleet.console.cluster.ClusterWait;
import fleet.console.cluster.PodState;
import fleet.console.cluster.rollouts.RolloutActions;
import fleet.console.cluster.rollouts.RolloutHistory;
import fleet.console.cluster.rollouts.RolloutProblem;
import fleet.console.cluster.rollouts.WorkloadStatus;
import fleet.console.profile.ServiceSpec;
import fleet.console.profile.WorkloadKind;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The steps the runbook's procedures share for one service: remember its replica count, scale it to 0
 * and wait until its pods are gone, set its image, scale it back to what it had (not to 1), wait until
 * it is Ready, and check its startup lines in the log.
 */
final class ServiceSteps {

    static final Duration READY = Duration.ofSeconds(120);
    static final Duration GONE = Duration.ofSeconds(60);

    private ServiceSteps() {
    }

    static String replicasKey(ServiceSpec s) {
        return "replicas." + s.name();
    }

    static String kind(ServiceSpec s) {
        return s.kind() == WorkloadKind.STATEFULSET ? "StatefulSet" : "Deployment";
    }

    static String kubectlName(ServiceSpec s) {
        return (s.kind() == WorkloadKind.STATEFULSET ? "statefulset/" : "deployment/") + s.name();
    }

    static RolloutActions actions(RunContext run) {
        return new RolloutActions(run.client(), run.contextName(), run.namespace(), run.profile(), run.journal(), run.clock());
    }

    static WorkloadStatus workload(RunContext run, ServiceSpec s) throws StepFailure {
        return new RolloutHistory(run.client(), run.namespace()).workload(kind(s), s.name()).orElseThrow(() -> new StepFailure(
                "There is no " + kubectlName(s) + " in namespace " + run.namespace() + ".",
                "Deploy it first (the deploy-all runbook), or check the namespace."));
    }

    /** The replica count it runs now, remembered before anything scales it (a resumed run keeps the first). */
    static SimpleStep remember(ServiceSpec s) {
        return SimpleStep.of("remember-" + s.name(), "Remember how many pods " + s.name() + " runs",
                "The runbook's commands scale back to 1; the fleet runs some services with 2 replicas.",
                "Records " + s.name() + "'s replica count so it is restored exactly, even after a console restart.",
                List.of("kubectl get " + kubectlName(s) + " -n NS -o jsonpath='{.spec.replicas}'"), Duration.ofSeconds(10), run -> {
                    if (run.recall(replicasKey(s)).isEmpty()) {
                        WorkloadStatus w = workload(run, s);
                        run.remember(replicasKey(s), Integer.toString(w.desired()));
                        run.log(s.name() + " runs " + w.desired() + " replica(s)");
                    }
                }).touching(List.of(kubectlName(s)));
    }

    static SimpleStep scaleToZero(ServiceSpec s) {
        return SimpleStep.of("scale-down-" + s.name(), "Scale " + s.name() + " to 0",
                "Scaling to 0 releases its NATS durable consumers cleanly; otherwise the new pod meets 'consumer is already bound'.",
                "Sets " + kubectlName(s) + " to 0 replicas.", List.of("kubectl scale " + kubectlName(s) + " -n NS --replicas=0"),
                Duration.ofSeconds(15), run -> actions(run).scaleTo(workload(run, s), 0)).touching(List.of(kubectlName(s)));
    }

    static SimpleStep awaitGone(ServiceSpec s) {
        return SimpleStep.of("wait-gone-" + s.name(), "Wait until " + s.name() + "'s pods are gone",
                "The runbook sleeps 10 s here; the console proceeds the moment the last pod is gone.",
                "Waits (on a watch) until no pod of " + s.name() + " is left, Terminating ones included.",
                List.of("kubectl wait --for=delete pod -l " + selectorHint(s) + " -n NS --timeout=60s"), GONE, run -> {
                    try {
                        actions(run).awaitNoPods(workload(run, s), run.timeLeft(), run.cancellation());
                    } catch (RolloutProblem e) {
                        throw new StepFailure(e.getMessage(), e.whatToDo());
                    }
                }).touching(List.of(kubectlName(s)));
    }

    static SimpleStep scaleBack(ServiceSpec s) {
        return SimpleStep.of("scale-up-" + s.name(), "Scale " + s.name() + " back up",
                "Back to the replica count it had, not to 1 as the runbook's commands do.",
                "Sets " + kubectlName(s) + " to its remembered replica count.",
                List.of("kubectl scale " + kubectlName(s) + " -n NS --replicas=N"), Duration.ofSeconds(15), run -> {
                    int n = Integer.parseInt(run.recall(replicasKey(s)).orElse(Integer.toString(s.replicas())));
                    actions(run).scaleTo(workload(run, s), n);
                    run.log(s.name() + " scaled back to " + n);
                }).touching(List.of(kubectlName(s)));
    }

    static SimpleStep awaitReady(ServiceSpec s) {
        return SimpleStep.of("wait-ready-" + s.name(), "Wait until " + s.name() + " is Ready",
                "kubectl wait --for=condition=ready, without the guesswork of a label: the workload's own rollout status.",
                "Waits until every replica runs the current template and is Ready; if not, says why pod by pod.",
                List.of("kubectl rollout status " + kubectlName(s) + " -n NS --timeout=120s"), READY, run -> {
                    int n = Integer.parseInt(run.recall(replicasKey(s)).orElse(Integer.toString(workload(run, s).desired())));
                    try {
                        actions(run).awaitRolledOut(workload(run, s), n, run.timeLeft(), run.cancellation());
                    } catch (RolloutProblem e) {
                        throw new StepFailure(e.getMessage(), e.whatToDo());
                    }
                }).touching(List.of(kubectlName(s)));
    }

    /**
     * The runbook's "check logs": every pod of the service shows its startup lines. A pod that is Ready
     * for a moment and then crashes (a container without a readiness probe counts as Ready as soon as it
     * starts) fails the step with its reason instead: what the runbook's rebuild script counts afterwards.
     */
    static SimpleStep checkStartupLines(ServiceSpec s) {
        return SimpleStep.of("startup-lines-" + s.name(), "Check " + s.name() + "'s startup lines",
                "The runbook checks the log for lines like 'All NATS consumers started', and counts CrashLoopBackOff pods.",
                "Waits until each pod's log shows: " + String.join("; ", s.startupLines()) + " - or a pod fails.",
                List.of("kubectl logs -n NS -l " + selectorHint(s) + " --tail=30", "kubectl get pods -n NS -l " + selectorHint(s)),
                Duration.ofSeconds(60), run -> {
                    WorkloadStatus w = workload(run, s);
                    AtomicReference<String> failure = new AtomicReference<>();
                    AtomicReference<List<String>> missing = new AtomicReference<>(List.of());
                    try (LogFollowers logs = new LogFollowers(run)) {
                        var watched = run.client().pods().inNamespace(run.namespace()).withLabels(w.selector());
                        ClusterWait.Outcome outcome = ClusterWait.until(watched, () -> watched.list().getItems(),
                                pods -> {
                                    List<String> absent = new ArrayList<>();
                                    for (Pod p : pods) {
                                        if (p.getMetadata().getDeletionTimestamp() != null || !w.owns(p)) {
                                            continue;
                                        }
                                        PodState state = PodState.of(p);
                                        // "Error" is the moment between a crash and the back-off; the back-off is the verdict.
                                        if (state.problem() && !"Running".equals(state.status()) && !"Error".equals(state.status())) {
                                            failure.set(p.getMetadata().getName() + " " + state.status()
                                                    + (state.restarts() > 0 ? " (restarted " + state.restarts() + " times)" : "")
                                                    + state.detail().map(d -> ": " + d).orElse(""));
                                            return true;
                                        }
                                        String log = logs.of(p);
                                        for (String line : s.startupLines()) {
                                            if (!log.contains(line)) {
                                                absent.add(p.getMetadata().getName() + ": \"" + line + "\"");
                                            }
                                        }
                                    }
                                    missing.set(absent);
                                    return absent.isEmpty() && pods.stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null && w.owns(p));
                                }, run.timeLeft(), run.cancellation(), logs::wakeWith);
                        if (failure.get() == null && outcome != ClusterWait.Outcome.MET) {
                            throw new StepFailure("Startup lines missing: " + String.join(", ", missing.get()) + ".",
                                    "Read the pods' logs in the Pods area: the service started but did not get that far.");
                        }
                    }
                    if (failure.get() != null) {
                        throw new StepFailure(s.name() + " started and then failed: " + failure.get() + ".",
                                "Read its previous log in the Pods area (the diagnosis names the cause); fix it, then resume from this step.");
                    }
                    run.log("startup lines found in every pod of " + s.name());
                }).skippedWhen(run -> s.startupLines().isEmpty() ? Optional.of("the profile names no startup lines for " + s.name())
                        : Optional.empty()).touching(List.of(kubectlName(s)));
    }

    static List<Pod> pods(RunContext run, ServiceSpec s) throws StepFailure {
        WorkloadStatus w = workload(run, s);
        return run.client().pods().inNamespace(run.namespace()).withLabels(w.selector()).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && w.owns(p)).toList();
    }

    static String reasons(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName() + " " + PodState.of(p).status()).collect(Collectors.joining(", "));
    }

    static String selectorHint(ServiceSpec s) {
        return "<the selector of " + kubectlName(s) + ">";
    }
}
