package fleet.console.ui.common;

import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pods table's filtered, sorted rows under the changes a watch makes: rows replaced in place (in
 * batches), added, removed, a new filter, a new order. After each change the list must be exactly the
 * source filtered and sorted, and the changes it announced, played on a copy of what it showed before,
 * must give what it shows now: a table that follows those changes shows the right rows.
 */
class FilteredSortedListTest {

    /** A pod-like row: immutable, ordered by status then name; a new version is a new object. */
    record Row(String name, String status, int version) {
    }

    private static final Comparator<Row> BY_NAME = Comparator.comparing(Row::name);
    private static final Comparator<Row> PROBLEMS_FIRST = Comparator.comparing((Row r) -> !r.status().equals("CrashLoopBackOff"))
            .thenComparing(Row::name);

    /** Replays every change the list announces onto its own copy, as a table's cells would follow it. */
    private static final class Follower implements ListChangeListener<Row> {
        final List<Row> copy;
        int updatesInPlace;
        int permutations;

        Follower(List<Row> start) {
            copy = new ArrayList<>(start);
        }

        @Override
        public void onChanged(Change<? extends Row> c) {
            while (c.next()) {
                if (c.wasPermutated()) {
                    permutations++;
                    List<Row> before = new ArrayList<>(copy);
                    for (int i = c.getFrom(); i < c.getTo(); i++) {
                        copy.set(c.getPermutation(i), before.get(i));
                    }
                } else {
                    if (c.wasReplaced() && c.getRemovedSize() == 1 && c.getAddedSize() == 1) {
                        updatesInPlace++;
                    }
                    assertThat(copy.subList(c.getFrom(), c.getFrom() + c.getRemovedSize()))
                            .as("what the change says it removed is what stood there").containsExactlyElementsOf(c.getRemoved());
                    copy.subList(c.getFrom(), c.getFrom() + c.getRemovedSize()).clear();
                    copy.addAll(c.getFrom(), c.getAddedSubList());
                }
            }
        }
    }

    private static List<Row> expected(List<Row> source, Predicate<Row> filter, Comparator<Row> order) {
        return source.stream().filter(filter == null ? r -> true : filter).sorted(order).toList();
    }

    private static Row row(int n, Random random, int version) {
        String[] statuses = {"Running", "Running", "Running", "CrashLoopBackOff", "Pending"};
        return new Row(String.format("pod-%04d", n), statuses[random.nextInt(statuses.length)], version);
    }

    @Test
    void followsRandomBatchesOfReplacementsAdditionsAndRemovalsExactly() {
        Random random = new Random(5);
        BatchList<Row> source = new BatchList<>();
        for (int i = 0; i < 2_000; i++) {
            source.add(row(i, random, 0));
        }
        FilteredSortedList<Row> shown = new FilteredSortedList<>(source, PROBLEMS_FIRST);
        Follower follower = new Follower(shown);
        shown.addListener(follower);
        Predicate<Row> filter = null;
        Comparator<Row> order = PROBLEMS_FIRST;
        int next = 2_000;
        for (int round = 1; round <= 300; round++) {
            int kind = random.nextInt(20);
            if (kind == 0) {
                filter = random.nextBoolean() ? null : r -> !r.status().equals("Pending");
                shown.setPredicate(filter);
            } else if (kind == 1) {
                order = random.nextBoolean() ? BY_NAME : PROBLEMS_FIRST;
                shown.setComparator(order);
            } else if (kind == 2 && source.size() > 10) {
                // Pods deleted: a few rows leave at once, wherever they stand.
                int at = random.nextInt(source.size() - 5);
                source.remove(at, at + 1 + random.nextInt(4));
            } else if (kind == 3) {
                // Pods created: appended, as the watch's batch appends newcomers.
                List<Row> born = new ArrayList<>();
                for (int k = 0; k < 1 + random.nextInt(5); k++) {
                    born.add(row(next++, random, 0));
                }
                source.addAll(born);
            } else {
                // A batch of status changes, replaced where each row stands, in one change; now and then
                // so many that the list is better made anew.
                int version = round;
                int many = kind == 4 ? 1_200 : 1 + random.nextInt(60);
                java.util.SortedMap<Integer, Row> batch = new java.util.TreeMap<>();
                random.ints(many, 0, source.size()).forEach(i ->
                        batch.put(i, row(Integer.parseInt(source.get(i).name().substring(4)), random, version)));
                source.replace(batch);
            }
            assertThat(shown).as("round %d", round).containsExactlyElementsOf(expected(source, filter, order));
            assertThat(follower.copy).as("replayed changes, round %d", round).containsExactlyElementsOf(shown);
        }
        assertThat(follower.updatesInPlace).as("rows that did not move were replaced where they stand").isGreaterThan(1_000);
        assertThat(follower.permutations).as("a new order is a permutation").isGreaterThan(0);
    }

    @Test
    void aRowThatBecomesAProblemMovesToTheTopAndOneThatStaysPutIsReplacedInPlace() {
        ObservableList<Row> source = FXCollections.observableArrayList(
                new Row("a", "Running", 0), new Row("b", "Running", 0), new Row("c", "Running", 0));
        FilteredSortedList<Row> shown = new FilteredSortedList<>(source, PROBLEMS_FIRST);
        Follower follower = new Follower(shown);
        shown.addListener(follower);

        source.set(2, new Row("c", "CrashLoopBackOff", 1));
        assertThat(shown).extracting(Row::name).containsExactly("c", "a", "b");
        assertThat(follower.updatesInPlace).isZero();

        source.set(0, new Row("a", "Running", 2));
        assertThat(shown.get(1)).isSameAs(source.get(0));
        assertThat(follower.updatesInPlace).isEqualTo(1);
        assertThat(follower.copy).containsExactlyElementsOf(shown);
    }

    @Test
    void aFilterHidesAndShowsRowsAsTheyChange() {
        ObservableList<Row> source = FXCollections.observableArrayList(new Row("a", "Running", 0), new Row("b", "Pending", 0));
        FilteredSortedList<Row> shown = new FilteredSortedList<>(source, BY_NAME);
        shown.setPredicate(r -> r.status().equals("Pending"));
        assertThat(shown).extracting(Row::name).containsExactly("b");

        source.set(0, new Row("a", "Pending", 1));
        source.set(1, new Row("b", "Running", 1));
        assertThat(shown).extracting(Row::name).containsExactly("a");
        source.clear();
        assertThat(shown).isEmpty();
    }
}
