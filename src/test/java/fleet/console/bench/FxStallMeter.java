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
    /** Every gap of this period, in nanoseconds (a few thousand at most). */
    private long[] gaps = new long[1024];
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
                if (frames - 1 >= gaps.length) {
                    gaps = java.util.Arrays.copyOf(gaps, gaps.length * 2);
                }
                gaps[(int) (frames - 1)] = t - last;
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

    /**
     * The gap below which this fraction of the period's gaps fall (0.95: all but the longest 5 %). The longest gap
     * is one event and swings with whatever else the machine did at that moment; the gaps near it say whether
     * the long ones are a rule or an accident. 0 before two frames.
     */
    double gapPercentileMs(double fraction) {
        int n = (int) Math.max(0, frames - 1);
        if (n == 0) {
            return 0;
        }
        long[] sorted = java.util.Arrays.copyOf(gaps, n);
        java.util.Arrays.sort(sorted);
        return sorted[(int) Math.min(n - 1, Math.floor(fraction * n))] / 1_000_000.0;
    }

    /** Gaps of this period longer than {@code ms}. */
    long gapsOverMs(double ms) {
        int n = (int) Math.max(0, frames - 1);
        long over = 0;
        for (int i = 0; i < n; i++) {
            if (gaps[i] > ms * 1_000_000) {
                over++;
            }
        }
        return over;
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
