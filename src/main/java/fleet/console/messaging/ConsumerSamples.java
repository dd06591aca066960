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
 * Each consumer's series is a bounded ring: readings older than the window go, and never more than
 * {@code capacity} are kept (a console left open for days holds minutes, not days). A consumer that is
 * gone from a reading of every consumer is forgotten with its series.
 */
public final class ConsumerSamples {

    /** One reading of a consumer. */
    public record Sample(Instant time, long unprocessed, long ackPending, long ackFloor) {
    }

    /** Readings kept per consumer at most: 10 minutes at one reading every 3 s, with room to spare. */
    public static final int DEFAULT_CAPACITY = 240;

    private final Duration window;
    private final int capacity;
    private final Map<String, Deque<Sample>> byConsumer = new ConcurrentHashMap<>();

    public ConsumerSamples(Duration window) {
        this(window, DEFAULT_CAPACITY);
    }

    public ConsumerSamples(Duration window, int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("a series needs room for 2 readings at least, not " + capacity);
        }
        this.window = window;
        this.capacity = capacity;
    }

    public static ConsumerSamples lastMinutes(int minutes) {
        return new ConsumerSamples(Duration.ofMinutes(minutes));
    }

    public Duration window() {
        return window;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * One reading of these consumers. Consumers not among them keep their series (a reading of one
     * stream says nothing of the others); {@link #retainOnly} forgets those that are gone.
     */
    public void record(Instant now, List<ConsumerRow> consumers) {
        for (ConsumerRow c : consumers) {
            Deque<Sample> series = byConsumer.computeIfAbsent(c.key(), k -> new ArrayDeque<>());
            synchronized (series) {
                series.addLast(new Sample(now, c.unprocessed(), c.ackPending(), c.ackFloorSequence()));
                while (series.size() > capacity
                        || (!series.isEmpty() && series.peekFirst().time().isBefore(now.minus(window)))) {
                    series.removeFirst();
                }
            }
        }
    }

    /** A reading of every consumer: the series of consumers not in it (deleted ones) are forgotten. */
    public void retainOnly(List<ConsumerRow> consumers) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        consumers.forEach(c -> keys.add(c.key()));
        byConsumer.keySet().retainAll(keys);
    }

    /** How many consumers have a series. */
    public int consumerCount() {
        return byConsumer.size();
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
