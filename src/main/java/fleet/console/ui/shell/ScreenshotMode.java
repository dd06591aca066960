package fleet.console.ui.shell;

import fleet.console.cluster.WorkloadHealth;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Takes the picture of the window once it shows live data: connected, and the overview has read the
 * fleet's health of that connection. Used by {@code --screenshot FILE} and by the test that makes the
 * README's screenshot, so the picture in the README is what the console really draws.
 */
public final class ScreenshotMode {


    private ScreenshotMode() {
    }

    /**
     * Waits (without blocking any thread) until the window is ready (connected, the fleet's health
     * read and settled), snapshots its scene on the FX thread and writes the PNG on the background
     * executor. Completes with the file, or exceptionally when the connection failed or the window was
     * not ready in time; a picture is written in every case, since a picture of the failure is what
     * one wants to look at then.
     */
    public static CompletableFuture<Path> capture(ConsoleWindow window, Path file, Duration timeout,
                                                  ScheduledExecutorService background) {
        CompletableFuture<Path> done = new CompletableFuture<>();
        // Both the ready path and the timeout may ask for the picture; only the first one takes it.
        // Touched on the FX thread only.
        boolean[] taken = {false};
        Platform.runLater(() -> {
            MainViewModel model = window.model();
            Observable[] watched = {model.stateProperty(), model.overview().loadedProperty(), model.sessionProperty(),
                    model.overview().rows()};
            InvalidationListener check = new InvalidationListener() {
                @Override
                public void invalidated(Observable o) {
                    // All three read every time: an invalidation listener hears only from properties
                    // that were read since their last change.
                    ConnectionState state = model.getState();
                    boolean hasSession = model.getSession() != null;
                    boolean loaded = model.overview().isLoaded();
                    boolean ready = state == ConnectionState.CONNECTED && hasSession && loaded
                            && settled(model.overview().rows());
                    boolean failed = state == ConnectionState.FAILED;
                    if (ready || failed) {
                        for (Observable w : watched) {
                            w.removeListener(this);
                        }
                        String why = !failed ? null : model.getMessage() == null ? "The connection failed."
                                : model.getMessage().text() + " " + model.getMessage().advice();
                        // One more pulse, so the rows that just arrived are laid out in the picture.
                        Platform.runLater(() -> {
                            if (!taken[0]) {
                                taken[0] = true;
                                snapshot(window, file, background, done, why);
                            }
                        });
                    }
                }
            };
            for (Observable w : watched) {
                w.addListener(check);
            }
            check.invalidated(null);
            var deadline = background.schedule(() -> Platform.runLater(() -> {
                if (!taken[0]) {
                    taken[0] = true;
                    for (Observable w : watched) {
                        w.removeListener(check);
                    }
                    snapshot(window, file, background, done, "The console showed no live data within "
                            + timeout.toSeconds() + " s (connection: " + model.stateTextProperty().get() + ").");
                }
            }), timeout.toMillis(), TimeUnit.MILLISECONDS);
            done.whenComplete((written, error) -> deadline.cancel(false));
        });
        return done;
    }

    /**
     * Every workload has reached a state worth a picture: running, or failing for a stated reason. A
     * sandbox just started shows its fleet "Starting" for some seconds.
     */
    static boolean settled(List<WorkloadHealth> rows) {
        return !rows.isEmpty() && rows.stream().noneMatch(r -> WorkloadHealth.STARTING.equals(r.state()));
    }

    private static void snapshot(ConsoleWindow window, Path file, Executor background, CompletableFuture<Path> done,
                                 String failure) {
        WritableImage image = window.scene().snapshot(null);
        BufferedImage picture = SwingFXUtils.fromFXImage(image, null);
        background.execute(() -> {
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                if (!ImageIO.write(picture, "png", file.toFile())) {
                    throw new IOException("no PNG writer available");
                }
                if (failure == null) {
                    done.complete(file);
                } else {
                    done.completeExceptionally(new IllegalStateException(failure + " Picture written to " + file + "."));
                }
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(new IOException("Cannot write the screenshot " + file + ": " + e.getMessage(), e));
            }
        });
    }
}
