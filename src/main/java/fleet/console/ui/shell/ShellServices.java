package fleet.console.ui.shell;

import fleet.console.audit.AuditJournal;
import fleet.console.cluster.ClusterConnector;
import fleet.console.ui.overview.WorkloadHealthSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the console shell is given by the composition root; it creates none of it and closes none of
 * it except the sessions it opened.
 *
 * @param kubeconfig where the contexts come from; it may not exist (then only the sandbox is offered)
 * @param background where every read and connection attempt runs
 * @param ui         how results reach the UI thread: an {@code FxBatcher} in the application,
 *                   {@code Runnable::run} in view-model tests
 * @param clock      for the "updated at" times the operator reads
 * @param auditFile  the journal every action on a cluster is written to
 */
public record ShellServices(ClusterConnector connector, Path kubeconfig, SandboxStarter sandbox,
                            WorkloadHealthSource health, ScheduledExecutorService background, Executor ui,
                            Clock clock, Path auditFile) {

    /** With the user's own audit journal. */
    public ShellServices(ClusterConnector connector, Path kubeconfig, SandboxStarter sandbox,
                         WorkloadHealthSource health, ScheduledExecutorService background, Executor ui, Clock clock) {
        this(connector, kubeconfig, sandbox, health, background, ui, clock,
                AuditJournal.defaultFile(System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    /** With the system clock and the user's own audit journal. */
    public ShellServices(ClusterConnector connector, Path kubeconfig, SandboxStarter sandbox,
                         WorkloadHealthSource health, ScheduledExecutorService background, Executor ui) {
        this(connector, kubeconfig, sandbox, health, background, ui, Clock.systemDefaultZone());
    }

    /** The same services writing another journal (tests keep theirs out of the operator's). */
    public ShellServices withAuditFile(Path file) {
        return new ShellServices(connector, kubeconfig, sandbox, health, background, ui, clock, file);
    }
}
