package fleet.console.bench;

import javafx.animation.AnimationTimer;

/**
 * The longest time the FX thread went without a frame: an animation timer asks for every pulse, so a
 * gap between two of its calls is time the FX thread spent on something else (handling changes, layout,
 * rendering). What the operator feels as a freeze. Touch on the FX thread only.
 * <p>
 * Beside it, the most CPU the FX thread itself used between two frames ({@link #longestBusyMs}): the
 * rest of a gap is waiting, mostly for the renderer to finish the frame before (a pulse waits for it,
 * and the benchmarks' headless software renderer paints a full window on the CPU, where a desktop's
 * GPU pipeline does not), or for a core on a busy machine. The gap is what is felt; the busy part is
 * what the console's own work on the FX thread costs.
 */
final class FxStallMeter {

    private long last;
    /** The last frame's time, for a thread watching for stalls as they happen. */
    private volatile long lastFrame;
    private long longest;
    private long lastCpu;
    private long longestBusy;
    private long frames;
    private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            // Measured on the wall clock when the timer runs, not the pulse's own stamp, so the work of
            // the pulse before counts in full.
            long t = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            if (last != 0) {
                longest = Math.max(longest, t - last);
                longestBusy = Math.max(longestBusy, cpu - lastCpu);
            }
            last = t;
            lastCpu = cpu;
            lastFrame = t;
            frames++;
        }
    };

    void start() {
        timer.start();
    }

    void stop() {
        timer.stop();
    }

    /** Starts a new measurement period. */
    void reset() {
        last = 0;
        longest = 0;
        longestBusy = 0;
        frames = 0;
    }

    /** Nanoseconds since the FX thread's last frame; 0 before the first. Any thread. */
    long sinceLastFrameNanos() {
        long l = lastFrame;
        return l == 0 ? 0 : System.nanoTime() - l;
    }

    double longestGapMs() {
        return longest / 1_000_000.0;
    }

    /** The most CPU time the FX thread used between two frames of this period. */
    double longestBusyMs() {
        return longestBusy / 1_000_000.0;
    }

    long frames() {
        return frames;
    }
}
