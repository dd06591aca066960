package fleet.console.ui.logs;

import fleet.console.cluster.logs.LogLine;
import fleet.console.ui.common.ManualFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The log view's model without a window: frames are advanced by hand, files written synchronously. */
class LogViewModelTest {

    private final ManualFrames frames = new ManualFrames();
    private long seq;

    @TempDir
    Path dir;

    private LogViewModel model(int capacity) {
        return new LogViewModel(Runnable::run, Runnable::run, frames, capacity);
    }

    private List<LogLine> lines(String pod, int from, int count) {
        List<LogLine> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(new LogLine(pod, "main", Instant.EPOCH.plusMillis(seq), "line " + i, seq++));
        }
        return out;
    }

    @Test
    void linesFedFromAnotherThreadAppearOnlyWhenAFrameRuns() throws Exception {
        LogViewModel model = model(1_000);
        Thread stream = new Thread(() -> model.feed().lines(lines("p", 0, 50)));
        stream.start();
        stream.join();

        assertThat(model.lines()).isEmpty();
        frames.drain();

        assertThat(model.lines()).hasSize(50);
        assertThat(model.receivedProperty().get()).isEqualTo(50);
    }

    @Test
    void countersSayHowManyLinesAreHeldEvictedAndDropped() {
        LogViewModel model = model(100);
        model.feed().countDroppedWith(() -> 7);

        model.feed().lines(lines("p", 0, 250));
        frames.drain();

        assertThat(model.heldProperty().get()).isEqualTo(100);
        assertThat(model.evictedProperty().get()).isEqualTo(150);
        assertThat(model.droppedProperty().get()).isEqualTo(7);
        assertThat(model.lines()).hasSize(100);
        assertThat(model.countersProperty().get()).contains("100 lines held").contains("150 older evicted")
                .contains("7 dropped");
    }

    @Test
    void pauseCountsWaitingLinesAndResumeShowsThem() {
        LogViewModel model = model(1_000);
        model.feed().lines(lines("p", 0, 10));
        frames.drain();

        model.pausedProperty().set(true);
        model.feed().lines(lines("p", 10, 15));
        frames.drain();

        assertThat(model.lines()).hasSize(10);
        assertThat(model.waitingProperty().get()).isEqualTo(15);
        assertThat(model.countersProperty().get()).contains("paused, 15 waiting");

        model.pausedProperty().set(false);
        assertThat(model.lines()).hasSize(25);
        assertThat(model.waitingProperty().get()).isZero();
    }

    @Test
    void saveWritesExactlyTheHeldLinesWhateverTheFilterShows() throws Exception {
        LogViewModel model = model(100);
        model.feed().lines(lines("p", 0, 130));
        frames.drain();
        model.searchTextProperty().set("line 12");
        model.filterProperty().set(true);
        Path file = dir.resolve("ray-executor.log");

        int written = model.save(file).get();

        List<String> saved = Files.readAllLines(file);
        assertThat(written).isEqualTo(100);
        assertThat(saved).hasSize(100).first().isEqualTo("line 30");
        assertThat(saved).last().isEqualTo("line 129");
        assertThat(model.messageProperty().get()).contains("Saved 100 lines").contains("30 older lines were evicted");
    }

    @Test
    void searchReportsItsMatchesAndNextScrollsNoMoreToTheEnd() {
        LogViewModel model = model(1_000);
        model.feed().lines(lines("p", 0, 30));
        frames.drain();

        model.searchTextProperty().set("line 2");
        assertThat(model.matchTextProperty().get()).isEqualTo("11 matches");
        SearchHit hit = model.nextMatch().orElseThrow();

        assertThat(hit.line()).isEqualTo(2);
        assertThat(model.matchTextProperty().get()).isEqualTo("1 of 11");
        assertThat(model.autoScrollProperty().get()).isFalse();
        assertThat(model.indexOf(hit.line())).isEqualTo(2);
        assertThat(model.matchesIn(model.lines().get(2))).containsExactly(0, 6);
    }

    @Test
    void anInvalidExpressionIsExplainedAndSearchesNothing() {
        LogViewModel model = model(1_000);
        model.regexProperty().set(true);

        model.searchTextProperty().set("exit (");

        assertThat(model.searchProblemProperty().get()).startsWith("Not a regular expression");
        assertThat(model.queryProperty().get()).isNull();
    }

    @Test
    void theFilterShowsMatchesWithTheirContextAndKeepsDoingSoForNewLines() {
        LogViewModel model = model(1_000);
        model.contextProperty().set(1);
        model.searchTextProperty().set("boom");
        model.filterProperty().set(true);

        model.feed().lines(lines("p", 0, 3));
        model.feed().lines(List.of(new LogLine("p", "main", Instant.EPOCH, "boom", seq++)));
        model.feed().lines(lines("p", 3, 3));
        frames.drain();

        assertThat(model.lines()).extracting(LogEntry::text).containsExactly("line 2", "boom", "line 3");
    }

    @Test
    void restartSilencesTheOldStreamSoItsLateLinesNeverMixIn() {
        LogViewModel model = model(1_000);
        LogViewModel.Feed old = model.feed();
        old.lines(lines("p", 0, 5));

        LogViewModel.Feed fresh = model.restart("ray-executor (previous)");
        old.lines(lines("p", 5, 5));
        fresh.lines(lines("p", 100, 2));
        frames.drain();

        assertThat(model.lines()).extracting(LogEntry::text).containsExactly("line 100", "line 101");
        assertThat(model.titleProperty().get()).isEqualTo("ray-executor (previous)");
    }

    @Test
    void aWorkloadsPodsCarryTheirPodAsPrefixInTheViewAndInWhatIsCopied() {
        LogViewModel model = model(1_000);
        Instant t = Instant.parse("2025-03-01T12:00:00Z");
        model.feed().lines(List.of(new LogLine("ray-b", "main", t.plusMillis(1), "b1", 1),
                new LogLine("ray-a", "main", t.plusMillis(2), "a2", 1)));
        frames.drain();

        assertThat(model.prefixedProperty().get()).isTrue();
        assertThat(model.prefixOf(model.lines().get(0))).isEqualTo("ray-b");
        assertThat(model.copyText(model.lines())).isEqualTo("[pod/ray-b/main] b1\n[pod/ray-a/main] a2\n");
    }

    @Test
    void oneSourceHasNoPrefix() {
        LogViewModel model = model(1_000);
        model.feed().lines(lines("p", 0, 2));
        frames.drain();

        assertThat(model.prefixOf(model.lines().get(0))).isEmpty();
        assertThat(model.copyText(model.lines())).isEqualTo("line 0\nline 1\n");
    }

    @Test
    void shrinkingTheBoundEvictsAtOnceAndSaysSo() {
        LogViewModel model = model(1_000);
        model.feed().lines(lines("p", 0, 500));
        frames.drain();

        model.capacityProperty().set(200);

        assertThat(model.lines()).hasSize(200);
        assertThat(model.lines().get(0).text()).isEqualTo("line 300");
    }

    @Test
    void aTrickleIsShownOnTheNextFrameAndAFloodChangesTheListOnlyEveryFewFrames() {
        LogViewModel model = model(100_000);
        int[] changes = {0};
        model.lines().addListener((javafx.collections.ListChangeListener<LogEntry>) c -> changes[0]++);

        model.feed().lines(lines("p", 0, 100));
        frames.frame();
        assertThat(model.lines()).as("a trickle, next frame").hasSize(100);

        model.feed().lines(lines("p", 100, 30_000));
        for (int i = 1; i < LogViewModel.FLOOD_EVERY; i++) {
            frames.frame();
        }
        assertThat(model.lines()).as("a flood waits a few frames").hasSize(100);
        frames.frame();
        assertThat(model.lines()).hasSize(30_100);
        assertThat(changes[0]).as("one list change per hand-over").isEqualTo(2);
        assertThat(model.receivedProperty().get()).isEqualTo(30_100);
    }
}
