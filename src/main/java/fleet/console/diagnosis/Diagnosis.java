package fleet.console.diagnosis;

import java.util.List;
import java.util.Optional;

/**
 * Why something fails, as the console concludes it from the same evidence an expert would read.
 *
 * @param id          stable while the cause lasts ({@code rule:kind/name}), for the UI to keep selections
 * @param rule        the rule that concluded it
 * @param cause       the cause in a few words ({@code NATS not ready})
 * @param explanation what is wrong here, with the names and numbers of this case
 * @param symptom     what an operator sees ({@code CrashLoopBackOff}, {@code Pending}, {@code not receiving messages})
 * @param confidence  how sure; lower when another cause competes for the same symptom
 * @param evidence    the log lines, events and fields that prove it, each with its source
 * @param fix         the cure: a runbook with its options, or commands
 * @param section     the runbook section the rule comes from
 * @param blockedBy   ids of diagnoses to fix first (this one fails because of them)
 * @param competing   ids of other causes offered for the same symptom of the same subject
 * @param path        a NATS subscription a test publish can prove ({@code DiagnosisService.prove})
 */
public record Diagnosis(String id, String rule, String cause, String explanation, Subject subject, String symptom,
                        Severity severity, Confidence confidence, List<Evidence> evidence, Optional<Fix> fix,
                        RunbookSection section, List<String> blockedBy, List<String> competing,
                        Optional<NatsPath> path) {

    public Diagnosis {
        evidence = List.copyOf(evidence);
        blockedBy = List.copyOf(blockedBy);
        competing = List.copyOf(competing);
    }

    /** Whether another cause is offered for the same symptom: the UI shows the confidence then. */
    public boolean contested() {
        return !competing.isEmpty();
    }

    Diagnosis withBlockedBy(List<String> ids) {
        return new Diagnosis(id, rule, cause, explanation, subject, symptom, severity, confidence, evidence, fix, section, ids, competing, path);
    }

    Diagnosis withCompeting(List<String> ids) {
        return new Diagnosis(id, rule, cause, explanation, subject, symptom, severity, confidence, evidence, fix, section, blockedBy, ids, path);
    }

    Diagnosis withConfidence(Confidence value) {
        return new Diagnosis(id, rule, cause, explanation, subject, symptom, severity, value, evidence, fix, section, blockedBy, competing, path);
    }

    /** The same diagnosis with more evidence (a test publish's result). */
    public Diagnosis withMoreEvidence(List<Evidence> more) {
        List<Evidence> all = new java.util.ArrayList<>(evidence);
        all.addAll(more);
        return new Diagnosis(id, rule, cause, explanation, subject, symptom, severity, confidence, all, fix, section, blockedBy, competing, path);
    }
}
