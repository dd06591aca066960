package fleet.console.ui.common;

/**
 * Where a view keeps the watch of its session, started on the background executor: a watch that
 * arrives after the slot was closed (the session was let go of meanwhile) is closed at once, and
 * closing closes what it holds.
 */
public final class WatchSlot<W extends AutoCloseable> {

    private W watch;
    private boolean closed;

    /** Keeps the started watch, or closes it when the slot was already closed. */
    public void set(W started) {
        synchronized (this) {
            if (!closed) {
                watch = started;
                return;
            }
        }
        closeQuietly(started);
    }

    /** Closes the watch held, and any set later. */
    public void close() {
        W toClose;
        synchronized (this) {
            closed = true;
            toClose = watch;
            watch = null;
        }
        if (toClose != null) {
            closeQuietly(toClose);
        }
    }

    private static void closeQuietly(AutoCloseable w) {
        try {
            w.close();
        } catch (Exception e) {
            // The session is being let go of; a watch that fails to close is gone with it.
            System.getLogger(WatchSlot.class.getName()).log(System.Logger.Level.DEBUG, "Closing a watch failed", e);
        }
    }
}
