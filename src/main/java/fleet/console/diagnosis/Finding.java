package fleet.console.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a rule's matcher found about one subject: the case's own words, evidence and fix. The rule adds
 * the rest (cause, section, severity, confidence) unless the finding says otherwise.
 */
public final class Finding {

    final Subject subject;
    final String symptom;
    final String explanation;
    final List<Evidence> evidence = new ArrayList<>();
    Optional<Fix> fix = Optional.empty();
    Optional<String> cause = Optional.empty();
    Optional<Confidence> confidence = Optional.empty();
    Optional<Severity> severity = Optional.empty();
    Optional<RunbookSection> section = Optional.empty();
    Optional<NatsPath> path = Optional.empty();
    final Set<String> provides = new LinkedHashSet<>();
    final Set<String> needs = new LinkedHashSet<>();

    private Finding(Subject subject, String symptom, String explanation) {
        this.subject = subject;
        this.symptom = symptom;
        this.explanation = explanation;
    }

    /**
     * @param symptom what the operator sees; findings of one subject with the same symptom compete
     */
    public static Finding of(Subject subject, String symptom, String explanation) {
        return new Finding(subject, symptom, explanation);
    }

    public Finding evidence(String what, String text, EvidenceSource source) {
        evidence.add(new Evidence(what, text, source));
        return this;
    }

    public Finding evidence(List<Evidence> more) {
        evidence.addAll(more);
        return this;
    }

    public Finding fix(Fix value) {
        fix = Optional.ofNullable(value);
        return this;
    }

    /** This case's cause in other words than the rule's ({@code NATS not ready} vs {@code Cannot reach NATS}). */
    public Finding cause(String value) {
        cause = Optional.of(value);
        return this;
    }

    public Finding confidence(Confidence value) {
        confidence = Optional.of(value);
        return this;
    }

    public Finding severity(Severity value) {
        severity = Optional.of(value);
        return this;
    }

    /** Another section of the runbook than the rule's (the councils' Job among Jobs). */
    public Finding section(RunbookSection value) {
        section = Optional.of(value);
        return this;
    }

    /** The subscription a test publish can prove. */
    public Finding path(NatsPath value) {
        path = Optional.of(value);
        return this;
    }

    /** Other failures can name this one as what blocks them ({@code nats}). */
    public Finding provides(String key) {
        provides.add(key);
        return this;
    }

    /** This subject also fails because of whatever provides {@code key}, while that lasts. */
    public Finding needs(String key) {
        needs.add(key);
        return this;
    }

    public Subject subject() {
        return subject;
    }
}
