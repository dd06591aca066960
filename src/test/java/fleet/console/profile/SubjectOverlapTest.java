package fleet.console.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectOverlapTest {

    @ParameterizedTest(name = "{0} and {1}: {2}")
    @CsvSource({
            "planning.>, planning.story.>, true",
            "planning.>, planning.story.transitioned, true",
            "planning.>, planning, false",
            "agent.request.>, agent.response.>, false",
            "agent.*.completed, agent.response.*, true",
            "agent.*, agent.response.completed, false",
            "context.>, orchestration.>, false",
            ">, anything.at.all, true",
            "a.b, a.b, true",
            "a.b, a.c, false",
            "a.*.c, a.b, false"})
    void subjectFiltersOverlapWhenOneSubjectMatchesBoth(String a, String b, boolean overlap) {
        assertEquals(overlap, SubjectFilters.overlap(a, b));
        assertEquals(overlap, SubjectFilters.overlap(b, a));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "planning..story", ".planning", "planning.", "planning.>.story", "planning.story>",
            "planning story"})
    void filtersNatsWouldRejectAreRecognised(String filter) {
        assertTrue(SubjectFilters.problemWith(filter).isPresent(), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"planning.>", "agent.request.*", ">", "*", "orchestration.deliberation.completed"})
    void wellFormedFiltersAreAccepted(String filter) {
        assertEquals(Optional.empty(), SubjectFilters.problemWith(filter));
    }

    @Test
    void aStreamCapturesTheSubjectsItsFiltersMatch() {
        StreamSpec planning = FleetProfile.defaults().stream("PLANNING_EVENTS").orElseThrow();
        assertTrue(planning.captures("planning.story.transitioned"));
        assertFalse(planning.captures("orchestration.deliberation.completed"));
    }

    @Test
    void theDefaultStreamsDoNotOverlapOneAnother() {
        List<StreamSpec> streams = FleetProfile.defaults().streams();
        for (StreamSpec a : streams) {
            for (StreamSpec b : streams) {
                assertEquals(a == b, a.overlaps(b), a.name() + " / " + b.name());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"90s, 90", "15m, 900", "1h, 3600", "7d, 604800", "30d, 2592000", "1h30m, 5400", "0, 0"})
    void durationsAreWrittenWithAUnit(String text, long seconds) {
        assertEquals(Optional.of(Duration.ofSeconds(seconds)), DurationText.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7", "7 d", "7days", "1w", "-1d", "d"})
    void durationsWithoutAKnownUnitAreNotDurations(String text) {
        assertEquals(Optional.empty(), DurationText.parse(text));
    }
}
