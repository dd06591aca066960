package fleet.console.sandbox.api;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;

import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes a closing watch out of the emulator's list of watches before the watch shuts down. The
 * emulator (fabric8 8.0 {@code WatchEventsListener}) first stops the watch's sender and only later
 * leaves the list: a write that lands in between hands its event to a stopped sender, which throws,
 * and the write (already stored) answers 500. Clients retry a 500, so a create comes back 409
 * "already exists" for the object it has just made, and the watches after the closing one in the list
 * miss the event. Under load (CI on two cores) that happens. Removing the watch from the list under
 * the emulator's own write lock, as the close arrives, leaves no moment in between.
 *
 * <p>The list and the lock are private fields of the emulator, reached by reflection; if a later
 * version renames them, the sandbox still runs (with the emulator's own, racy, behaviour) and says so.
 */
final class ClosingWatches {

    private static final Logger LOG = Logger.getLogger(ClosingWatches.class.getName());

    private final Set<?> watches;
    private final ReadWriteLock lock;

    private ClosingWatches(Set<?> watches, ReadWriteLock lock) {
        this.watches = watches;
        this.lock = lock;
    }

    static ClosingWatches of(KubernetesCrudDispatcher emulator) {
        try {
            return new ClosingWatches((Set<?>) EmulatorFields.accessible(KubernetesCrudDispatcher.class, "watchEventListeners").get(emulator),
                    EmulatorFields.lock(emulator));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "The emulator's watch list is not where fabric8 8.0 keeps it (" + e
                    + "); a write at the moment a watch closes may answer 500.");
            return new ClosingWatches(null, null);
        }
    }

    /** Whether closing watches are taken out ahead of the emulator (false: the emulator's field names changed). */
    boolean effective() {
        return watches != null;
    }

    /** No event is handed to this watch from now on. */
    void forget(Object watch) {
        if (watches == null) {
            return;
        }
        lock.writeLock().lock();
        try {
            watches.remove(watch);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
