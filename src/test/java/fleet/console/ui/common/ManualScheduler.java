package fleet.console.ui.common;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A background executor for view-model tests: work runs at once on the calling thread, timers wait
 * until the test says time has passed. Repeating timers run once per {@link #runTimers()}.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final List<Timer> timers = new ArrayList<>();
    private boolean shutdown;

    private final class Timer implements ScheduledFuture<Object> {
        final Runnable task;
        final boolean repeating;
        boolean cancelled;
        boolean done;

        Timer(Runnable task, boolean repeating) {
            this.task = task;
            this.repeating = repeating;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed o) {
            return 0;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    /** Runs every timer that is due (all of them: time is the test's to say); returns how many ran. */
    public int runTimers() {
        int ran = 0;
        // Timers scheduled by the ones running now wait for the next call, as they would wait for time.
        List<Timer> due = new ArrayList<>(timers);
        for (Timer t : due) {
            if (t.cancelled) {
                timers.remove(t);
                continue;
            }
            if (!t.repeating) {
                timers.remove(t);
                t.done = true;
            }
            t.task.run();
            ran++;
        }
        return ran;
    }

    /** Runs timers until none is left that is not repeating. */
    public void settle() {
        while (timers.stream().anyMatch(t -> !t.repeating && !t.cancelled)) {
            List<Timer> due = timers.stream().filter(t -> !t.repeating).toList();
            for (Timer t : due) {
                timers.remove(t);
                if (!t.cancelled) {
                    t.done = true;
                    t.task.run();
                }
            }
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Timer t = new Timer(command, false);
        timers.add(t);
        return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not used by the view-models");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Timer t = new Timer(command, true);
        timers.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
