package fleet.console.ui.common;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns a storm of change signals into a few runs of one action: the first signal schedules a run
 * after a quiet period, later signals join it, and signals that arrive while the action runs cause
 * exactly one more run after it. Runs never overlap, so results arrive in the order they were read.
 * A rolling update fires dozens of pod events per second; the fleet's health needs re-reading a few
 * times per second at most.
 */
public final class Debouncer {

    private final ScheduledExecutorService scheduler;
    private final long quietMillis;
    private final Runnable action;
    private final Object lock = new Object();
    private boolean scheduled;
    private boolean running;
    private boolean again;
    private boolean stopped;

    public Debouncer(ScheduledExecutorService scheduler, Duration quiet, Runnable action) {
        this.scheduler = Objects.requireNonNull(scheduler);
        this.quietMillis = quiet.toMillis();
        this.action = Objects.requireNonNull(action);
    }

    /** Something changed: run the action soon. Safe from any thread. */
    public void signal() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (running) {
                again = true;
            } else if (!scheduled) {
                scheduled = true;
                scheduler.schedule(this::fire, quietMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** No more runs; one already running finishes. */
    public void stop() {
        synchronized (lock) {
            stopped = true;
        }
    }

    private void fire() {
        synchronized (lock) {
            scheduled = false;
            if (stopped) {
                return;
            }
            running = true;
        }
        try {
            action.run();
        } finally {
            synchronized (lock) {
                running = false;
                if (again && !stopped) {
                    again = false;
                    scheduled = true;
                    scheduler.schedule(this::fire, quietMillis, TimeUnit.MILLISECONDS);
                }
            }
        }
    }
}
