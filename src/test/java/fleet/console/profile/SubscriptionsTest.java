package fleet.console.profile;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static fleet.console.profile.Refusals.problemMentioning;
import static fleet.console.profile.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The subjects the services' durables filter on: what "is it receiving its messages?" is checked against. */
class SubscriptionsTest {

    @Test
    void theDefaultsSayWhichSubjectEachCurrentDurableFiltersOn() throws Exception {
        FleetProfile p = FleetProfile.defaults();
        ServiceSpec orchestrator = p.service("orchestrator").orElseThrow();
        assertEquals(Optional.of("planning.story.transitioned"), orchestrator.subjectOf("orch-planning-story-transitions"));
        assertEquals(Optional.of("agent.response.completed"), orchestrator.subjectOf("deliberation-collector-completed-v3"));
        assertTrue(orchestrator.subjectOf("deliberation-collector-completed-v2").isEmpty(), "a leftover is owned, not subscribed");
        assertEquals(List.of("monitoring-dashboard"), List.copyOf(p.service("monitoring-dashboard").orElseThrow().subscriptions().keySet()));
        for (ServiceSpec s : p.services()) {
            for (var e : s.subscriptions().entrySet()) {
                assertTrue(s.ownsDurable(e.getKey()), s.name() + " owns " + e.getKey());
                assertTrue(p.streams().stream().anyMatch(st -> st.captures(e.getValue())), "a declared stream keeps " + e.getValue());
            }
        }
        assertTrue(p.service("ray-executor").orElseThrow().subscriptions().isEmpty());
    }

    @Test
    void aUserFileCanNameTheSubjectOfItsOwnDurable() throws Exception {
        FleetProfile p = FleetProfile.parse("""
                services:
                  - name: context
                    subscriptions:
                      context-planning-story-created: planning.story.created.v2
                """, "profile.yaml");
        assertEquals(Optional.of("planning.story.created.v2"), p.service("context").orElseThrow().subjectOf("context-planning-story-created"));
        assertEquals(1, p.service("context").orElseThrow().subscriptions().size(), "a mapping replaces ours whole, like a list");
    }

    @Test
    void ownDurablesWithoutOwnSubscriptionsKeepOnlyTheBuiltInSubscriptionsOfDurablesStillOwned() throws Exception {
        FleetProfile p = FleetProfile.parse("""
                services:
                  - name: context
                    durables: [context-all, context-planning-story-created]
                """, "profile.yaml");
        assertEquals(java.util.Map.of("context-planning-story-created", "planning.story.created"),
                p.service("context").orElseThrow().subscriptions(), "the built-in subjects of durables it no longer has are dropped");
    }

    @Test
    void aSubscriptionToADurableTheServiceDoesNotOwnIsRefusedWithTheClosestName() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    subscriptions:
                      orch-planning-story-transition: planning.story.transitioned
                """);
        ProfileProblem problem = problemMentioning(refusal, "subscription \"orch-planning-story-transition\" of service \"orchestrator\" is not one of its durables");
        assertEquals(4, problem.line());
        assertTrue(problem.message().contains("did you mean \"orch-planning-story-transitions\"?"), problem.message());
    }

    @Test
    void aSubjectNatsWouldRefuseIsRefused() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    subscriptions:
                      orch-planning-plan-approved: "planning. plan"
                """);
        assertTrue(problemMentioning(refusal, "subject \"planning. plan\" of subscription orch-planning-plan-approved").message()
                .contains("contains white space"));
    }

    @Test
    void subscriptionsMustBeAMapping() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    subscriptions: [orch-planning-plan-approved]
                """);
        assertTrue(problemMentioning(refusal, "subscriptions of service \"orchestrator\" must be a set of durable: subject pairs, not a list")
                .message().contains("orch-planning-story-transitions: planning.story.transitioned"));
    }
}
