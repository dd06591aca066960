package fleet.console.profile;

import static fleet.console.profile.Refusals.FILE;
import static fleet.console.profile.Refusals.problemMentioning;
import static fleet.console.profile.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DurableOwnershipTest {

    private final FleetProfile defaults = FleetProfile.defaults();

    private Optional<String> owner(FleetProfile profile, String durable) {
        return profile.ownerOfDurable(durable).map(ServiceSpec::name);
    }

    @ParameterizedTest(name = "{0} belongs to {1}")
    @CsvSource({
            "orch-planning-story-transitions, orchestrator",
            "orch-context-milestone, orchestrator",
            "deliberation-collector-completed, orchestrator",
            "deliberation-collector-completed-v2, orchestrator",
            "deliberation-collector-failed-v3, orchestrator",
            "context-planning-epic-created, context",
            "context-orch-task-dispatched, context",
            "monitoring-dashboard, monitoring-dashboard"})
    void durablesSeenInTheFleetBelongToTheServiceThatCreatesThem(String durable, String service) {
        assertEquals(Optional.of(service), owner(defaults, durable));
    }

    @Test
    void aDurableNoServiceDeclaresHasNoOwner() {
        assertEquals(Optional.empty(), owner(defaults, "planner-story-created"));
        assertEquals(Optional.empty(), owner(defaults, "monitoring-dashboard-v2"));
    }

    @Test
    void aLiteralNameWinsOverAnotherServicesPattern() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                services:
                  - name: context-auditor
                    image: registry.underpassai.com/swe-ai-fleet/context-auditor
                    tag: v1.0.0
                    natsConsumers: true
                    durables: [orch-context-audit]
                """, FILE);
        assertEquals(Optional.of("context-auditor"), owner(profile, "orch-context-audit"));
        assertEquals(Optional.of("orchestrator"), owner(profile, "orch-context-updated"));
    }

    @Test
    void starMatchesAnyRunOfCharactersAndNothingElseIsSpecial() {
        assertTrue(ServiceSpec.globMatches("orch-context-*", "orch-context-"));
        assertTrue(ServiceSpec.globMatches("context-planning-*-created", "context-planning-story-created"));
        assertTrue(ServiceSpec.globMatches("*", "anything"));
        assertTrue(ServiceSpec.globMatches("a*b*c", "aXbYbZc"));
        assertFalse(ServiceSpec.globMatches("context-planning-*-created", "context-planning-story-updated"));
        assertFalse(ServiceSpec.globMatches("orch-?", "orch-x"));
        assertFalse(ServiceSpec.globMatches("orch-context", "orch-context-updated"));
    }

    @Test
    void aDurableClaimedByTwoServicesIsRefusedNamingBoth() {
        ProfileException refusal = refused("""
                services:
                  - name: auditor
                    image: registry.underpassai.com/swe-ai-fleet/auditor
                    tag: v1.0.0
                    natsConsumers: true
                    durables:
                      - monitoring-dashboard
                """);
        ProfileProblem problem = problemMentioning(refusal, "durable \"monitoring-dashboard\" is claimed");
        assertEquals(FILE, problem.file());
        assertEquals(7, problem.line());
        assertTrue(problem.message().contains("service \"monitoring-dashboard\" (built-in default-profile.yaml:"),
                problem.message());
        assertTrue(problem.message().contains("keep it only in the service that consumes it"), problem.message());
    }
}
