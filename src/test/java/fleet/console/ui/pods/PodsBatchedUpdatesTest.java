package fleet.console.ui.pods;

import fleet.console.cluster.pods.PodRow;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.ui.common.ManualFrames;
import fleet.console.ui.common.ManualScheduler;
import fleet.console.ui.common.Severity;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static fleet.console.ui.pods.FakePods.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A namespace whose pods change many times a second: changes that arrive while the table is still within
 * its quiet period join the next hand-over, and a hand-over replaces rows where they stand, in one change,
 * with the last version of each pod; counts, workloads and the selection follow.
 */
class PodsBatchedUpdatesTest {

    private final FakePods pods = new FakePods();
    private final ManualScheduler background = new ManualScheduler();
    /** A quiet period the test never waits out: only the background executor's timers end it. */
    private final PodsViewModel model = new PodsViewModel(pods, background, Runnable::run,
            Clock.fixed(FakePods.NOW, ZoneOffset.UTC), new ManualFrames(), 1_000, Duration.ofHours(1));
    private final List<String> rowChanges = new ArrayList<>();

    private List<PodRow> connected(int count) {
        model.show(FakePods.SESSION);
        model.activate();
        // A namespace of bare pods (each its own workload), as a cluster with 10,000 of them shows.
        List<PodRow> all = IntStream.range(0, count)
                .mapToObj(i -> row(String.format("worker-%04d", i), String.format("worker-%04d", i), "Running", false, 0))
                .toList();
        pods.listener.changed(all, List.of());
        model.rows().addListener((ListChangeListener<PodRow>) c -> {
            while (c.next()) {
                rowChanges.add(c.wasReplaced() ? "replaced " + c.getFrom() + ".." + c.getTo()
                        : c.wasRemoved() ? "removed " + c.getRemovedSize() : "added " + c.getAddedSize());
            }
        });
        return all;
    }

    @Test
    void updatesThatArriveTogetherReplaceTheirRowsInPlaceWithTheLastVersionOfEachPod() {
        List<PodRow> all = connected(1_000);
        assertThat(model.rows()).hasSize(1_000);
        PodRow chosen = model.shownRows().get(500);
        model.select(chosen);
        List<WorkloadRef> workloadsBefore = List.copyOf(model.workloads());

        PodRow crashing = FakePods.changed(all.get(500), "CrashLoopBackOff", true, 1, "2");
        PodRow crashedAgain = FakePods.changed(all.get(500), "CrashLoopBackOff", true, 2, "3");
        PodRow pulling = FakePods.changed(all.get(7), "ImagePullBackOff", true, 0, "2");
        pods.listener.changed(List.of(crashing), List.of());
        pods.listener.changed(List.of(pulling), List.of());
        pods.listener.changed(List.of(crashedAgain), List.of());

        // Still within the quiet period: the table shows the pods as they were.
        assertThat(model.rows().get(500)).isSameAs(all.get(500));
        assertThat(model.summary()).containsExactly(new StatusCount("Running", 1_000, Severity.OK));

        background.settle();

        assertThat(model.rows()).hasSize(1_000);
        assertThat(model.rows().get(500)).isSameAs(crashedAgain);
        assertThat(model.rows().get(7)).isSameAs(pulling);
        assertThat(model.rows().get(6)).isSameAs(all.get(6));
        assertThat(rowChanges).containsExactly("replaced 7..8", "replaced 500..501");
        assertThat(model.summary()).containsExactly(
                new StatusCount("CrashLoopBackOff", 1, Severity.PROBLEM),
                new StatusCount("ImagePullBackOff", 1, Severity.PROBLEM),
                new StatusCount("Running", 998, Severity.OK));
        assertThat(model.summaryTextProperty().get()).isEqualTo("1000 pods in swe-ai-fleet · 2 need attention");
        // The selection follows its pod to the newest version; the workload chooser did not change.
        assertThat(model.getSelected()).isSameAs(crashedAgain);
        assertThat(model.workloads()).containsExactlyElementsOf(workloadsBefore);
        assertThat(model.shownRows()).hasSize(1_000);
        assertThat(model.shownRows().get(500)).isSameAs(crashedAgain);

        model.problemsFirstProperty().set(true);
        assertThat(model.shownRows().subList(0, 2)).containsExactly(pulling, crashedAgain);
    }

    @Test
    void podsAddedAndRemovedWithinOneBatchAreCountedOnceAndAPodThatCameAndWentIsNeverShown() {
        List<PodRow> all = connected(100);
        PodRow newcomer = row("worker-new", "worker-new", "Pending", false, 0);
        PodRow newcomerRunning = FakePods.changed(newcomer, "Running", false, 0, "2");
        PodRow ephemeral = row("worker-ephemeral", "worker-ephemeral", "Pending", false, 0);

        pods.listener.changed(List.of(newcomer), List.of());
        pods.listener.changed(List.of(ephemeral), List.of(all.get(3).uid()));
        pods.listener.changed(List.of(newcomerRunning), List.of(ephemeral.uid()));
        background.settle();

        assertThat(model.rows()).hasSize(100).contains(newcomerRunning).doesNotContain(newcomer, ephemeral, all.get(3));
        assertThat(model.summary()).containsExactly(new StatusCount("Running", 100, Severity.OK));
        assertThat(model.workloads()).extracting(WorkloadRef::name)
                .contains("worker-new").doesNotContain("worker-ephemeral", "worker-0003").hasSize(100);
        assertThat(model.shownRows()).contains(newcomerRunning).doesNotContain(all.get(3));

        // Both versions of a new pod in one list from the watch: the later one stands, counted once.
        PodRow twin = row("worker-twin", "worker-twin", "Pending", false, 0);
        pods.listener.changed(List.of(twin, FakePods.changed(twin, "Running", false, 0, "2")), List.of());
        background.settle();
        assertThat(model.rows()).hasSize(101).filteredOn(r -> r.uid().equals(twin.uid()))
                .singleElement().extracting(PodRow::status).isEqualTo("Running");
        assertThat(model.summary()).containsExactly(new StatusCount("Running", 101, Severity.OK));
    }
}
