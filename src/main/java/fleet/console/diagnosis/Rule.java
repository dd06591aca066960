package fleet.console.diagnosis;

import java.util.List;

/**
 * One troubleshooting rule as data: what cause it concludes, which runbook section it comes from, how
 * severe and sure its conclusion is by default, and its small matcher. The list lives in {@link Rules}.
 *
 * @param role how it competes with other rules on the same symptom
 */
public record Rule(String id, String cause, RunbookSection section, Severity severity, Confidence confidence, Role role,
                   Matcher matcher) {

    /** How a rule's finding stands beside others for the same symptom of the same subject. */
    public enum Role {
        /** Read in the evidence itself (a log signature, a status reason): stands on its own. */
        SPECIFIC,
        /** A circumstance that may explain the symptom (another image than the profile's): one step less sure beside a specific cause. */
        CONTRIBUTING,
        /** What can still be said when nothing else matched (the exit code and the last lines). */
        FALLBACK
    }

    /** Looks at the observations and says what it finds, if anything. */
    @FunctionalInterface
    public interface Matcher {
        List<Finding> match(Observations observations);
    }
}
