package fleet.console.ui.common;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up builds every view of fxml/ without its controller, off the FX thread: a view whose FXML
 * stopped loading that way (a handler named in the FXML, say) would silently go unwarmed, and its first
 * visit would freeze the window again.
 */
@ExtendWith(ApplicationExtension.class)
class ViewWarmupTest {

    @Test
    void everyViewLoadsWithoutItsControllerOffTheFxThread() throws IOException {
        List<Path> views;
        try (Stream<Path> files = Files.walk(Path.of("fxml"))) {
            views = files.filter(f -> f.toString().endsWith(".fxml")).sorted().toList();
        }
        assertThat(views).isNotEmpty();
        for (Path view : views) {
            Parent built = ViewWarmup.throwaway("/" + view.toString().replace('\\', '/'));
            assertThat(built).as(view.toString()).isNotNull();
        }
    }

    @Test
    void aViewIsTakenApartIntoPiecesThatEachStandAlone() throws IOException {
        Parent pods = ViewWarmup.throwaway("/fxml/pods/pods.fxml");
        List<Node> pieces = new ArrayList<>();
        ViewWarmup.split(pods, pieces);

        assertThat(pieces).hasSizeGreaterThan(10);
        // Each piece can be put in a scene by itself: none is still inside another.
        assertThat(pieces).allSatisfy(piece -> assertThat(piece.getParent()).as(String.valueOf(piece)).isNull());
        assertThat(pieces).anySatisfy(piece -> assertThat(piece).isInstanceOf(TableView.class));
    }

    @Test
    void aTableInAWarmUpCopyMakesRowsOfEveryKindAndBadgesOfEveryLevel() throws Exception {
        Parent pods = ViewWarmup.throwaway("/fxml/pods/pods.fxml");
        List<Node> pieces = new ArrayList<>();
        ViewWarmup.split(pods, pieces);
        TableView<?> table = (TableView<?>) pieces.stream().filter(p -> p instanceof TableView).findFirst().orElseThrow();

        List<String> rowKinds = org.testfx.util.WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.layout.StackPane root = new javafx.scene.layout.StackPane(table);
            javafx.scene.Scene scene = new javafx.scene.Scene(root, 1000, 400);
            scene.getStylesheets().setAll(getClass().getResource("/styles/console.css").toExternalForm());
            // Step by step, as the warm-up takes them, a frame each.
            for (Runnable step : ViewWarmup.warmRowSteps(table)) {
                step.run();
                root.applyCss();
                root.layout();
            }
            return table.lookupAll(".table-row-cell").stream()
                    .filter(r -> !((javafx.scene.control.TableRow<?>) r).isEmpty())
                    .map(r -> r.getPseudoClassStates().contains(StyleClasses.PROBLEM) ? "problem"
                            : r.getPseudoClassStates().contains(StyleClasses.WARNING) ? "warning" : "plain")
                    .toList();
        }).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(table.getItems()).hasSize(ViewWarmup.WARM_ROWS);
        assertThat(table.getColumns()).allSatisfy(c -> assertThat(c.isVisible()).as(c.getText()).isTrue());
        assertThat(rowKinds).contains("problem", "warning", "plain");
        List<Severity> badges = table.lookupAll(".status-badge").stream()
                .filter(b -> b instanceof StatusBadge && b.getParent() != null).map(b -> ((StatusBadge) b).getSeverity()).distinct().toList();
        assertThat(badges).containsExactlyInAnyOrder(Severity.values());
    }

    /**
     * A window builds its areas' real views before their first visit through the warm-up: each such task runs
     * once the throwaway copy of its view was warmed (so its code runs warm), alone in its frame, and one given
     * after the warm-up completed still runs; a cancelled warm-up runs none.
     */
    @Test
    void tasksRunAfterTheirViewWasWarmedAloneInTheirFrameAlsoAfterTheWarmUpCompleted() throws Exception {
        String events = "/fxml/events/events.fxml";
        String css = getClass().getResource("/styles/console.css").toExternalForm();
        List<Node> pieces = new ArrayList<>();
        ViewWarmup.split(ViewWarmup.throwaway(events), pieces);
        int eventsSteps = pieces.size() + ViewWarmup.warmRowSteps(
                (TableView<?>) pieces.stream().filter(p -> p instanceof TableView).findFirst().orElseThrow()).size();
        // Seen by each task when it runs: steps run, frames worked, and steps run by the end of that frame.
        List<int[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ViewWarmup[] holder = new ViewWarmup[1];
        // Steps run by the end of each frame worked, read after the warm-up's work in every pulse.
        java.util.Map<Integer, Integer> stepsByFrame = new java.util.concurrent.ConcurrentHashMap<>();
        javafx.animation.AnimationTimer frames = new javafx.animation.AnimationTimer() {
            @Override
            public void handle(long now) {
                stepsByFrame.put(holder[0].framesWorked(), holder[0].stepsRun());
            }
        };
        ViewWarmup warmup = WaitForAsyncUtils.asyncFx(() -> {
            ViewWarmup w = ViewWarmup.start(List.of(events, "/fxml/runbooks/runbooks.fxml"), List.of(css), 800, 600, () -> false);
            holder[0] = w;
            w.then(events, () -> seen.add(new int[] {holder[0].stepsRun(), holder[0].framesWorked()}));
            frames.start();
            return w;
        }).get(30, TimeUnit.SECONDS);
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, warmup::isDone);
            WaitForAsyncUtils.asyncFx(frames::stop).get();
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0)[0]).as("steps run before the task").isEqualTo(eventsSteps);
            int frame = seen.get(0)[1];
            assertThat(stepsByFrame.get(frame - 1)).as("steps by the end of the frame before the task's").isEqualTo(eventsSteps);
            assertThat(stepsByFrame.get(frame)).as("steps by the end of the task's frame").isEqualTo(eventsSteps + 1);
            int total = WaitForAsyncUtils.asyncFx(warmup::stepsRun).get();
            assertThat(total).as("the runbooks view was warmed after it").isGreaterThan(eventsSteps + 1);

            // After completion: the warm-up runs again for it, then is done again.
            WaitForAsyncUtils.asyncFx(() -> warmup.then(events, () -> seen.add(new int[] {warmup.stepsRun(), warmup.framesWorked()})))
                    .get(10, TimeUnit.SECONDS);
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> seen.size() == 2 && warmup.isDone());
            assertThat(seen.get(1)[0]).as("steps run before the late task").isEqualTo(total);
        } finally {
            warmup.cancel();
        }
        // A task of a warm-up that was cancelled before it came does not run.
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        ViewWarmup cancelled = WaitForAsyncUtils.asyncFx(() -> {
            ViewWarmup w = ViewWarmup.start(List.of(events), List.of(css), 800, 600, () -> false);
            w.then(events, () -> ran.add("task"));
            w.cancel();
            return w;
        }).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, cancelled::isDone);
        assertThat(ran).isEmpty();
    }

    /**
     * The warm-up's steps are 30 to 100 ms of cold code each on a 2-core machine: in a frame where the window
     * lays itself out (rows came, an area is shown) they would make one freeze of two. It leaves such frames
     * to the window, and finishes once the window is idle; a window busy in every frame still gets a step now
     * and then, so the warm-up is never starved.
     */
    @Test
    void theWarmUpLeavesTheFramesInWhichTheWindowLaysItselfOutToTheWindow() throws Exception {
        AtomicBoolean windowBusy = new AtomicBoolean(true);
        String css = getClass().getResource("/styles/console.css").toExternalForm();
        ViewWarmup warmup = WaitForAsyncUtils.asyncFx(() -> ViewWarmup.start(List.of("/fxml/events/events.fxml"),
                List.of(css), 800, 600, windowBusy::get)).get(30, TimeUnit.SECONDS);
        try {
            int most = ViewWarmup.MOST_FRAMES_LEFT_OUT_IN_A_ROW;
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(warmup::framesLeftOut).get() >= 3 * most);
            int[] whileBusy = WaitForAsyncUtils.asyncFx(() -> new int[] {warmup.framesWorked(), warmup.framesLeftOut()}).get();
            // At most one frame worked for each run of frames left out, and some worked: not starved.
            assertThat(whileBusy[0]).as("frames worked while the window was busy, of " + whileBusy[1] + " left out")
                    .isBetween(1, whileBusy[1] / most + 1);

            windowBusy.set(false);
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, warmup::isDone);
            assertThat(WaitForAsyncUtils.asyncFx(warmup::stepsRun).get()).as("steps run").isGreaterThan(5);
        } finally {
            warmup.cancel();
        }
    }
}
