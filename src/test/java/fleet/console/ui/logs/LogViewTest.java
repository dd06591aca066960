package fleet.console.ui.logs;

import fleet.console.cluster.logs.LogLine;
import fleet.console.ui.common.FrameBatcher;
import fleet.console.ui.shell.ConsoleWindow;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.CornerRadii;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The log widget on its own, headless: only visible lines have cells, matches are marked, levels coloured. */
@ExtendWith(ApplicationExtension.class)
class LogViewTest {

    private LogViewModel model;

    @Start
    void start(Stage stage) {
        model = new LogViewModel(Runnable::run, Runnable::run, FrameBatcher.fxFrames(), LogBuffer.DEFAULT_CAPACITY);
        Scene scene = new Scene(LogView.create(model), 1000, 500);
        scene.getStylesheets().setAll(
                Objects.requireNonNull(ConsoleWindow.class.getResource(ConsoleWindow.THEME_CSS)).toExternalForm(),
                Objects.requireNonNull(ConsoleWindow.class.getResource(ConsoleWindow.CONSOLE_CSS)).toExternalForm());
        stage.setScene(scene);
        // The stage is shared by the test classes of a run and keeps the size an earlier one gave it; set
        // here, the size is this test's in any order (a tall view once hid the newest row while following).
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
    }

    private static List<LogLine> crashLog(int filler) {
        List<LogLine> out = new ArrayList<>();
        Instant t = Instant.parse("2025-03-01T12:00:00Z");
        long seq = 0;
        for (int i = 0; i < filler; i++) {
            out.add(new LogLine("ray", "main", t, "2025-03-01 12:00:00,000 [INFO] ray_executor: Health check OK (" + i + ")", seq++));
        }
        for (String s : List.of("Traceback (most recent call last):",
                "  File \"/app/services/ray_executor/server.py\", line 14, in <module>",
                "    from src.ray_executor.application import RayExecutorService",
                "ModuleNotFoundError: No module named 'src'")) {
            out.add(new LogLine("ray", "main", t, s, seq++));
        }
        return out;
    }

    private static Set<ListCell<?>> cells(FxRobot robot) {
        return robot.lookup(".log-line").match((Node n) -> n instanceof ListCell<?> c && c.getItem() != null && c.isVisible()).queryAllAs(
                (Class<ListCell<?>>) (Class<?>) ListCell.class);
    }

    @Test
    void aHundredThousandLinesHaveCellsOnlyForWhatIsVisible(FxRobot robot) throws Exception {
        model.feed().lines(crashLog(99_996));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> model.lines().size() == 100_000);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(cells(robot)).hasSizeBetween(5, 60);
        ListView<?> list = robot.lookup(".log-lines").queryListView();
        // Following: the list holds the newest lines only (its rows cost the FX thread per row held)...
        assertThat(list.getItems()).hasSize(FollowWindow.FOLLOWED);
        // ...and the newest line, the traceback's end, is in sight, marked as an error.
        try {
            fleet.console.ui.SceneWait.until(10, () -> cells(robot).stream().anyMatch(c -> c.getIndex() == FollowWindow.FOLLOWED - 1));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the newest line is not in sight: following " + model.autoScrollProperty().get() + ", rows "
                    + model.rows().size() + ", cells at " + cells(robot).stream().map(c -> c.getIndex() + "").sorted().toList(), e);
        }
        ListCell<?> last = cells(robot).stream().filter(c -> c.getIndex() == FollowWindow.FOLLOWED - 1).findFirst().orElseThrow();
        assertThat(((LogEntry) last.getItem()).number()).isEqualTo(99_999);
        assertThat(last.getStyleClass()).contains("log-error", "log-continuation");
        assertThat(model.errorsProperty().get()).isEqualTo(1);

        // Scrolling up a little stops following: every held line is in the list, and the lines in sight
        // stay in sight, moved up by the scroll.
        javafx.scene.Node flow = list.lookup("#virtual-flow");
        robot.interact(() -> javafx.event.Event.fireEvent(flow, new javafx.scene.input.ScrollEvent(
                javafx.scene.input.ScrollEvent.SCROLL, 100, 100, 100, 100, false, false, false, false, false, false,
                0, 40, 0, 40, javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null)));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.autoScrollProperty().get()).isFalse();
        assertThat(list.getItems()).hasSize(100_000);
        assertThat(cells(robot)).anySatisfy(c -> {
            assertThat(c.getIndex()).isGreaterThan(99_990);
            assertThat(((LogEntry) c.getItem()).number()).isEqualTo(c.getIndex());
        });
        assertThat(cells(robot)).allSatisfy(c -> assertThat(c.getIndex()).isGreaterThan(99_900));

        // Following again: back to the newest lines.
        robot.interact(() -> model.autoScrollProperty().set(true));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(list.getItems()).hasSize(FollowWindow.FOLLOWED);
        assertThat(list.getItems().get(FollowWindow.FOLLOWED - 1)).extracting(e -> ((LogEntry) e).number()).isEqualTo(99_999L);
    }

    @Test
    void goingToAMatchAboveTheFollowedLinesShowsIt(FxRobot robot) throws Exception {
        model.feed().lines(crashLog(20_000));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> model.lines().size() == 20_004);
        WaitForAsyncUtils.waitForFxEvents();
        ListView<?> list = robot.lookup(".log-lines").queryListView();
        assertThat(list.getItems()).hasSize(FollowWindow.FOLLOWED);

        robot.interact(() -> {
            model.searchTextProperty().set("OK (17)");
            model.nextMatch(); // the only match, line 17, is far above the followed lines
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(list.getItems()).hasSize(20_004);
        assertThat(list.getSelectionModel().getSelectedIndex()).isEqualTo(17);
        assertThat(cells(robot)).anySatisfy(c -> assertThat(((LogEntry) c.getItem()).text()).endsWith("OK (17)"));
    }

    @Test
    void aSearchedWordIsMarkedInTheLineItWasFoundIn(FxRobot robot) throws Exception {
        model.feed().lines(crashLog(500));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> model.lines().size() == 504);

        // Typed into the field itself: in a long test run other windows may hold the keyboard focus.
        javafx.scene.control.TextField field = robot.lookup(".log-search").queryAs(javafx.scene.control.TextField.class);
        robot.interact(() -> {
            field.setText("modulenotfounderror");
            field.fireEvent(new javafx.scene.input.KeyEvent(javafx.scene.input.KeyEvent.KEY_PRESSED, "", "", KeyCode.ENTER,
                    false, false, false, false));
        });
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.currentHitProperty().get() != null);
        assertThat(robot.lookup(".log-lines").queryListView().getSelectionModel().getSelectedIndex()).isEqualTo(503);
        // The hit marks the word where it stands in its line (the cell draws that range).
        fleet.console.ui.logs.SearchHit hit = model.currentHitProperty().get();
        assertThat(hit.line()).isEqualTo(503);
        assertThat(model.lines().get(503).text().substring(hit.start(), hit.end())).isEqualTo("ModuleNotFoundError");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".log-match-count").queryAs(Label.class).getText()).isEqualTo("1 of 1");
        assertThat(robot.lookup(".log-lines").queryListView().getSelectionModel().getSelectedIndex()).isEqualTo(503);
    }

    @Test
    void onlyMatchingLinesWithContextAndPauseCountingWaitingLines(FxRobot robot) throws Exception {
        model.feed().lines(crashLog(500));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> model.lines().size() == 504);

        robot.interact(() -> {
            model.searchTextProperty().set("Traceback");
            model.contextProperty().set(1);
            model.filterProperty().set(true);
        });
        assertThat(model.lines()).extracting(LogEntry::text).hasSize(3).contains("Traceback (most recent call last):");

        robot.clickOn(".log-pause");
        model.feed().lines(crashLog(10));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> model.waitingProperty().get() == 3);
        // The count and its label change in one FX-thread update; read the label once that update is done.
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".log-counters").queryAs(Label.class).getText()).contains("paused, 3 waiting");
    }

    /** What a cell shows: the texts of its line, as drawn. */
    private static String shown(ListCell<?> cell) {
        if (!(cell.getGraphic() instanceof javafx.scene.text.TextFlow flow)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (Node n : flow.getChildren()) {
            if (n instanceof javafx.scene.text.Text t) {
                out.append(t.getText());
            } else if (n instanceof Label l) {
                out.append(l.getText());
            }
        }
        return out.toString();
    }

    @Test
    void cellsReusedByLaterLinesShowThoseLinesAndTheirLevelsOnly(FxRobot robot) throws Exception {
        // A traceback in sight, then plain lines push it out: the same cells now hold plain lines, flood-sized
        // batches at a time (the list's rows are rebuilt on each change, each cell emptied and given a line).
        model.feed().lines(crashLog(100));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> model.lines().size() == 104);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(cells(robot)).anySatisfy(c -> assertThat(c.getStyleClass()).contains("log-error", "log-error-start"));

        Instant t = Instant.parse("2025-03-01T12:00:01Z");
        for (int round = 0; round < 3; round++) {
            List<LogLine> plain = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                plain.add(new LogLine("ray", "main", t, "2025-03-01 12:00:01,000 [INFO] round " + round + " line " + i, i));
            }
            model.feed().lines(plain);
        }
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> model.receivedProperty().get() == 60_104);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(cells(robot)).hasSizeGreaterThan(5).allSatisfy(c -> {
            LogEntry entry = (LogEntry) c.getItem();
            assertThat(shown(c)).isEqualTo(entry.text());
            assertThat(c.getStyleClass()).doesNotContain("log-error", "log-error-start", "log-continuation", "log-warn", "log-gap");
        });
        // And the other way: an error arriving into cells that showed plain lines is marked again.
        model.feed().lines(crashLog(0));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> model.receivedProperty().get() == 60_108);
        WaitForAsyncUtils.waitForFxEvents();
        ListCell<?> last = cells(robot).stream().max(java.util.Comparator.comparingInt(ListCell::getIndex)).orElseThrow();
        assertThat(shown(last)).isEqualTo("ModuleNotFoundError: No module named 'src'");
        assertThat(last.getStyleClass()).contains("log-error", "log-continuation").doesNotContain("log-error-start");
        // Rows without a line show nothing.
        assertThat(robot.lookup(".log-line").match((Node n) -> n instanceof ListCell<?> c && c.getItem() == null && c.isVisible())
                .queryAllAs((Class<ListCell<?>>) (Class<?>) ListCell.class)).allSatisfy(c -> assertThat(shown(c)).isEmpty());
    }

    /**
     * The list of lines is painted as one plain rectangle, focused or not: a second fill (a border drawn as
     * a fill), insets or rounded corners make JavaFX paint it from a cached image stretched over the whole
     * list, which the software renderer did on every change of a flood (see console.css).
     */
    @Test
    void theLinesArePaintedOnOnePlainFillFocusedOrNot(FxRobot robot) {
        ListView<?> list = robot.lookup(".log-lines").queryListView();
        robot.interact(() -> list.getParent().requestFocus());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(list.isFocused()).isFalse();
        assertOnePlainFill(list);

        robot.interact(list::requestFocus);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(list.isFocused()).isTrue();
        assertOnePlainFill(list);
    }

    private static void assertOnePlainFill(ListView<?> list) {
        assertThat(list.getBackground()).isNotNull();
        List<BackgroundFill> fills = list.getBackground().getFills();
        assertThat(fills).hasSize(1);
        assertThat(fills.get(0).getRadii()).isEqualTo(CornerRadii.EMPTY);
        assertThat(fills.get(0).getInsets()).isEqualTo(Insets.EMPTY);
        assertThat(list.getBorder() == null || list.getBorder().isEmpty()).isTrue();
    }
}
