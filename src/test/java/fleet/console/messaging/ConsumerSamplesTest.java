package fleet.console.messaging;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-consumer rings behind the NATS area's chart: bounded in time and in count, forgetting deleted consumers. */
class ConsumerSamplesTest {

    private static final Instant T0 = Instant.parse("2026-11-27T02:00:00Z");

    private static ConsumerRow row(String durable, long unprocessed, long ackPending) {
        return new ConsumerRow("PLANNING_EVENTS", durable, false, false, "", "", List.of("planning.>"), "explicit", unprocessed,
                ackPending, 0, 1, false, 0, Optional.empty(), 0, Optional.empty(), Optional.of(T0));
    }

    @Test
    void readingsOlderThanTheWindowAreDroppedAndTheRestKeptInOrder() {
        ConsumerSamples samples = new ConsumerSamples(Duration.ofMinutes(10), 1000);
        for (int minute = 0; minute <= 14; minute++) {
            samples.record(T0.plus(Duration.ofMinutes(minute)), List.of(row("a", minute, minute % 3)));
        }

        List<ConsumerSamples.Sample> series = samples.series("PLANNING_EVENTS > a");
        // At minute 14 the window reaches back to minute 4: minutes 0..3 are gone.
        assertThat(series).extracting(ConsumerSamples.Sample::unprocessed).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
        assertThat(series.get(0).time()).isEqualTo(T0.plus(Duration.ofMinutes(4)));
        assertThat(series.get(series.size() - 1).ackPending()).isEqualTo(14 % 3);
    }

    @Test
    void aSeriesNeverHoldsMoreThanItsCapacityHoweverOftenItIsRead() {
        ConsumerSamples samples = new ConsumerSamples(Duration.ofMinutes(10), 50);
        for (int i = 0; i < 500; i++) {
            samples.record(T0.plusMillis(i * 100L), List.of(row("a", i, 0), row("b", 2L * i, 1)));
        }

        assertThat(samples.series("PLANNING_EVENTS > a")).hasSize(50);
        assertThat(samples.series("PLANNING_EVENTS > a").get(0).unprocessed()).as("the oldest went first").isEqualTo(450);
        assertThat(samples.series("PLANNING_EVENTS > b")).hasSize(50);
        assertThat(samples.series("PLANNING_EVENTS > b").get(49).unprocessed()).isEqualTo(998);
    }

    @Test
    void aConsumerGoneFromAFullReadingIsForgottenWithItsSeries() {
        ConsumerSamples samples = ConsumerSamples.lastMinutes(10);
        samples.record(T0, List.of(row("a", 1, 0), row("b", 2, 0)));
        samples.retainOnly(List.of(row("a", 1, 0), row("b", 2, 0)));
        assertThat(samples.consumerCount()).isEqualTo(2);

        samples.record(T0.plusSeconds(3), List.of(row("a", 3, 0)));
        samples.retainOnly(List.of(row("a", 3, 0)));

        assertThat(samples.consumerCount()).isEqualTo(1);
        assertThat(samples.series("PLANNING_EVENTS > b")).isEmpty();
        assertThat(samples.series("PLANNING_EVENTS > a")).extracting(ConsumerSamples.Sample::unprocessed).containsExactly(1L, 3L);
        assertThat(samples.capacity()).isEqualTo(ConsumerSamples.DEFAULT_CAPACITY);
    }

    @Test
    void aRingTooSmallForTwoReadingsIsRefused() {
        assertThatThrownBy(() -> new ConsumerSamples(Duration.ofMinutes(1), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
