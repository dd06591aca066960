package fleet.console.cluster.logs;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reopening a log stream from the last line's second delivers each line exactly once. */
class ResumePointTest {

    private static Instant t(String hms) {
        return Instant.parse("2025-03-01T" + hms + "Z");
    }

    @Test
    void reopenedStreamDropsWhatItRepeatsOfTheLastSecondAndKeepsWhatIsNew() {
        ResumePoint point = new ResumePoint();
        assertEquals(Optional.empty(), point.since());
        assertTrue(point.accept(t("10:00:00.100"), "a"));
        assertTrue(point.accept(t("10:00:01.200"), "b"));
        assertTrue(point.accept(t("10:00:01.500"), "c"));
        assertEquals(Optional.of(t("10:00:01")), point.since(), "the API takes whole seconds");

        point.reopen();
        // What the server sends again from 10:00:01, then what is new.
        assertFalse(point.accept(t("10:00:01.200"), "b"));
        assertFalse(point.accept(t("10:00:01.500"), "c"));
        assertTrue(point.accept(t("10:00:01.700"), "d"));
        assertTrue(point.accept(t("10:00:02.000"), "e"));
    }

    @Test
    void aLinePrintedTwiceInTheSameInstantIsDeliveredTwice() {
        ResumePoint point = new ResumePoint();
        assertTrue(point.accept(t("10:00:01.5"), "tick"));
        point.reopen();
        assertFalse(point.accept(t("10:00:01.5"), "tick"), "the repeat of the delivered one");
        assertTrue(point.accept(t("10:00:01.5"), "tick"), "a second line with the same time and text is new");
    }

    /**
     * Thousands of lines at one instant (a server that wrote no timestamps, each line then taking the one
     * before's): past the first 1,024 they are counted, not listed, and a reopen still drops each repeat
     * once, the listed ones and the counted ones alike.
     */
    @Test
    void manyLinesAtOneInstantAreEachDroppedOnceWhenRepeated() {
        ResumePoint point = new ResumePoint();
        Instant at = t("10:00:03.25");
        int lines = 3_000;
        for (int i = 0; i < lines; i++) {
            assertTrue(point.accept(at, "line " + (i % 1_500)));
        }
        point.reopen();
        for (int i = 0; i < lines; i++) {
            assertFalse(point.accept(at, "line " + (i % 1_500)), "repeat " + i);
        }
        assertTrue(point.accept(at, "line 7"), "a third 'line 7' at that instant is new");
        assertTrue(point.accept(at, "line 2999"), "never delivered before");
    }

    @Test
    void aNewRunOfTheContainerStartsAfresh() {
        ResumePoint point = new ResumePoint();
        point.accept(t("10:00:05"), "old run");
        point.newRun();
        point.reopen();
        assertTrue(point.accept(t("10:00:04"), "new run (clock of another container)"));
    }

    @Test
    void timestampedLinesAreParsedAndUntimedOnesKeepTheirText() {
        assertEquals(new LogLines.Timed(Instant.parse("2025-03-01T10:00:00.123456789Z"), "INFO started"),
                LogLines.parse("2025-03-01T10:00:00.123456789Z INFO started", Instant.EPOCH));
        assertEquals(new LogLines.Timed(Instant.parse("2025-03-01T10:00:00Z"), ""), LogLines.parse("2025-03-01T10:00:00Z ", Instant.EPOCH));
        assertEquals(new LogLines.Timed(Instant.EPOCH, "Traceback (most recent call last):"),
                LogLines.parse("Traceback (most recent call last):", Instant.EPOCH));
        assertEquals(List.of("a", "", "b"), LogLines.split("a\n\nb"));
    }
}
