package fleet.console.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The collector's pauses while a benchmark measures FX stalls: a pause stops the FX thread too, so next to
 * the longest stall these say how much of it the collector can explain. Recorded from the JVM's own
 * notifications (one per collection, with its duration); the concurrent cycles, which do not stop the
 * application, are left out.
 */
final class GcPauses implements AutoCloseable {

    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::heard;
    private long count;
    private long totalMs;
    private long longestMs;
    /** The most a young collection left in the survivor space: what was still in use of what was just made. */
    private long survivorMostBytes;

    private GcPauses() {
    }

    /** Starts recording now. */
    static GcPauses record() {
        GcPauses pauses = new GcPauses();
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(pauses.listener, null, null);
                pauses.emitters.add(emitter);
            }
        }
        return pauses;
    }

    private synchronized void heard(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        if (info.getGcName().contains("Concurrent") || info.getGcCause().contains("System.gc")) {
            // Concurrent cycles do not stop the application; System.gc() is the benchmark's own heap figure.
            return;
        }
        long ms = info.getGcInfo().getDuration();
        count++;
        totalMs += ms;
        longestMs = Math.max(longestMs, ms);
        info.getGcInfo().getMemoryUsageAfterGc().forEach((pool, usage) -> {
            if (pool.contains("Survivor")) {
                survivorMostBytes = Math.max(survivorMostBytes, usage.getUsed());
            }
        });
    }

    /**
     * Stops recording and notes what was recorded as {@code <prefix>.gc_pauses}, {@code .gc_pause_total},
     * {@code .gc_longest_pause} and {@code .gc_survivors_most} (a pause's length grows with what survives it).
     */
    synchronized void note(String prefix) {
        close();
        Figures.note(prefix + ".gc_pauses", count, "pauses");
        Figures.note(prefix + ".gc_pause_total", totalMs, "ms");
        Figures.note(prefix + ".gc_longest_pause", longestMs, "ms");
        Figures.note(prefix + ".gc_survivors_most", Math.round(survivorMostBytes / 1048576.0), "MB");
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException e) {
                // already removed
            }
        }
        emitters.clear();
    }
}
