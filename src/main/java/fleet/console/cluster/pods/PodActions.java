package fleet.console.cluster.pods;

import fleet.console.audit.AuditEntry;
import fleet.console.audit.AuditJournal;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/**
 * What the console does to pods. Every action is written to the audit journal with how it ended,
 * whether it worked or not: an operator reviewing an incident needs the failed attempts too.
 */
public final class PodActions {

    public static final String DELETE = "delete pod";

    private final KubernetesClient client;
    private final String context;
    private final String namespace;
    private final AuditJournal journal;
    private final Clock clock;

    public PodActions(KubernetesClient client, String context, String namespace, AuditJournal journal) {
        this(client, context, namespace, journal, Clock.systemUTC());
    }

    PodActions(KubernetesClient client, String context, String namespace, AuditJournal journal, Clock clock) {
        this.client = client;
        this.context = context;
        this.namespace = namespace;
        this.journal = journal;
        this.clock = clock;
    }

    /**
     * Deletes the pod (gracefully, as kubectl does); its workload, if any, starts a replacement. Returns
     * once the API server accepted the deletion; the pod shows Terminating until it is gone.
     *
     * @throws PodActionException when the pod does not exist or the deletion was refused
     */
    public void delete(String podName) {
        String failure;
        KubernetesClientException cause = null;
        try {
            List<StatusDetails> deleted = client.pods().inNamespace(namespace).withName(podName).delete();
            failure = deleted.isEmpty() ? "Pod " + podName + " does not exist in namespace " + namespace
                    + " (already deleted?); nothing was deleted." : null;
        } catch (KubernetesClientException e) {
            cause = e;
            failure = switch (e.getCode()) {
                case 403 -> "Not allowed to delete pod " + podName + " in namespace " + namespace + " on context " + context
                        + ": " + apiMessage(e) + ". Ask for the 'delete pods' permission, or use a context that has it.";
                case 404 -> "Pod " + podName + " does not exist in namespace " + namespace + " (already deleted?); nothing was deleted.";
                case 0 -> "Could not reach the API server of context " + context + " to delete pod " + podName + ": "
                        + apiMessage(e) + ". Check the connection, then try again.";
                default -> "The API server refused to delete pod " + podName + " (HTTP " + e.getCode() + "): " + apiMessage(e) + ".";
            };
        }
        record(DELETE, podName, failure == null ? "ok" : failure);
        if (failure != null) {
            throw new PodActionException(failure, cause);
        }
    }

    private void record(String action, String target, String result) {
        try {
            journal.append(new AuditEntry(clock.instant(), context, namespace, action, target, result));
        } catch (UncheckedIOException e) {
            throw new PodActionException((result.equals("ok") ? "Pod " + target + " was deleted, but " : result + " Also, ")
                    + e.getMessage(), e);
        }
    }

    private static String apiMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return String.valueOf(e.getMessage());
    }
}
