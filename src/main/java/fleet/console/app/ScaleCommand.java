package fleet.console.app;

import java.time.Instant;
import fleet.console.audit.AuditEntry;
import fleet.console.cluster.rollouts.RolloutProblem;
import fleet.console.cluster.rollouts.WorkloadStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code scale W N}: kubectl scale, saying what scaling to 0 stops and asking first. */
@Command(name = "scale", mixinStandardHelpOptions = true, description = "Set a workload's replica count (kubectl scale).")
final class ScaleCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "W")
    String workload;

    @Parameters(index = "1", paramLabel = "N")
    int replicas;

    @Option(names = "--yes", description = "Scale to 0 without asking.")
    boolean yes;

    @Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return target.run("scale", err, (session, profile) -> {
            try {
                String[] w = RolloutCommand.workload(session, workload);
                if (Cli.refused(session, fleet.console.cluster.Access.Permission.of("patch", "apps", w[0].toLowerCase() + "s",
                        session.namespace()).sub("scale"), "scale", w[0].toLowerCase() + "/" + w[1] + " to " + replicas, err)) {
                    return Cli.CANNOT;
                }
                WorkloadStatus status = new fleet.console.cluster.rollouts.RolloutHistory(session.client(), session.namespace())
                        .workload(w[0], w[1]).orElseThrow();
                if (replicas == 0 && status.desired() > 0) {
                    out.println("Scaling " + status.kubectlName() + " to 0 stops its " + status.ready() + " running pod(s): it serves nothing until scaled up.");
                    if (!yes) {
                        Cli.journal().append(new AuditEntry(Instant.now(), session.contextName(), session.namespace(),
                                "scale", status.kubectlName() + " to 0", "refused: not confirmed (no --yes)"));
                        err.println("fleet-console: add --yes to scale to 0; nothing was changed.");
                        return Cli.CANNOT;
                    }
                }
                RolloutCommand.actions(session, profile).scale(w[0], w[1], replicas);
                out.println(status.kubectlName() + " scaled from " + status.desired() + " to " + replicas + ".");
                out.flush();
                return Cli.OK;
            } catch (RolloutProblem e) {
                return RolloutCommand.problem(err, e);
            }
        });
    }
}
