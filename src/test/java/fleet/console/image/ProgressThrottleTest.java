package fleet.console.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jib's flood of events reaches a screen a few times a second, the latest state each time. */
class ProgressThrottleTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static BuildProgress update(long bytes, Instant at) {
        return new BuildProgress(BuildProgress.Stage.BUILDING, List.of(), bytes, at);
    }

    @Test
    void aHundredUpdatesInOneSecondArePassedOnFourTimes() {
        ManualClock clock = new ManualClock();
        List<BuildProgress> seen = new ArrayList<>();
        ProgressThrottle throttle = new ProgressThrottle(seen::add, clock, Duration.ofMillis(250));

        for (int i = 0; i < 100; i++) {
            throttle.offer(update(i, clock.instant()));
            clock.advance(Duration.ofMillis(10));
        }

        assertEquals(4, seen.size());
        assertEquals(List.of(0L, 25L, 50L, 75L), seen.stream().map(BuildProgress::bytesPushed).toList());
    }

    @Test
    void whatWasHeldBackIsSentByFlushSoTheLastStateIsNeverLost() {
        ManualClock clock = new ManualClock();
        List<BuildProgress> seen = new ArrayList<>();
        ProgressThrottle throttle = new ProgressThrottle(seen::add, clock, Duration.ofMillis(250));
        throttle.offer(update(1, clock.instant()));
        throttle.offer(update(2, clock.instant()));

        throttle.flush();
        throttle.flush();

        assertEquals(List.of(1L, 2L), seen.stream().map(BuildProgress::bytesPushed).toList());
    }

    @Test
    void aForcedUpdateGoesOutAtOnceAndDropsTheOneHeldBack() {
        ManualClock clock = new ManualClock();
        List<BuildProgress> seen = new ArrayList<>();
        ProgressThrottle throttle = new ProgressThrottle(seen::add, clock, Duration.ofMillis(250));
        throttle.offer(update(1, clock.instant()));
        throttle.offer(update(2, clock.instant()));

        throttle.force(update(3, clock.instant()));
        throttle.flush();

        assertEquals(List.of(1L, 3L), seen.stream().map(BuildProgress::bytesPushed).toList());
    }

    @Test
    void aFailingListenerDoesNotStopTheUpdates() {
        ManualClock clock = new ManualClock();
        List<BuildProgress> seen = new ArrayList<>();
        ProgressThrottle throttle = new ProgressThrottle(p -> {
            seen.add(p);
            throw new IllegalStateException("the screen is gone");
        }, clock, Duration.ZERO);

        throttle.offer(update(1, clock.instant()));
        throttle.offer(update(2, clock.instant()));

        assertEquals(2, seen.size());
    }
}
