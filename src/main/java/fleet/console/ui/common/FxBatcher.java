package fleet.console.ui.common;

import javafx.application.Platform;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The UI executor of production: moves callbacks from background threads (informers, connection
 * attempts, reads) onto the FX thread. Callbacks that arrive while one hand-over is pending ride along
 * with it, so a burst of events costs one {@code Platform.runLater}, not one per event, and the FX
 * event queue cannot be flooded between two pulses.
 */
public final class FxBatcher implements Executor {

    private final Consumer<Runnable> fxPost;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean handOverPending = new AtomicBoolean();

    public FxBatcher() {
        this(Platform::runLater);
    }

    /** With another way onto the UI thread (tests count the hand-overs through it). */
    public FxBatcher(Consumer<Runnable> fxPost) {
        this.fxPost = Objects.requireNonNull(fxPost);
    }

    @Override
    public void execute(Runnable command) {
        queue.add(Objects.requireNonNull(command));
        if (handOverPending.compareAndSet(false, true)) {
            fxPost.accept(this::drain);
        }
    }

    private void drain() {
        // Cleared before draining: a callback queued while we drain gets a hand-over of its own rather
        // than being stranded behind a flag that says one is pending.
        handOverPending.set(false);
        Runnable next;
        while ((next = queue.poll()) != null) {
            try {
                next.run();
            } catch (RuntimeException e) {
                // One failing callback must not swallow the rest of the batch.
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, e);
            }
        }
    }
}
