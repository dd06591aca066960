package fleet.console.app;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * Where a headless command works, the same for every command: a kubeconfig context and namespace, the
 * fleet profile, or a fresh embedded sandbox ({@code --sandbox}, with {@code --fault} and {@code --empty}).
 */
final class TargetOptions {

    @Mixin
    Cli.ContextOptions where = new Cli.ContextOptions();

    @Mixin
    Cli.FleetOptions fleet = new Cli.FleetOptions();

    @Option(names = "--sandbox", description = "Use a fresh embedded sandbox instead of a cluster.")
    boolean sandbox;

    @Option(names = "--empty", description = "With --sandbox: start with no fleet deployed.")
    boolean empty;

    @Option(names = "--read-only", description = "Change nothing: every command that would change the cluster, NATS or a registry refuses, and the client itself sends no change.")
    boolean readOnly;

    @Option(names = "--user", paramLabel = "USER", description = "With --sandbox: be its 'admin' (default) or a 'viewer' (Kubernetes' view role: reads only, no exec or port-forward).")
    String user;

    /** Connects, runs the work, closes what it opened; bad input and unreachable clusters give exit code 2. */
    int run(String command, PrintWriter err, Cli.TargetWork work) throws Exception {
        return Cli.onTarget(command, where, fleet, sandbox, empty, readOnly, user, err, work);
    }
}
