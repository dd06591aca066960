package fleet.console.ui.logs;

import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The list a log view's ListView observes: its contents and, above all, its change events, which the
 * ListView (cells, selection, scroll position) follows. A mirror that only applies the events must end
 * up equal to the list after every frame, or the operator sees stale or shifted lines.
 */
class ShownLinesTest {

    private final Lines source = new Lines();
    private int next;

    private List<LogEntry> entries(int count) {
        List<LogEntry> out = new ArrayList<>();
        for (LogEntry c : source.numbered(next, count)) {
            c.numbered(next++);
            out.add(c);
        }
        return out;
    }

    /** Applies every change it hears to a plain list, checking the removed elements are the ones held. */
    private static final class Mirror implements ListChangeListener<LogEntry> {
        final List<LogEntry> copy = new ArrayList<>();
        int events;

        @Override
        public void onChanged(Change<? extends LogEntry> c) {
            events++;
            while (c.next()) {
                assertThat(c.wasPermutated()).as("no permutations").isFalse();
                assertThat(c.wasUpdated()).as("no updates").isFalse();
                if (c.wasRemoved()) {
                    List<LogEntry> gone = copy.subList(c.getFrom(), c.getFrom() + c.getRemovedSize());
                    assertThat(List.<LogEntry>copyOf(c.getRemoved())).containsExactlyElementsOf(List.copyOf(gone));
                    gone.clear();
                }
                if (c.wasAdded()) {
                    copy.addAll(c.getFrom(), c.getAddedSubList());
                }
            }
        }
    }

    @Test
    void theFollowWindowHoldsTheNewestLinesWhileFollowingAndEveryLineOtherwiseInStepWithItsListener() {
        ShownLines shown = new ShownLines();
        FollowWindow window = new FollowWindow(shown, 1_000, true);
        Mirror mirror = new Mirror();
        window.addListener(mirror);
        List<LogEntry> expected = new ArrayList<>();
        Random random = new Random(7);

        for (int frame = 0; frame < 600; frame++) {
            int what = random.nextInt(20);
            if (what == 0) {
                window.follow(!window.following());
            } else if (what == 1) {
                List<LogEntry> fresh = entries(random.nextInt(2_500));
                shown.replaceAll(fresh);
                expected.clear();
                expected.addAll(fresh);
            } else {
                int drop = random.nextInt(what < 5 ? 3_000 : 300);
                List<LogEntry> added = entries(random.nextInt(what < 10 ? 1_500 : 200));
                shown.update(drop, added);
                expected.subList(0, Math.min(drop, expected.size())).clear();
                expected.addAll(added);
            }
            List<LogEntry> visible = window.following()
                    ? expected.subList(Math.max(0, expected.size() - 1_000), expected.size()) : expected;
            assertThat(window).as("frame %d", frame).hasSize(visible.size());
            assertThat(mirror.copy).as("frame %d", frame).hasSize(visible.size());
            assertThat(window.hidden()).isEqualTo(expected.size() - visible.size());
            if (frame % 25 == 0 || what == 0) {
                assertThat(window).containsExactlyElementsOf(visible);
                assertThat(mirror.copy).containsExactlyElementsOf(visible);
            }
        }
        assertThat(mirror.events).isGreaterThan(300);
    }

    @Test
    void randomFramesOfEvictionsAndAppendsKeepAListenerInStep() {
        ShownLines shown = new ShownLines();
        Mirror mirror = new Mirror();
        shown.addListener(mirror);
        List<LogEntry> expected = new ArrayList<>();
        Random random = new Random(42);

        for (int frame = 0; frame < 400; frame++) {
            int drop = random.nextInt(3_000);
            List<LogEntry> added = entries(random.nextInt(3_000));
            shown.update(drop, added);
            expected.subList(0, Math.min(drop, expected.size())).clear();
            expected.addAll(added);

            assertThat(shown).hasSize(expected.size());
            assertThat(mirror.copy).hasSize(expected.size());
            if (frame % 50 == 0) {
                assertThat(shown).containsExactlyElementsOf(expected);
                assertThat(mirror.copy).containsExactlyElementsOf(expected);
            }
        }
        assertThat(shown).containsExactlyElementsOf(expected);
        assertThat(mirror.copy).containsExactlyElementsOf(expected);
    }

    @Test
    void aFrameThatEvictsAndAppendsIsOneChangeRemovingAtTheTopAndAddingAtTheBottom() {
        ShownLines shown = new ShownLines();
        List<LogEntry> first = entries(10);
        shown.update(0, first);
        List<ListChangeListener.Change<? extends LogEntry>> heard = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        shown.addListener((ListChangeListener<LogEntry>) c -> {
            heard.add(c);
            while (c.next()) {
                parts.add((c.wasRemoved() ? "removed " + c.getRemovedSize() : "added " + c.getAddedSize())
                        + " at " + c.getFrom());
            }
        });

        shown.update(4, entries(3));

        assertThat(heard).hasSize(1);
        assertThat(parts).containsExactly("removed 4 at 0", "added 3 at 6");
        assertThat(Lines.texts(shown)).containsExactly("line 4", "line 5", "line 6", "line 7", "line 8",
                "line 9", "line 10", "line 11", "line 12");
    }

    @Test
    void wrappingAroundTheRingAndGrowingPastItKeepOrder() {
        ShownLines shown = new ShownLines();
        Mirror mirror = new Mirror();
        shown.addListener(mirror);
        // Fill most of the initial ring, drop the top so the tail wraps, then grow well past it.
        shown.update(0, entries(1_000));
        shown.update(900, entries(500));
        shown.update(0, entries(5_000));

        assertThat(shown).hasSize(5_600);
        assertThat(shown.get(0).text()).isEqualTo("line 900");
        assertThat(shown.get(5_599).text()).isEqualTo("line 6499");
        assertThat(mirror.copy).containsExactlyElementsOf(shown);
    }

    @Test
    void droppingMoreThanIsHeldEmptiesTheListAndNothingToDoSaysNothing() {
        ShownLines shown = new ShownLines();
        shown.update(0, entries(5));
        Mirror mirror = new Mirror();
        mirror.copy.addAll(shown);
        shown.addListener(mirror);

        shown.update(50, List.of());
        assertThat(shown).isEmpty();
        assertThat(mirror.copy).isEmpty();
        assertThat(mirror.events).isEqualTo(1);

        shown.update(3, List.of());
        shown.update(-1, List.of());
        shown.replaceAll(List.of());
        assertThat(mirror.events).as("no event when nothing changed").isEqualTo(1);
        assertThat(shown).isEmpty();
    }

    @Test
    void replacingEverythingIsSeenAsTheOldLinesRemovedAndTheNewAdded() {
        ShownLines shown = new ShownLines();
        shown.update(0, entries(2_000));
        shown.update(1_500, entries(100));
        Mirror mirror = new Mirror();
        mirror.copy.addAll(shown);
        shown.addListener(mirror);

        List<LogEntry> filtered = entries(3_000);
        shown.replaceAll(filtered);

        assertThat(mirror.events).isEqualTo(1);
        assertThat(shown).containsExactlyElementsOf(filtered);
        assertThat(mirror.copy).containsExactlyElementsOf(filtered);
        shown.update(10, entries(1));
        assertThat(mirror.copy).containsExactlyElementsOf(shown);
    }

    @Test
    void nobodyButTheViewModelCanChangeIt() {
        ShownLines shown = new ShownLines();
        shown.update(0, entries(3));

        assertThatThrownBy(() -> shown.add(entries(1).get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> shown.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(shown::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> shown.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(shown).hasSize(3);
    }
}
