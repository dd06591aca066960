package fleet.console.ui.shell;

import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code --check-start}: has the console reached its main window? Ready means what an operator would
 * see: the window is showing, it is connected, and the overview lists the fleet's workloads. Waits on
 * the window's properties (no polling); the deadline is the only timer.
 */
public final class StartCheck {

    private StartCheck() {
    }

    /**
     * Completes with a one-line description of the ready window, or exceptionally with what the window
     * showed instead (a failed connection, or nothing in time). Call from any thread.
     */
    public static CompletableFuture<String> await(ConsoleWindow window, Duration timeout, ScheduledExecutorService timer) {
        CompletableFuture<String> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            MainViewModel model = window.model();
            Observable[] watched = {window.stage().showingProperty(), model.stateProperty(), model.sessionProperty(),
                    model.overview().loadedProperty(), model.overview().rows()};
            InvalidationListener check = new InvalidationListener() {
                @Override
                public void invalidated(Observable o) {
                    boolean showing = window.stage().isShowing();
                    ConnectionState state = model.getState();
                    boolean loaded = model.overview().isLoaded();
                    int rows = model.overview().rows().size();
                    boolean ready = showing && state == ConnectionState.CONNECTED && model.getSession() != null && loaded
                            && rows > 0;
                    if (ready) {
                        done.complete("main window \"" + window.stage().getTitle() + "\" shows " + rows
                                + " workloads of " + model.getSession().label());
                    } else if (state == ConnectionState.FAILED) {
                        ShellMessage m = model.getMessage();
                        done.completeExceptionally(new IllegalStateException("the connection failed: "
                                + (m == null ? "no reason given" : m.text() + " " + m.advice())));
                    }
                    if (done.isDone()) {
                        for (Observable w : watched) {
                            w.removeListener(this);
                        }
                    }
                }
            };
            for (Observable w : watched) {
                w.addListener(check);
            }
            check.invalidated(null);
            ScheduledFuture<?> deadline = timer.schedule(() -> Platform.runLater(() -> {
                if (done.completeExceptionally(new IllegalStateException("the main window was not ready within "
                        + timeout.toSeconds() + " s (" + model.stateTextProperty().get() + ", overview "
                        + (model.overview().isLoaded() ? "loaded" : "not loaded") + ")"))) {
                    for (Observable w : watched) {
                        w.removeListener(check);
                    }
                }
            }), timeout.toMillis(), TimeUnit.MILLISECONDS);
            done.whenComplete((r, e) -> deadline.cancel(false));
        });
        return done;
    }
}
