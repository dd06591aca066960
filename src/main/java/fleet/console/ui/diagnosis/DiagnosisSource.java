package fleet.console.ui.diagnosis;

import fleet.console.cluster.ClusterSession;
import fleet.console.diagnosis.Diagnosis;
import fleet.console.diagnosis.DiagnosisReport;

import java.util.function.Consumer;

/**
 * What the Pods area asks of the diagnosis, in one seam: the application's source diagnoses the session's
 * cluster; view-model tests give reports of their own. Every method may block and is called on a
 * background thread.
 */
public interface DiagnosisSource {

    /** Starts following the session's namespace: the listener gets each report that differs (on a background thread). */
    AutoCloseable follow(ClusterSession session, Consumer<DiagnosisReport> listener);

    /** A pod's diagnoses now, with its workload's and what blocks them. */
    DiagnosisReport pod(ClusterSession session, String pod);

    /** The runbook's test publish for a diagnosis with a NATS path; the diagnosis with the result as evidence. */
    Diagnosis prove(ClusterSession session, Diagnosis diagnosis);
}
