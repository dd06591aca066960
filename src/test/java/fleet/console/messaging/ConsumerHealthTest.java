package fleet.console.messaging;

import fleet.console.profile.FleetProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stale consumers are named with their owner and why, in one line. */
class ConsumerHealthTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final FleetProfile PROFILE = FleetProfile.defaults();

    private static ConsumerRow consumer(String durable, boolean push, boolean bound, long waiting, long pending, Instant lastActive) {
        return new ConsumerRow("PLANNING_EVENTS", durable, false, push, push ? "_deliver.x" : "", "", List.of("planning.plan.approved"),
                "explicit", pending, 0, 0, waiting, bound, 10, Optional.ofNullable(lastActive), 10, Optional.ofNullable(lastActive),
                Optional.of(NOW.minus(Duration.ofDays(30))));
    }

    @Test
    void leftoverV2DurableWithNoInterestForAnHourIsStaleAndOwnedByTheOrchestrator() {
        ConsumerRow v2 = consumer("deliberation-collector-completed-v2", true, false, 0, 4012, NOW.minus(Duration.ofHours(3)));
        ConsumerHealth h = ConsumerHealth.judge(v2, PROFILE, ConsumerSamples.lastMinutes(5), NOW);
        assertTrue(h.stale());
        assertEquals(Optional.of("orchestrator"), h.owner());
        assertEquals("4,012 unprocessed, no interest, last active 3h 0m ago", h.verdict());
    }

    @Test
    void unprocessedGrowingWhileNothingAcksIsStaleEvenWhenRecentlyActive() {
        ConsumerSamples samples = ConsumerSamples.lastMinutes(5);
        ConsumerRow before = consumer("orch-planning-plan-approved", false, false, 0, 100, NOW.minus(Duration.ofMinutes(3)));
        ConsumerRow after = consumer("orch-planning-plan-approved", false, false, 0, 180, NOW.minus(Duration.ofMinutes(3)));
        samples.record(NOW.minus(Duration.ofMinutes(2)), List.of(before));
        samples.record(NOW, List.of(after));
        ConsumerHealth h = ConsumerHealth.judge(after, PROFILE, samples, NOW);
        assertTrue(h.stale(), h.verdict());
        assertTrue(h.verdict().startsWith("180 unprocessed and growing"), h.verdict());
    }

    @Test
    void pushDurableNobodyEverReceivedFromIsStaleAfterAMinute() {
        ConsumerRow v2 = new ConsumerRow("AGENT_RESPONSES", "deliberation-collector-completed-v2", false, true, "_deliver.v2", "collectors",
                List.of("agent.response.completed"), "explicit", 37, 0, 0, 0, false, 0, Optional.empty(), 0, Optional.empty(),
                Optional.of(NOW.minus(Duration.ofMinutes(2))));
        ConsumerHealth h = ConsumerHealth.judge(v2, PROFILE, ConsumerSamples.lastMinutes(5), NOW);
        assertTrue(h.stale());
        assertEquals("37 unprocessed, never delivered to anyone since it was created 2m ago", h.verdict());
    }

    @Test
    void boundConsumerKeepingUpIsNotStale() {
        ConsumerRow live = consumer("monitoring-dashboard", true, true, 0, 0, NOW.minus(Duration.ofSeconds(5)));
        ConsumerHealth h = ConsumerHealth.judge(live, PROFILE, ConsumerSamples.lastMinutes(5), NOW);
        assertFalse(h.stale());
        assertEquals("up to date", h.verdict());
        assertEquals(Optional.of("monitoring-dashboard"), h.owner());
    }
}
