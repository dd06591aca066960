package fleet.console.cluster.pods;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What a PodWatch listener has been told, kept as the table would keep it; tests wait on its notifications. */
final class WatchedRows implements PodWatch.Listener {

    private final Map<String, PodRow> rows = new LinkedHashMap<>();
    private final List<Integer> callSizes = new ArrayList<>();
    private int calls;

    @Override
    public synchronized void changed(List<PodRow> upserted, List<String> removedUids) {
        calls++;
        callSizes.add(upserted.size());
        upserted.forEach(r -> rows.put(r.uid(), r));
        removedUids.forEach(rows::remove);
        notifyAll();
    }

    @Override
    public void connection(boolean stale, Instant since, String why) {
    }

    synchronized List<PodRow> rows() {
        return List.copyOf(rows.values());
    }

    synchronized int calls() {
        return calls;
    }

    synchronized int firstCallSize() {
        return callSizes.isEmpty() ? -1 : callSizes.get(0);
    }

    /** Waits until the rows satisfy the condition; false on timeout. */
    synchronized boolean await(Predicate<List<PodRow>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (calls == 0 || !condition.test(List.copyOf(rows.values()))) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
