package fleet.console.profile;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** Shorthands for asserting on refused profiles. */
final class Refusals {

    static final String FILE = "profile.yaml";

    private Refusals() {
    }

    static ProfileException refused(String yaml) {
        return assertThrows(ProfileException.class, () -> FleetProfile.parse(yaml, FILE));
    }

    static ProfileProblem problemMentioning(ProfileException refusal, String text) {
        return refusal.problems().stream()
                .filter(problem -> problem.message().contains(text))
                .findFirst()
                .orElseGet(() -> fail("no problem mentions \"" + text + "\" in:\n" + refusal.getMessage()));
    }
}
