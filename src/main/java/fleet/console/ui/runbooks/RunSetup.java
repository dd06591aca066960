package fleet.console.ui.runbooks;

import fleet.console.audit.AuditJournal;
import fleet.console.cluster.ClusterSession;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.profile.FleetProfile;
import fleet.console.runbook.RunContext;
import fleet.console.runbook.RunOptions;
import fleet.console.runbook.RunStore;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the window sets up a run, as the command line does: the fleet profile, where runs are saved, and
 * how a run's world is made for a session (NATS through a port-forward to {@code nats-0}, the audit
 * journal, and, when the application provides it, the image builder with the user's logins).
 */
public record RunSetup(FleetProfile profile, RunStore store, Contexts contexts) {

    /** Makes a run's context for a session; called on a background thread. */
    @FunctionalInterface
    public interface Contexts {
        RunContext open(ClusterSession session, RunOptions options);
    }

    public RunSetup {
        Objects.requireNonNull(profile);
        Objects.requireNonNull(store);
        Objects.requireNonNull(contexts);
    }

    /** NATS in the cluster, the given journal, no image builds (a runbook that builds says it cannot). */
    public static RunSetup standard(FleetProfile profile, RunStore store, Path auditFile) {
        AuditJournal journal = new AuditJournal(auditFile);
        return new RunSetup(profile, store, (session, options) -> new RunContext(session.client(), session.contextName(),
                session.namespace(), profile, options,
                () -> NatsLink.open(NatsTarget.InCluster.fleet(session.namespace()), session.client(), Duration.ofSeconds(5)),
                journal::append, Clock.systemUTC()));
    }

    /** The user's own run folder ({@code $XDG_STATE_HOME/fleet-console/runs}). */
    public static RunStore userStore() {
        return new RunStore(RunStore.defaultDirectory(System.getenv(), Path.of(System.getProperty("user.home"))));
    }
}
