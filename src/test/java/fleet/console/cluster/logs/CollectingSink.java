package fleet.console.cluster.logs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A sink that keeps what it was given and lets a test wait, on the sink's own notifications, for a condition. */
final class CollectingSink implements LogStream.Sink {

    final List<List<LogLine>> batches = new ArrayList<>();
    final List<LogStreamStatus> statuses = new ArrayList<>();

    @Override
    public synchronized void lines(List<LogLine> batch) {
        batches.add(List.copyOf(batch));
        notifyAll();
    }

    @Override
    public synchronized void status(LogStreamStatus status) {
        statuses.add(status);
        notifyAll();
    }

    synchronized List<LogLine> lines() {
        return batches.stream().flatMap(List::stream).toList();
    }

    synchronized List<LogStreamStatus> statuses() {
        return List.copyOf(statuses);
    }

    /** Waits until the condition holds on what arrived; false on timeout. */
    synchronized boolean await(Predicate<CollectingSink> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    synchronized long count(String kind) {
        return statuses.stream().filter(s -> s.kind().equals(kind)).count();
    }
}
