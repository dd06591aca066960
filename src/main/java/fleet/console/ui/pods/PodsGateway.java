package fleet.console.ui.pods;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.pods.PodDetail;
import fleet.console.cluster.pods.PodRow;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.ui.logs.LogOrigin;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the Pods area asks of a cluster, in one seam: the application's gateway reads through the
 * cluster package; view-model tests give synthetic rows. Every method but {@link #podLogs} and
 * {@link #kubectl} may block and is called on a background thread.
 */
public interface PodsGateway {

    /** Where the watch's changes go, on the watch's thread. */
    interface RowListener {
        /** Rows added or changed, and uids removed; the first call is the whole first list. */
        void changed(List<PodRow> upserted, List<String> removedUids);

        /** The watch lost the API server ({@code stale}) since then and why, or got it back. */
        void connection(boolean stale, Instant since, String why);
    }

    /** The journal as read: its entries, and how many lines of it could not be read. */
    record AuditContents(Path file, List<AuditEntry> entries, int unreadableLines) {
        public AuditContents {
            entries = List.copyOf(entries);
        }
    }

    /** Starts following the session's pods; what it returns stops that. */
    AutoCloseable watch(ClusterSession session, RowListener listener);

    /** The pod's detail now; empty when the pod no longer exists. */
    Optional<PodDetail> inspect(ClusterSession session, String pod);

    /** Deletes the pod and writes the audit journal; throws with the API's words when it cannot. */
    void delete(ClusterSession session, String pod);

    AuditContents audit();

    /** Reads one pod's containers (the view chooses one of {@code containers}). */
    LogOrigin podLogs(ClusterSession session, PodRow pod, List<String> containers);

    /**
     * Reads every pod of a workload, interleaved by time, each line with its pod. Finds the pods first.
     *
     * @throws IllegalArgumentException when the workload does not exist (any more)
     */
    LogOrigin workloadLogs(ClusterSession session, WorkloadRef workload);

    /** The kubectl equivalents of what the Pods area shows and does for this pod. */
    List<KubectlCommand> kubectl(ClusterSession session, PodRow pod, Optional<PodDetail> detail);
}
