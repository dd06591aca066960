package fleet.console.image;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A build under way. {@link #result()} completes with the result, or exceptionally with an
 * {@link ImageBuildException} naming the cause ({@code CANCELLED} after {@link #cancel()}).
 */
public final class ImageBuild {

    private final CompletableFuture<BuildResult> result = new CompletableFuture<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final ExecutorService threads;

    ImageBuild(ExecutorService threads) {
        this.threads = threads;
    }

    public CompletableFuture<BuildResult> result() {
        return result.copy();
    }

    /**
     * Stops the build: Jib's threads are interrupted, so no further layer is sent and the tag is
     * not written unless Jib had already written it. Layers sent before stay in the registry
     * untagged, and the next build reuses them. False when the build had already finished.
     */
    public boolean cancel() {
        if (result.isDone()) {
            return false;
        }
        cancelled.set(true);
        threads.shutdownNow();
        return true;
    }

    public boolean cancelled() {
        return cancelled.get();
    }

    void complete(BuildResult value) {
        result.complete(value);
    }

    void fail(ImageBuildException e) {
        result.completeExceptionally(e);
    }
}
