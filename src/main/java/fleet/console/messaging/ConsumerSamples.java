package fleet.console.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unprocessed and ack-pending counts of each consumer over the last minutes, sampled while the console
 * is open: the small chart per consumer, and the evidence for "unprocessed growing while nothing acks".
 */
public final class ConsumerSamples {

    /** One reading of a consumer. */
    public record Sample(Instant time, long unprocessed, long ackPending, long ackFloor) {
    }

    private final Duration window;
    private final Map<String, Deque<Sample>> byConsumer = new ConcurrentHashMap<>();

    public ConsumerSamples(Duration window) {
        this.window = window;
    }

    public static ConsumerSamples lastMinutes(int minutes) {
        return new ConsumerSamples(Duration.ofMinutes(minutes));
    }

    public void record(Instant now, List<ConsumerRow> consumers) {
        for (ConsumerRow c : consumers) {
            Deque<Sample> series = byConsumer.computeIfAbsent(c.key(), k -> new ArrayDeque<>());
            synchronized (series) {
                series.addLast(new Sample(now, c.unprocessed(), c.ackPending(), c.ackFloorSequence()));
                while (!series.isEmpty() && series.peekFirst().time().isBefore(now.minus(window))) {
                    series.removeFirst();
                }
            }
        }
    }

    public List<Sample> series(String consumerKey) {
        Deque<Sample> series = byConsumer.get(consumerKey);
        if (series == null) {
            return List.of();
        }
        synchronized (series) {
            return List.copyOf(series);
        }
    }

    /**
     * Unprocessed grew over the window and the acknowledgement floor did not move: messages arrive and
     * nobody handles them. Needs at least two readings a minute apart.
     */
    public boolean growingWhileNothingAcks(String consumerKey, Duration atLeast) {
        List<Sample> s = series(consumerKey);
        if (s.size() < 2) {
            return false;
        }
        Sample first = s.get(0);
        Sample last = s.get(s.size() - 1);
        return Duration.between(first.time(), last.time()).compareTo(atLeast) >= 0
                && last.unprocessed() > first.unprocessed() && last.ackFloor() == first.ackFloor();
    }
}
