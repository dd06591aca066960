package fleet.console.ui.common;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * {@link FxBatcher}'s sibling for streams of data (log lines): producers on any thread add items; the
 * UI thread takes them once per frame, at most {@code perFrame} at a time, so a pod that writes a
 * million lines a second costs a bounded piece of each frame instead of a {@code runLater} per line or
 * one long stall. Frames are only asked for while items wait: an idle view costs nothing.
 * <p>
 * The queue is bounded too: when the UI falls behind by more than {@code maxWaiting} items, the oldest
 * waiting ones are dropped and their count handed over first ({@code onOverflow}), so the consumer can
 * say exactly how many it never saw.
 */
public final class FrameBatcher<T> {

    /** The screen's frames: once started, calls its tick on the UI thread once per frame until stopped. */
    public interface Frames {
        /** May be called from any thread. */
        void start(Runnable tick);

        /** Called from the tick, on the UI thread. */
        void stop();
    }

    private final Frames frames;
    private final int perFrame;
    private final int maxWaiting;
    private final Consumer<List<T>> onFrame;
    private final LongConsumer onOverflow;
    private final Object lock = new Object();
    private final ArrayDeque<T> waiting = new ArrayDeque<>();
    private long overflowed;
    private boolean running;
    private boolean closed;

    public FrameBatcher(Frames frames, int perFrame, int maxWaiting, Consumer<List<T>> onFrame, LongConsumer onOverflow) {
        if (perFrame < 1 || maxWaiting < 1) {
            throw new IllegalArgumentException("perFrame and maxWaiting must be positive");
        }
        this.frames = Objects.requireNonNull(frames);
        this.perFrame = perFrame;
        this.maxWaiting = maxWaiting;
        this.onFrame = Objects.requireNonNull(onFrame);
        this.onOverflow = Objects.requireNonNull(onOverflow);
    }

    /**
     * The JavaFX pulse: an {@link AnimationTimer} started on the FX thread. One instance may serve several
     * batchers (a view's log restarted, several logs open): each one's tick runs on every frame until that
     * one stops, and the timer runs only while some tick wants frames.
     */
    public static Frames fxFrames() {
        return new Frames() {
            private final java.util.Set<Runnable> ticks = new java.util.LinkedHashSet<>();
            private Runnable ticking;
            private AnimationTimer timer;

            @Override
            public void start(Runnable tick) {
                Platform.runLater(() -> {
                    ticks.add(tick);
                    if (timer == null) {
                        timer = new AnimationTimer() {
                            @Override
                            public void handle(long now) {
                                // While data waits to be shown, each frame goes first: the threads that feed
                                // the batchers wait until this pulse is over.
                                FramePriority.frameStarted();
                                for (Runnable t : List.copyOf(ticks)) {
                                    ticking = t;
                                    try {
                                        t.run();
                                    } finally {
                                        ticking = null;
                                    }
                                }
                                if (ticks.isEmpty()) {
                                    stop();
                                }
                            }
                        };
                    }
                    timer.start();
                });
            }

            @Override
            public void stop() {
                if (ticking != null) {
                    ticks.remove(ticking);
                }
                if (ticks.isEmpty() && timer != null) {
                    timer.stop();
                }
            }
        };
    }

    /** Safe from any thread. */
    public void addAll(List<? extends T> items) {
        if (items.isEmpty()) {
            return;
        }
        boolean start;
        synchronized (lock) {
            if (closed) {
                return;
            }
            waiting.addAll(items);
            int over = waiting.size() - maxWaiting;
            for (int i = 0; i < over; i++) {
                waiting.pollFirst();
            }
            if (over > 0) {
                overflowed += over;
            }
            start = !running;
            running = true;
        }
        if (start) {
            frames.start(this::tick);
        }
    }

    /** Items not handed over yet. */
    public int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    /** Hands nothing over any more; what waits is dropped (the view it fed is gone or starts over). */
    public void close() {
        synchronized (lock) {
            closed = true;
            waiting.clear();
        }
    }

    private void tick() {
        List<T> batch;
        long over;
        boolean stop;
        synchronized (lock) {
            if (closed) {
                running = false;
                stop = true;
                batch = List.of();
                over = 0;
            } else {
                int n = Math.min(perFrame, waiting.size());
                batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    batch.add(waiting.pollFirst());
                }
                over = overflowed;
                overflowed = 0;
                stop = waiting.isEmpty();
                if (stop) {
                    running = false;
                }
            }
        }
        if (stop) {
            frames.stop();
        }
        if (over > 0) {
            onOverflow.accept(over);
        }
        if (!batch.isEmpty()) {
            onFrame.accept(batch);
        }
    }
}
