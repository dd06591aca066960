package fleet.console.ui.common;

import javafx.application.Platform;

import java.util.concurrent.TimeUnit;

/**
 * The screen first: background threads that feed it (a followed log's readers and its delivery) step aside
 * while the UI thread is in a frame, as long as their data waits to be shown. On a machine with few cores,
 * a frame otherwise shares the cores with the very threads that flood it, and takes two or three times its
 * own CPU time in wall time (the logs benchmark on 2 cores, with no garbage collection at all: frames 40 ms
 * of CPU apart came 100 ms apart).
 * <p>
 * A frame is under way from the start of its pulse ({@link #frameStarted()}, called by
 * {@link FrameBatcher#fxFrames()}'s timer, which runs only while some batcher has data waiting) until the UI
 * thread has finished that pulse (CSS, layout, handing the scene to the renderer): a {@code runLater} posted
 * at its start runs right after it. A background thread that calls {@link #yieldToFrame()} meanwhile waits
 * for that end, never longer than {@link #MAX_WAIT_MILLIS} after the frame started, so a frame that hangs
 * slows a stream down and never stops it. An idle screen, or one with nothing waiting to be shown, never
 * holds anything up.
 */
public final class FramePriority {

    /** The longest a background thread waits for a frame, counted from the frame's start. */
    static final long MAX_WAIT_MILLIS = 60;

    private static final Object LOCK = new Object();
    /** When the frame under way started ({@link System#nanoTime()}); 0 when none is. Written under the lock. */
    private static volatile long frameSince;
    private static long frames;
    private static long waits;

    private FramePriority() {
    }

    /** On the UI thread, at the start of a pulse while data waits to be shown: the frame is under way until the pulse ends. */
    static void frameStarted() {
        synchronized (LOCK) {
            if (frameSince != 0) {
                return;
            }
            frameSince = Math.max(1, System.nanoTime());
            frames++;
        }
        Platform.runLater(FramePriority::frameDone);
    }

    /** The pulse that started a frame is over: whoever waits for it goes on. Any thread. */
    static void frameDone() {
        synchronized (LOCK) {
            frameSince = 0;
            LOCK.notifyAll();
        }
    }

    /**
     * On a background thread feeding the screen, before it hands more over: returns at once unless a frame is
     * under way, else when it is done or {@link #MAX_WAIT_MILLIS} after it started. Keeps the thread's
     * interrupt status (an interrupted wait returns at once).
     */
    public static void yieldToFrame() {
        yieldToFrame(MAX_WAIT_MILLIS);
    }

    /** As above, waiting at most {@code maxWaitMillis} after the frame started. */
    static void yieldToFrame(long maxWaitMillis) {
        // Most calls find no frame under way: they return without taking the lock (or asking the toolkit
        // anything: a view-model fed in a test runs without one).
        if (frameSince == 0 || Platform.isFxApplicationThread()) {
            // On the FX thread, the frame's end runs on this very thread: waiting here would only delay it.
            return;
        }
        synchronized (LOCK) {
            if (frameSince == 0) {
                return;
            }
            waits++;
            long until = frameSince + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
            while (frameSince != 0) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(LOCK, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Whether a frame is under way now. */
    static boolean frameUnderWay() {
        synchronized (LOCK) {
            return frameSince != 0;
        }
    }

    /** Frames that went first, and the times a background thread waited for one (for the benchmarks' notes). */
    public static long[] counts() {
        synchronized (LOCK) {
            return new long[] {frames, waits};
        }
    }
}
