package fleet.console.sandbox.process;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that can only be polled (a port that starts accepting, an endpoint that
 * starts answering), with a short backoff and a deadline.
 */
public final class Await {

    /** How a wait ended. */
    public enum Outcome {
        /** The condition held. */
        MET,
        /** The abandon signal completed first (typically: the child process exited). */
        ABANDONED,
        /** The deadline passed. */
        TIMED_OUT
    }

    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Await() {
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes. */
    public static Outcome until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        return until(condition, new CompletableFuture<Void>(), timeout);
    }

    /**
     * Polls {@code condition} until it holds, {@code abandonWhenDone} completes or {@code timeout}
     * passes. Between polls the thread waits on {@code abandonWhenDone} itself, so a child that
     * dies during start-up ends the wait at once instead of at the deadline.
     */
    public static Outcome until(BooleanSupplier condition, Future<?> abandonWhenDone, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoff = FIRST_BACKOFF_NANOS;
        while (true) {
            if (condition.getAsBoolean()) {
                return Outcome.MET;
            }
            if (abandonWhenDone.isDone()) {
                return Outcome.ABANDONED;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Outcome.TIMED_OUT;
            }
            try {
                abandonWhenDone.get(Math.min(backoff, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException | CancellationException expected) {
                // Either the backoff elapsed or the signal completed; the loop looks at both.
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
        }
    }
}
