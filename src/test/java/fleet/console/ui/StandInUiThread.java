package fleet.console.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the FX thread in a view-model test without a window: the model is given it as its UI
 * executor, so it changes its lists only here, and the test acts and reads only here too. Reading a
 * model's lists from the test's own thread while a watch replaces them can throw from their iterators
 * (the overview's test did, in CI, stop 16).
 */
public final class StandInUiThread implements Executor, AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stand-in UI thread");
        t.setDaemon(true);
        return t;
    });

    @Override
    public void execute(Runnable work) {
        thread.execute(work);
    }

    /** Runs {@code work} on this thread and gives its result; an assertion that fails there is rethrown as it is. */
    public <T> T call(Callable<T> work) throws Exception {
        try {
            return thread.submit(work).get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Runs {@code work} on this thread and waits for it. */
    public void run(Runnable work) throws Exception {
        call(() -> {
            work.run();
            return null;
        });
    }

    /** Work already handed over still runs (a model's dispose, say); nothing new is taken. */
    @Override
    public void close() {
        thread.shutdown();
    }
}
