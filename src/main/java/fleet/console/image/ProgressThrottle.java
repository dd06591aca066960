package fleet.console.image;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Passes progress on at most once per interval, keeping the latest: Jib reports every 100 ms per
 * blob and on every step, more than a screen or a terminal can show. What arrived in between is
 * not lost, the next pass carries it, and {@link #flush()} sends what is left when a stage ends.
 * Coalesced as events arrive, like Jib's own throttle: no timer thread.
 */
final class ProgressThrottle {

    private static final Logger LOG = Logger.getLogger(ProgressThrottle.class.getName());

    private final Consumer<BuildProgress> listener;
    private final Clock clock;
    private final Duration interval;
    private Instant last;
    private BuildProgress pending;
    private boolean listenerFailed;

    ProgressThrottle(Consumer<BuildProgress> listener, Clock clock, Duration interval) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** Sends now if the interval has passed since the last send, else keeps it for the next. */
    synchronized void offer(BuildProgress progress) {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(last.plus(interval))) {
            send(progress, now);
        } else {
            pending = progress;
        }
    }

    /** Sends this one whatever the interval (a stage change, the end). */
    synchronized void force(BuildProgress progress) {
        send(progress, clock.instant());
    }

    /** Sends what is held back, if anything. */
    synchronized void flush() {
        if (pending != null) {
            send(pending, clock.instant());
        }
    }

    private void send(BuildProgress progress, Instant now) {
        pending = null;
        last = now;
        try {
            listener.accept(progress);
        } catch (RuntimeException e) {
            // A broken screen must not break a push half way; say it once, keep building.
            if (!listenerFailed) {
                listenerFailed = true;
                LOG.log(Level.WARNING, "the build's progress listener failed; the build goes on", e);
            }
        }
    }
}
