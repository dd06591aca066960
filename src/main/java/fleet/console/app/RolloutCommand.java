package fleet.console.app;

import fleet.console.audit.AuditJournal;
import fleet.console.cluster.Cancellation;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.rollouts.ImageDrift;
import fleet.console.cluster.rollouts.Revision;
import fleet.console.cluster.rollouts.RollbackPlan;
import fleet.console.cluster.rollouts.RolloutActions;
import fleet.console.cluster.rollouts.RolloutHistory;
import fleet.console.cluster.rollouts.RolloutProblem;
import fleet.console.cluster.rollouts.RolloutProgress;
import fleet.console.cluster.rollouts.TemplateDiff;
import fleet.console.cluster.rollouts.WorkloadStatus;
import fleet.console.profile.FleetProfile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * {@code rollout history|diff|undo|restart W} and {@code scale W N}: kubectl's rollout commands with what
 * kubectl leaves out (images and causes in the history, a diff between revisions, the runbook's safe
 * path for services with NATS consumers).
 */
@Command(name = "rollout", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rollout history with images and change-causes, diffs between revisions, rollback (the safe path for",
                "services with NATS consumers) and restart. W is a workload: NAME, deployment/NAME or statefulset/NAME."},
        subcommands = {RolloutCommand.History.class, RolloutCommand.Diff.class, RolloutCommand.Undo.class, RolloutCommand.Restart.class})
final class RolloutCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    /** kind and name from {@code deployment/x}, {@code statefulset/x} or {@code x} (looked up). */
    static String[] workload(ClusterSession session, String text) throws RolloutProblem {
        String[] parts = text.split("/", 2);
        if (parts.length == 2) {
            String kind = parts[0].toLowerCase().startsWith("statefulset") || parts[0].equalsIgnoreCase("sts") ? "StatefulSet" : "Deployment";
            return new String[] {kind, parts[1]};
        }
        RolloutHistory history = new RolloutHistory(session.client(), session.namespace());
        if (history.workload("Deployment", text).isPresent()) {
            return new String[] {"Deployment", text};
        }
        if (history.workload("StatefulSet", text).isPresent()) {
            return new String[] {"StatefulSet", text};
        }
        throw new RolloutProblem("There is no Deployment or StatefulSet '" + text + "' in namespace " + session.namespace() + ".",
                "Its workloads are: " + String.join(", ", history.workloads().stream().map(WorkloadStatus::name).toList()) + ".");
    }

    static RolloutActions actions(ClusterSession session, FleetProfile profile) {
        AuditJournal journal = new AuditJournal(AuditJournal.defaultFile(System.getenv(), Path.of(System.getProperty("user.home"))));
        return new RolloutActions(session.client(), session.contextName(), session.namespace(), profile, journal::append, Clock.systemUTC());
    }

    static int problem(PrintWriter err, RolloutProblem e) {
        err.println("fleet-console: " + e.getMessage());
        err.println(e.whatToDo());
        return Cli.CANNOT;
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "The workload's revisions: number, created, images, cause, pods, live.")
    static final class History implements Callable<Integer> {
        @Parameters(paramLabel = "W")
        String workload;
        @Mixin
        TargetOptions target = new TargetOptions();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            return target.run("rollout history", spec.commandLine().getErr(), (session, profile) -> {
                try {
                    String[] w = workload(session, workload);
                    RolloutHistory history = new RolloutHistory(session.client(), session.namespace());
                    out.printf("%-9s %-19s %-5s %-5s %s%n", "REVISION", "CREATED", "PODS", "LIVE", "IMAGES / CHANGE-CAUSE");
                    for (Revision r : history.revisions(w[0], w[1])) {
                        out.printf("%-9d %-19s %-5d %-5s %s%n", r.number(), r.created().map(TIME::format).orElse("?"), r.replicas(),
                                r.live() ? "yes" : "", String.join(", ", r.images()));
                        out.printf("%-41s %s%n", "", r.changeCause().orElse("<none>"));
                    }
                    java.util.Optional<ImageDrift> drift = history.workload(w[0], w[1]).flatMap(s -> ImageDrift.of(s, profile));
                    drift.filter(ImageDrift::differs).ifPresent(d -> out.println("Note: " + d.workload() + " " + d.explanation() + "."));
                    out.flush();
                    return Cli.OK;
                } catch (RolloutProblem e) {
                    return problem(spec.commandLine().getErr(), e);
                }
            });
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "What changed in the pod template between two revisions.")
    static final class Diff implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "W")
        String workload;
        @Parameters(index = "1", paramLabel = "R1")
        long from;
        @Parameters(index = "2", paramLabel = "R2")
        long to;
        @Mixin
        TargetOptions target = new TargetOptions();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            return target.run("rollout diff", spec.commandLine().getErr(), (session, profile) -> {
                try {
                    String[] w = workload(session, workload);
                    List<Revision> revisions = new RolloutHistory(session.client(), session.namespace()).revisions(w[0], w[1]);
                    Revision a = find(revisions, from);
                    Revision b = find(revisions, to);
                    out.println("Revision " + from + " -> " + to + " of " + w[0].toLowerCase() + "/" + w[1] + ":");
                    TemplateDiff.render(TemplateDiff.between(a.template(), b.template())).forEach(l -> out.println("  " + l));
                    out.flush();
                    return Cli.OK;
                } catch (RolloutProblem e) {
                    return problem(spec.commandLine().getErr(), e);
                }
            });
        }

        private static Revision find(List<Revision> revisions, long n) throws RolloutProblem {
            return revisions.stream().filter(r -> r.number() == n).findFirst().orElseThrow(() -> new RolloutProblem(
                    "There is no revision " + n + ".", "Its revisions are " + String.join(", ", revisions.stream()
                    .map(r -> Long.toString(r.number())).toList()) + "."));
        }
    }

    @Command(name = "undo", mixinStandardHelpOptions = true,
            description = "Roll back to the previous revision or --to-revision N; services with NATS consumers by the safe path.")
    static final class Undo implements Callable<Integer> {
        @Parameters(paramLabel = "W")
        String workload;
        @Option(names = "--to-revision", paramLabel = "N")
        Long toRevision;
        @Option(names = "--yes", description = "Do not ask (the plan and the diff are printed either way).")
        boolean yes;
        @Mixin
        TargetOptions target = new TargetOptions();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return target.run("rollout undo", err, (session, profile) -> {
                RolloutActions actions = actions(session, profile);
                RollbackPlan plan;
                try {
                    String[] w = workload(session, workload);
                    if (Cli.refused(session, fleet.console.cluster.Access.Permission.of("patch", "apps", w[0].toLowerCase() + "s",
                            session.namespace()), "rollout undo", w[0].toLowerCase() + "/" + w[1], err)) {
                        return Cli.CANNOT;
                    }
                    plan = actions.planRollback(w[0], w[1], toRevision == null ? OptionalLong.empty() : OptionalLong.of(toRevision));
                } catch (RolloutProblem e) {
                    return problem(err, e);
                }
                try {
                    out.println("Roll " + plan.workload().kubectlName() + " back from revision " + plan.fromRevision() + " to " + plan.target().number() + ":");
                    TemplateDiff.render(plan.diff()).forEach(l -> out.println("  " + l));
                    plan.warnings().forEach(l -> out.println("Note: " + l));
                    int i = 1;
                    for (RollbackPlan.Step s : plan.steps()) {
                        out.println((i++) + ". " + s.title() + "   $ " + s.kubectl());
                    }
                    if (!yes) {
                        java.io.Console console = System.console();
                        out.print("Type yes to roll back: ");
                        out.flush();
                        String answer = console == null ? null : console.readLine();
                        if (!"yes".equals(answer == null ? "" : answer.trim())) {
                            err.println("fleet-console: not confirmed; nothing was changed. Add --yes to roll back without asking.");
                            return Cli.CANNOT;
                        }
                    }
                    actions.rollback(plan, p -> progress(out, p), Cancellation.none(), RolloutActions.READY_TIMEOUT);
                    out.println("Revision " + plan.target().number() + " is live (now numbered as the newest revision).");
                    out.flush();
                    return Cli.OK;
                } catch (RolloutProblem e) {
                    err.println("fleet-console: " + e.getMessage());
                    err.println(e.whatToDo());
                    return Cli.UNHEALTHY;
                }
            });
        }

        private static void progress(PrintWriter out, RolloutProgress p) {
            out.println("  [" + (p.index() + 1) + "] " + p.title() + ": " + p.phase().name().toLowerCase()
                    + (p.message().isEmpty() ? "" : " - " + p.message()));
            out.flush();
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "kubectl rollout restart, with a change-cause.")
    static final class Restart implements Callable<Integer> {
        @Parameters(paramLabel = "W")
        String workload;
        @Mixin
        TargetOptions target = new TargetOptions();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return target.run("rollout restart", spec.commandLine().getErr(), (session, profile) -> {
                try {
                    String[] w = workload(session, workload);
                    if (Cli.refused(session, fleet.console.cluster.Access.Permission.of("patch", "apps", w[0].toLowerCase() + "s",
                            session.namespace()), "rollout restart", w[0].toLowerCase() + "/" + w[1], spec.commandLine().getErr())) {
                        return Cli.CANNOT;
                    }
                    actions(session, profile).restart(w[0], w[1]);
                    spec.commandLine().getOut().println(w[0].toLowerCase() + "/" + w[1] + " restarted.");
                    spec.commandLine().getOut().flush();
                    return Cli.OK;
                } catch (RolloutProblem e) {
                    return problem(spec.commandLine().getErr(), e);
                }
            });
        }
    }
}
