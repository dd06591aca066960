package fleet.console.runbook;

import fleet.console.cluster.FleetHealth;
import fleet.console.cluster.WorkloadHealth;
import fleet.console.cluster.rollouts.RollbackPlan;
import fleet.console.cluster.rollouts.RolloutProblem;
import fleet.console.cluster.rollouts.RolloutProgress;
import fleet.console.cluster.rollouts.TemplateDiff;
import fleet.console.profile.ServiceSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The procedures of the operations runbook, by the names the CLI and the journal use. Each is planned
 * for one run (it may read the cluster to know what it will touch), then run by the engine.
 */
public final class Runbooks {

    /** A runbook's name, one line on what it does, and how to plan it for a run. */
    public record Entry(String name, String summary, Planner planner) {
    }

    @FunctionalInterface
    public interface Planner {
        Runbook plan(RunContext run) throws StepFailure;
    }

    private static final Map<String, Entry> ALL = new java.util.LinkedHashMap<>();

    static {
        add("verify-prerequisites", "Cluster reachable, nodes, cert-manager, ingress-nginx, registry (GPU nodes and an existing namespace are warnings)",
                Prerequisites::plan);
        add("deploy-all", "Initial deployment in the runbook's order (--manifests DIR, or the console's own; --skip streams,councils)",
                DeployAll::plan);
        add("health", "The fleet's health table; fails when a workload is not healthy", Runbooks::health);
        add("redeploy", "Redeploy one service (--service S): the safe path for NATS consumers, a rolling update otherwise", Runbooks::redeploy);
        add("rebuild-and-deploy", "Build and push every service, update them (NATS consumers by the safe path), wait, fail on any "
                + "CrashLoopBackOff (--skip-build, --no-wait, --source DIR, --tag T)", RebuildAndDeploy::plan);
        add("rollback", "Roll a service back (--service S [--to-revision N]), NATS consumers by the safe path", Runbooks::rollback);
        add("scale-cycle", "Scale one service (--service S) to 0, wait until its pods are gone, scale it back to its count: pods a node reboot left behind",
                Runbooks::scaleCycle);
        add("nats-clean-slate", "Stop the NATS consumers, delete and recreate the declared streams, start them again", NatsCleanSlate::plan);
        add(CouncilsRunbooks.INIT, "Create the councils (every role, the agents and model in force) on every orchestrator replica; "
                + "existing ones are kept (--via-job: the runbook's init Job, which reaches one replica)", CouncilsRunbooks::planInit);
        add(CouncilsRunbooks.DELETE, "Delete every council on every orchestrator replica, counted first, the namespace typed back "
                + "(--via-job: the runbook's delete Job, which reaches one replica)", CouncilsRunbooks::planDelete);
        add("backup", "Neo4j dump and Valkey SAVE in their pods, each file copied to this machine (--to DIR)", Backup::plan);
        add("system-reset", "Backup first (--skip backup), delete the namespace, wait until it is gone, deploy everything again",
                SystemReset::plan);
    }

    private Runbooks() {
    }

    private static void add(String name, String summary, Planner planner) {
        ALL.put(name, new Entry(name, summary, planner));
    }

    public static List<Entry> all() {
        return List.copyOf(ALL.values());
    }

    public static Optional<Entry> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    static ServiceSpec service(RunContext run) throws StepFailure {
        String name = run.options().service().orElseThrow(() -> new StepFailure("This runbook needs a service.",
                "Give one with --service, e.g. --service orchestrator; the fleet's are: " + services(run) + "."));
        return run.profile().service(name).orElseThrow(() -> new StepFailure("There is no service '" + name + "' in the fleet profile.",
                "Choose one of: " + services(run) + "."));
    }

    private static String services(RunContext run) {
        return String.join(", ", run.profile().services().stream().map(ServiceSpec::name).toList());
    }

    static Runbook health(RunContext run) {
        Step check = SimpleStep.of("verify-health", "Read every workload's health",
                "The runbook's verify-health: each workload Running with all replicas ready.",
                "Reads every Deployment and StatefulSet through its own selector and reports what is wrong.",
                List.of("kubectl get deploy,sts -n " + run.namespace(), "kubectl get pods -n " + run.namespace()), Duration.ofSeconds(30), r -> {
                    List<WorkloadHealth> rows = FleetHealth.read(r.client(), r.namespace(), r.profile());
                    FleetHealth.render(rows).lines().forEach(r::log);
                    List<String> bad = rows.stream().filter(x -> !x.healthy()).map(x -> x.name() + " " + x.state()).toList();
                    if (!bad.isEmpty()) {
                        throw new StepFailure("Not healthy: " + String.join(", ", bad) + ".",
                                "Open the Pods area (or run the diagnosis) for the reason, then the runbook that fixes it.");
                    }
                });
        return new Runbook("health", "Health check", "The verify-health table.", List.of(check), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    static Runbook redeploy(RunContext run) throws StepFailure {
        ServiceSpec s = service(run);
        List<Step> steps = new ArrayList<>();
        steps.add(ServiceSteps.remember(s));
        // Built and pushed before anything stops: a build that fails changes nothing, and the service is
        // down only for the restart, not for the build (the runbook scales down first).
        steps.add(ImageSteps.build(s, run));
        if (s.natsConsumers()) {
            steps.add(ServiceSteps.scaleToZero(s));
            steps.add(ServiceSteps.awaitGone(s));
        }
        steps.add(ImageSteps.setImage(s, run));
        if (s.natsConsumers()) {
            steps.add(ServiceSteps.scaleBack(s));
        }
        steps.add(ServiceSteps.awaitReady(s).skippedWhen(r -> r.options().noWait() ? Optional.of("--no-wait") : Optional.empty()));
        steps.add(ServiceSteps.checkStartupLines(s));
        return new Runbook("redeploy", "Redeploy " + s.name(),
                s.natsConsumers() ? s.name() + " has NATS consumers: build and push, then scale to 0, wait until its pods are gone, set the image, scale back, wait Ready."
                        : s.name() + " has no NATS consumers: a rolling update is safe.",
                steps, s.natsConsumers() ? Optional.of("all pods of " + s.name() + " are stopped for a moment (it serves nothing meanwhile)")
                        : Optional.empty(), Optional.empty(), Optional.of(scaleBackCompensation(List.of(s))));
    }

    /**
     * The cure the fleet's operators use for pods a node reboot left as ContainerStatusUnknown: nothing
     * restarts them, the workload counts them as its own, so scale to 0 (they are deleted) and back.
     */
    static Runbook scaleCycle(RunContext run) throws StepFailure {
        ServiceSpec s = service(run);
        List<Step> steps = List.of(ServiceSteps.remember(s), ServiceSteps.scaleToZero(s), ServiceSteps.awaitGone(s), ServiceSteps.scaleBack(s),
                ServiceSteps.awaitReady(s).skippedWhen(r -> r.options().noWait() ? Optional.of("--no-wait") : Optional.empty()));
        return new Runbook("scale-cycle", "Scale " + s.name() + " to 0 and back",
                "Every pod of " + s.name() + " is deleted and created again from its template, with the replica count it had.",
                steps, Optional.of("all pods of " + s.name() + " are stopped for a moment (it serves nothing meanwhile)"), Optional.empty(),
                Optional.of(scaleBackCompensation(List.of(s))));
    }

    static Runbook rollback(RunContext run) throws StepFailure {
        ServiceSpec s = service(run);
        RollbackPlan plan;
        try {
            plan = ServiceSteps.actions(run).planRollback(ServiceSteps.kind(s), s.name(), run.options().toRevision());
        } catch (RolloutProblem e) {
            throw new StepFailure(e.getMessage(), e.whatToDo());
        }
        List<Step> steps = new ArrayList<>();
        steps.add(ServiceSteps.remember(s));
        steps.add(SimpleStep.of("rollback-" + s.name(), "Roll " + s.name() + " back to revision " + plan.target().number(),
                plan.safePath() ? "NATS consumers: scale to 0, wait until the pods are gone, apply, scale back, wait Ready."
                        : "No NATS consumers: a rolling update.",
                String.join("; ", TemplateDiff.render(plan.diff())), plan.steps().stream().map(RollbackPlan.Step::kubectl).toList(),
                Duration.ofMinutes(4), r -> {
                    try {
                        ServiceSteps.actions(r).rollback(plan, p -> report(r, p), r.cancellation(), ServiceSteps.READY);
                    } catch (RolloutProblem e) {
                        throw new StepFailure(e.getMessage(), e.whatToDo());
                    }
                }));
        return new Runbook("rollback", "Roll back " + s.name(), String.join(" ", plan.warnings()), steps, Optional.empty(), Optional.empty(),
                Optional.of(scaleBackCompensation(List.of(s))));
    }

    private static void report(RunContext run, RolloutProgress p) {
        run.progress((p.index() + 1) + ". " + p.title() + " - " + p.phase().name().toLowerCase() + (p.message().isEmpty() ? "" : ": " + p.message()));
    }

    /** Scales the services a run stopped back to the counts it recorded. */
    static Runbook.Compensation scaleBackCompensation(List<ServiceSpec> services) {
        return run -> {
            for (ServiceSpec s : services) {
                Optional<String> n = run.recall(ServiceSteps.replicasKey(s));
                if (n.isPresent()) {
                    ServiceSteps.actions(run).scaleTo(ServiceSteps.workload(run, s), Integer.parseInt(n.get()));
                    run.log(s.name() + " scaled back to " + n.get());
                }
            }
        };
    }
}
