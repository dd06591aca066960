package fleet.console.ui.logs;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The log view's lines without a window: bound, eviction, search, filter with context, pause. */
class LogBufferTest {

    private final Lines lines = new Lines();

    @Test
    void holdsOneHundredThousandLinesUnlessToldOtherwise() {
        assertThat(new LogBuffer().capacity()).isEqualTo(100_000);
    }

    @Test
    void theBoundHoldsAndEveryEvictedLineIsCounted() {
        LogBuffer buffer = new LogBuffer(1_000);

        for (int i = 0; i < 25; i++) {
            buffer.append(lines.numbered(i * 97, 97));
        }

        assertThat(buffer.size()).isEqualTo(1_000);
        assertThat(buffer.received()).isEqualTo(25 * 97);
        assertThat(buffer.evicted()).isEqualTo(25 * 97 - 1_000);
        assertThat(buffer.lines()).first().extracting(LogEntry::text).isEqualTo("line " + (25 * 97 - 1_000));
        assertThat(buffer.lines()).last().extracting(LogEntry::text).isEqualTo("line " + (25 * 97 - 1));
    }

    @Test
    void aBatchLargerThanTheBoundKeepsItsNewestLinesAndCountsTheRestAsEvicted() {
        LogBuffer buffer = new LogBuffer(100);
        buffer.append(lines.numbered(0, 30));

        ViewDelta delta = buffer.append(lines.numbered(30, 250));

        assertThat(buffer.size()).isEqualTo(100);
        assertThat(buffer.evicted()).isEqualTo(180);
        assertThat(delta.removedFromHead()).isEqualTo(30);
        assertThat(Lines.texts(delta.appended())).hasSize(100).startsWith("line 180").endsWith("line 279");
    }

    @Test
    void theViewIsToldToDropEvictedLinesFromTheTopAndAddNewOnesAtTheBottom() {
        LogBuffer buffer = new LogBuffer(10);
        List<LogEntry> view = new ArrayList<>();
        apply(view, buffer.append(lines.numbered(0, 8)), buffer);
        apply(view, buffer.append(lines.numbered(8, 5)), buffer);

        assertThat(Lines.texts(view)).containsExactlyElementsOf(Lines.texts(buffer.shownLines()));
        assertThat(Lines.texts(view)).first().isEqualTo("line 3");
    }

    @Test
    void linesSkippedBecauseTheStreamRanAheadAreCountedAsEvicted() {
        LogBuffer buffer = new LogBuffer(10);
        buffer.append(lines.numbered(0, 10));

        ViewDelta delta = buffer.skip(500);
        buffer.append(lines.numbered(510, 3));

        assertThat(delta.removedFromHead()).isEqualTo(10);
        assertThat(buffer.received()).isEqualTo(513);
        assertThat(buffer.evicted()).isEqualTo(510);
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.lines()).first().extracting(LogEntry::number).isEqualTo(510L);
    }

    @Test
    void shrinkingTheBoundEvictsTheOldestAndGrowingKeepsEverything() {
        LogBuffer buffer = new LogBuffer(100);
        buffer.append(lines.numbered(0, 100));

        ViewDelta shrunk = buffer.resize(40);
        assertThat(shrunk.removedFromHead()).isEqualTo(60);
        assertThat(buffer.evicted()).isEqualTo(60);
        buffer.resize(1_000);
        buffer.append(lines.numbered(100, 500));

        assertThat(buffer.size()).isEqualTo(540);
        assertThat(buffer.lines()).first().extracting(LogEntry::text).isEqualTo("line 60");
        assertThat(buffer.evicted()).isEqualTo(60);
    }

    @Test
    void searchFindsEveryMatchWithItsPositionAndWalksThemBothWays() {
        LogBuffer buffer = new LogBuffer(100);
        buffer.append(lines.of("p", "starting", "ModuleNotFoundError: No module named 'src'", "ok",
                "modulenotfounderror twice ModuleNotFoundError"));

        buffer.search(SearchQuery.text("ModuleNotFoundError", false));

        assertThat(buffer.matchingLines()).isEqualTo(2);
        assertThat(buffer.occurrences()).isEqualTo(3);
        SearchHit first = buffer.nextMatch().orElseThrow();
        assertThat(first).isEqualTo(new SearchHit(1, 0, 0, 19, 1, 3));
        SearchHit second = buffer.nextMatch().orElseThrow();
        assertThat(second).isEqualTo(new SearchHit(3, 0, 0, 19, 2, 3));
        SearchHit third = buffer.nextMatch().orElseThrow();
        assertThat(third).isEqualTo(new SearchHit(3, 1, 26, 45, 3, 3));
        assertThat(buffer.nextMatch().orElseThrow().ordinal()).as("wraps to the first").isEqualTo(1);
        assertThat(buffer.previousMatch().orElseThrow()).isEqualTo(third);
        assertThat(buffer.previousMatch().orElseThrow()).isEqualTo(second);
    }

    @Test
    void previousWithoutACurrentMatchStartsAtTheNewest() {
        LogBuffer buffer = new LogBuffer(100);
        buffer.append(lines.of("p", "error a", "x", "error b"));
        buffer.search(SearchQuery.text("error", false));

        assertThat(buffer.previousMatch().orElseThrow().line()).isEqualTo(2);
    }

    @Test
    void caseSensitiveAndRegexSearchesFindWhatTheySay() {
        LogBuffer buffer = new LogBuffer(100);
        buffer.append(lines.of("p", "Error: one", "error: two", "exit code 137", "exit code 1"));

        buffer.search(SearchQuery.text("Error", true));
        assertThat(buffer.matchingLines()).isEqualTo(1);
        buffer.search(SearchQuery.regex("exit code \\d{3}", false).query().orElseThrow());
        assertThat(buffer.matchingLines()).isEqualTo(1);
        assertThat(SearchQuery.regex("exit (", false).problem()).startsWith("Not a regular expression");
    }

    @Test
    void newLinesAreSearchedAsTheyArriveAndEvictedMatchesAreForgotten() {
        LogBuffer buffer = new LogBuffer(5);
        buffer.search(SearchQuery.text("boom", false));
        buffer.append(lines.of("p", "boom 1", "a", "b", "c"));
        assertThat(buffer.matchingLines()).isEqualTo(1);
        buffer.nextMatch();

        buffer.append(lines.of("p", "boom 2", "d"));

        assertThat(buffer.matchingLines()).isEqualTo(1);
        assertThat(buffer.occurrences()).isEqualTo(1);
        assertThat(buffer.currentMatch()).as("the line it pointed at is gone").isEmpty();
        assertThat(buffer.nextMatch().orElseThrow().line()).isEqualTo(4);
    }

    @Test
    void theFilterKeepsTheAskedContextAroundEachMatchWithoutRepeatingLines() {
        LogBuffer buffer = new LogBuffer(100);
        buffer.append(lines.numbered(0, 20));
        buffer.search(SearchQuery.regex("^line (5|7|15)$", false).query().orElseThrow());

        assertThat(buffer.filter(true, 2).reset()).isTrue();

        assertThat(Lines.texts(buffer.shownLines())).containsExactly("line 3", "line 4", "line 5", "line 6",
                "line 7", "line 8", "line 9", "line 13", "line 14", "line 15", "line 16", "line 17");
    }

    @Test
    void theFilterKeepsContextForLinesThatArriveLater() {
        LogBuffer buffer = new LogBuffer(100);
        buffer.search(SearchQuery.text("Traceback", false));
        buffer.filter(true, 1);
        List<LogEntry> view = new ArrayList<>();

        apply(view, buffer.append(lines.of("p", "a", "b", "c")), buffer);
        apply(view, buffer.append(lines.of("p", "Traceback (most recent call last):", "  File x")), buffer);
        apply(view, buffer.append(lines.of("p", "KeyError: 'k'", "d")), buffer);

        assertThat(Lines.texts(view)).containsExactly("c", "Traceback (most recent call last):", "  File x");
        assertThat(Lines.texts(view)).containsExactlyElementsOf(Lines.texts(buffer.shownLines()));
    }

    @Test
    void turningTheFilterOffShowsEveryLineAgain() {
        LogBuffer buffer = new LogBuffer(100);
        buffer.append(lines.numbered(0, 10));
        buffer.search(SearchQuery.text("line 4", false));
        buffer.filter(true, 0);
        assertThat(buffer.shownCount()).isEqualTo(1);

        buffer.filter(false, 0);

        assertThat(buffer.shownCount()).isEqualTo(10);
    }

    @Test
    void whilePausedLinesKeepArrivingAndAreCountedAsWaitingUntilResume() {
        LogBuffer buffer = new LogBuffer(1_000);
        List<LogEntry> view = new ArrayList<>();
        apply(view, buffer.append(lines.numbered(0, 10)), buffer);

        buffer.pause();
        apply(view, buffer.append(lines.numbered(10, 25)), buffer);
        apply(view, buffer.append(lines.numbered(35, 5)), buffer);

        assertThat(buffer.size()).isEqualTo(40);
        assertThat(buffer.waiting()).isEqualTo(30);
        assertThat(view).hasSize(10);

        apply(view, buffer.resume(), buffer);

        assertThat(buffer.waiting()).isZero();
        assertThat(Lines.texts(view)).hasSize(40).endsWith("line 39");
    }

    @Test
    void whilePausedEvictionStillRemovesShownLinesSoMemoryStaysBounded() {
        LogBuffer buffer = new LogBuffer(20);
        List<LogEntry> view = new ArrayList<>();
        apply(view, buffer.append(lines.numbered(0, 20)), buffer);
        buffer.pause();

        apply(view, buffer.append(lines.numbered(20, 15)), buffer);

        assertThat(view).hasSize(5);
        assertThat(Lines.texts(view)).startsWith("line 15");
        assertThat(buffer.waiting()).isEqualTo(15);
        apply(view, buffer.resume(), buffer);
        assertThat(Lines.texts(view)).containsExactlyElementsOf(Lines.texts(buffer.lines()));
    }

    @Test
    void pausedWithAFilterCountsOnlyTheLinesTheFilterWouldShow() {
        LogBuffer buffer = new LogBuffer(100);
        buffer.search(SearchQuery.text("ERROR", true));
        buffer.filter(true, 0);
        buffer.append(lines.of("p", "ERROR one", "fine"));
        buffer.pause();

        buffer.append(lines.of("p", "fine", "ERROR two", "ERROR three", "fine"));

        assertThat(buffer.waiting()).isEqualTo(2);
        assertThat(buffer.shownCount()).isEqualTo(1);
        assertThat(buffer.nextMatch().orElseThrow().line()).as("navigation stays on shown lines").isZero();
        assertThat(buffer.nextMatch().orElseThrow().line()).isZero();
        buffer.resume();
        assertThat(buffer.shownCount()).isEqualTo(3);
    }

    @Test
    void errorsAndWarningsAreCountedOnceATracebackCountingAsOneError() {
        LogBuffer buffer = new LogBuffer(100);
        buffer.append(lines.of("orchestrator-1",
                "2025-03-01 12:00:00,001 [INFO] orchestrator: Starting",
                "2025-03-01 12:00:00,002 [WARNING] orchestrator: NATS slow",
                "Traceback (most recent call last):",
                "  File \"/app/services/orchestrator/server.py\", line 14, in <module>",
                "    from src.orchestrator.application import OrchestratorService",
                "ModuleNotFoundError: No module named 'src'"));

        assertThat(buffer.errors()).isEqualTo(1);
        assertThat(buffer.warnings()).isEqualTo(1);
    }

    @Test
    void shownIndexOfFollowsEvictionAndTheFilter() {
        LogBuffer buffer = new LogBuffer(10);
        buffer.append(lines.numbered(0, 15));
        assertThat(buffer.shownIndexOf(5)).isZero();
        assertThat(buffer.shownIndexOf(4)).isEqualTo(-1);

        buffer.search(SearchQuery.text("line 12", false));
        buffer.filter(true, 0);

        assertThat(buffer.shownIndexOf(12)).isZero();
        assertThat(buffer.shownIndexOf(11)).isEqualTo(-1);
    }

    private static void apply(List<LogEntry> view, ViewDelta delta, LogBuffer buffer) {
        if (delta.reset()) {
            view.clear();
            view.addAll(buffer.shownLines());
            return;
        }
        view.subList(0, delta.removedFromHead()).clear();
        view.addAll(delta.appended());
    }
}
