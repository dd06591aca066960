package fleet.console.runbook;

import fleet.console.cluster.Access;

import java.util.Optional;
import java.util.Set;

/**
 * What a runbook needs to be allowed before it runs, for the command line and the wizard alike: the
 * runbooks that only read need nothing (allowed in read-only mode and to viewers); the council runbooks
 * talk to the orchestrator's pods through port-forwards (or run a Job with --via-job); the others change
 * deployments.
 */
public final class RunbookPermissions {

    /** Runbooks that only read: allowed in read-only mode and to viewers. */
    private static final Set<String> READS_ONLY = Set.of("health", "verify-prerequisites");

    private RunbookPermissions() {
    }

    /** True for a runbook that changes nothing. */
    public static boolean readsOnly(String runbook) {
        return READS_ONLY.contains(runbook);
    }

    /** The permission a changing runbook needs first (asked even of one that only reads: see {@link #needed}). */
    public static Access.Permission permissionFor(String runbook, RunOptions options, String namespace) {
        if (runbook.startsWith("councils-")) {
            return options.viaJob() ? Access.Permission.of("create", "batch", "jobs", namespace)
                    : new Access.Permission("create", "", "pods", "portforward", namespace);
        }
        return Access.Permission.of("patch", "apps", "deployments", namespace);
    }

    /** The permission to ask before running it; empty for a runbook that only reads. */
    public static Optional<Access.Permission> needed(String runbook, RunOptions options, String namespace) {
        return readsOnly(runbook) ? Optional.empty() : Optional.of(permissionFor(runbook, options, namespace));
    }
}
