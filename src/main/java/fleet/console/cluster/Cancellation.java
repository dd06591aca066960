package fleet.console.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A long operation's cancel button: the operation checks it between steps and wakes from its waits
 * when it is pressed.
 */
public final class Cancellation {

    private volatile boolean cancelled;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public void cancel() {
        cancelled = true;
        listeners.forEach(Runnable::run);
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Runs when cancel is pressed (at once if it already was). */
    public void onCancel(Runnable listener) {
        listeners.add(listener);
        if (cancelled) {
            listener.run();
        }
    }

    public static Cancellation none() {
        return new Cancellation();
    }
}
