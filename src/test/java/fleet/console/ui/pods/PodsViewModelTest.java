package fleet.console.ui.pods;

import fleet.console.cluster.pods.PodRow;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.ui.common.ManualFrames;
import fleet.console.ui.common.ManualScheduler;
import fleet.console.ui.common.Severity;
import fleet.console.ui.logs.LogOptions;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static fleet.console.ui.pods.FakePods.row;
import static org.assertj.core.api.Assertions.assertThat;

/** The Pods area's model with synthetic pods: ordering, filters, counts, gone pods, actions. */
class PodsViewModelTest {

    private final FakePods pods = new FakePods();
    private final ManualScheduler background = new ManualScheduler();
    private final PodsViewModel model = new PodsViewModel(pods, background, Runnable::run,
            Clock.fixed(FakePods.NOW, ZoneOffset.UTC), new ManualFrames(), 1_000, Duration.ZERO);

    private final PodRow natsPod = row("nats-0", "nats", "Running", false, 0);
    private final PodRow orchestrator = row("orchestrator-6d8f-abcde", "orchestrator", "CrashLoopBackOff", true, 4);
    private final PodRow ray = row("ray-executor-7d9f-fghij", "ray-executor", "ImagePullBackOff", true, 0);
    private final PodRow context = row("context-5c4b-klmno", "context", "Running", false, 1);
    private final PodRow dashboard = row("monitoring-dashboard-9f-pqrst", "monitoring-dashboard", "Pending", false, 0);

    private void connected(PodRow... rows) {
        model.show(FakePods.SESSION);
        model.activate();
        pods.listener.changed(List.of(rows), List.of());
    }

    private List<String> shown() {
        return model.shownRows().stream().map(PodRow::name).toList();
    }

    @Test
    void theWatchStartsOnlyOnceTheAreaIsShown() {
        model.show(FakePods.SESSION);
        assertThat(pods.listener).isNull();

        model.activate();

        assertThat(pods.listener).isNotNull();
    }

    @Test
    void rowsAreSortedByNameUnlessProblemsFirstIsAskedFor() {
        connected(natsPod, orchestrator, ray, context, dashboard);

        assertThat(shown()).containsExactly("context-5c4b-klmno", "monitoring-dashboard-9f-pqrst", "nats-0",
                "orchestrator-6d8f-abcde", "ray-executor-7d9f-fghij");

        model.problemsFirstProperty().set(true);

        assertThat(shown()).containsExactly("orchestrator-6d8f-abcde", "ray-executor-7d9f-fghij", "context-5c4b-klmno",
                "monitoring-dashboard-9f-pqrst", "nats-0");
    }

    @Test
    void problemsFirstKeepsTheColumnOrderWithinEachGroup() {
        connected(natsPod, orchestrator, ray, context, dashboard);
        model.columnOrderProperty().set(Comparator.comparingInt(PodRow::restarts).reversed());

        model.problemsFirstProperty().set(true);

        assertThat(shown()).containsExactly("orchestrator-6d8f-abcde", "ray-executor-7d9f-fghij", "context-5c4b-klmno",
                "monitoring-dashboard-9f-pqrst", "nats-0");
    }

    @Test
    void aRowThatBecomesAProblemMovesUpWhileProblemsComeFirst() {
        connected(natsPod, orchestrator, context);
        model.problemsFirstProperty().set(true);

        pods.listener.changed(List.of(FakePods.changed(natsPod, "Running", true, 0, "2")), List.of());

        assertThat(shown()).containsExactly("nats-0", "orchestrator-6d8f-abcde", "context-5c4b-klmno");
        assertThat(model.rows()).hasSize(3);
    }

    @Test
    void theTextFilterMatchesNameImageNodeAndReasonIgnoringCase() {
        connected(natsPod, orchestrator, ray, context, dashboard);

        model.filterTextProperty().set("RAY-EXEC");
        assertThat(shown()).containsExactly("ray-executor-7d9f-fghij");
        model.filterTextProperty().set("registry.local/swe-ai-fleet/nats");
        assertThat(shown()).containsExactly("nats-0");
        model.filterTextProperty().set("why orchestrator");
        assertThat(shown()).containsExactly("orchestrator-6d8f-abcde");
        model.filterTextProperty().set("sandbox-node-1");
        assertThat(shown()).hasSize(5);
    }

    @Test
    void workloadAndStatusFiltersCombine() {
        PodRow orchestrator2 = row("orchestrator-6d8f-zzzzz", "orchestrator", "Running", false, 0);
        connected(natsPod, orchestrator, orchestrator2, ray);

        model.workloadFilterProperty().set(new WorkloadRef("Deployment", "orchestrator"));
        assertThat(shown()).containsExactly("orchestrator-6d8f-abcde", "orchestrator-6d8f-zzzzz");
        model.statusFilterProperty().set(StatusFilter.PROBLEMS);
        assertThat(shown()).containsExactly("orchestrator-6d8f-abcde");
        model.workloadFilterProperty().set(null);
        assertThat(shown()).containsExactly("orchestrator-6d8f-abcde", "ray-executor-7d9f-fghij");
        model.statusFilterProperty().set(StatusFilter.of("Running"));
        assertThat(shown()).containsExactly("nats-0", "orchestrator-6d8f-zzzzz");
        assertThat(model.summaryTextProperty().get()).isEqualTo("4 pods in swe-ai-fleet · 2 need attention · showing 2 (filtered)");
        assertThat(model.workloads()).extracting(WorkloadRef::name).containsExactly("nats", "orchestrator", "ray-executor");
    }

    @Test
    void theSummaryCountsEachStatusProblemsFirstAndFollowsChanges() {
        PodRow context2 = row("context-5c4b-second", "context", "Running", false, 0);
        connected(natsPod, orchestrator, ray, context, context2, dashboard);

        assertThat(model.summary()).containsExactly(
                new StatusCount("CrashLoopBackOff", 1, Severity.PROBLEM),
                new StatusCount("ImagePullBackOff", 1, Severity.PROBLEM),
                new StatusCount("Pending", 1, Severity.BUSY),
                new StatusCount("Running", 3, Severity.OK));

        pods.listener.changed(List.of(FakePods.changed(ray, "Running", false, 0, "2")), List.of(orchestrator.uid()));

        assertThat(model.summary()).containsExactly(
                new StatusCount("Pending", 1, Severity.BUSY),
                new StatusCount("Running", 4, Severity.OK));
        assertThat(model.statusChoices()).containsExactly(StatusFilter.ALL, StatusFilter.PROBLEMS,
                StatusFilter.of("Pending"), StatusFilter.of("Running"));
    }

    @Test
    void aNamespaceWithoutPodsSaysSo() {
        connected();

        assertThat(model.isLoaded()).isTrue();
        assertThat(model.shownRows()).isEmpty();
        assertThat(model.emptyTextProperty().get()).startsWith("No pods in namespace swe-ai-fleet on sandbox.");
    }

    @Test
    void aFilterThatHidesEverythingSaysHowManyItHides() {
        connected(natsPod, context);

        model.filterTextProperty().set("no such pod");

        assertThat(model.emptyTextProperty().get()).isEqualTo("No pod matches the filter; 2 pods are hidden.");
    }

    @Test
    void theSelectedPodDeletedWhileOpenSaysItIsGone() {
        pods.details.put(orchestrator.name(), FakePods.crashLooping(orchestrator));
        connected(natsPod, orchestrator);
        model.select(orchestrator);
        background.settle();
        assertThat(model.detail().getState()).isEqualTo(PodDetailViewModel.State.SHOWN);

        pods.listener.changed(List.of(), List.of(orchestrator.uid()));
        model.select(null);

        assertThat(model.detail().getState()).isEqualTo(PodDetailViewModel.State.GONE);
        assertThat(model.detail().noteProperty().get()).startsWith("Pod orchestrator-6d8f-abcde is gone")
                .contains("Deployment orchestrator starts a replacement");
        assertThat(model.detail().containers()).isNotEmpty();
    }

    @Test
    void aPodThatVanishedBeforeItWasReadIsGoneToo() {
        connected(natsPod);
        model.select(natsPod);

        background.settle();

        assertThat(model.detail().getState()).isEqualTo(PodDetailViewModel.State.GONE);
    }

    @Test
    void aSelectedRowThatChangesIsReadAgainAndKeepsItsSelection() {
        pods.details.put(orchestrator.name(), FakePods.crashLooping(orchestrator));
        connected(orchestrator);
        model.select(orchestrator);
        background.settle();

        PodRow restarted = FakePods.changed(orchestrator, "CrashLoopBackOff", true, 5, "2");
        pods.details.put(orchestrator.name(), FakePods.crashLooping(restarted));
        pods.listener.changed(List.of(restarted), List.of());
        background.settle();

        assertThat(model.getSelected()).isSameAs(restarted);
        assertThat(model.detail().headlineProperty().get()).contains("5 restarts, last 40s ago");
    }

    @Test
    void theDetailShowsLastTerminationResourcesAndProbesInWords() {
        pods.details.put(orchestrator.name(), FakePods.crashLooping(orchestrator));
        connected(orchestrator);
        model.select(orchestrator);
        background.settle();

        ContainerCard failing = model.detail().containers().get(1);
        assertThat(failing.state()).isEqualTo("Waiting: CrashLoopBackOff");
        assertThat(failing.severity()).isEqualTo(Severity.PROBLEM);
        assertThat(failing.lastTermination()).isEqualTo("Error, exit code 1, started 11:59:15, finished 11:59:16 (44s ago)");
        assertThat(failing.resources()).isEqualTo("requests cpu 100m, memory 256Mi · limits memory 512Mi");
        assertThat(failing.probes()).containsExactly("readiness: http-get :8080/health every 10s");
        assertThat(model.detail().placementProperty().get()).startsWith("node sandbox-node-1 · pod IP 10.0.0.5 · QoS Burstable");
    }

    @Test
    void aCrashLoopingPodOpensItsLogOnThePreviousRunOfTheFailingContainer() {
        pods.details.put(orchestrator.name(), FakePods.crashLooping(orchestrator));
        connected(orchestrator);
        model.select(orchestrator);
        background.settle();

        model.openLogs(orchestrator);

        assertThat(pods.logsOpened).containsExactly(LogOptions.previousRun(Optional.of("ray-executor")));
        assertThat(model.logs()).hasSize(1);
        assertThat(model.logToShowProperty().get().view().titleProperty().get()).isEqualTo("orchestrator-6d8f-abcde (previous run)");
        assertThat(model.logToShowProperty().get().containers()).containsExactly("log-shipper", "ray-executor");
    }

    @Test
    void deletingSaysWhatItDestroysAndTheResultReachesTheJournal() {
        connected(orchestrator);

        String consequences = model.deleteConsequences(orchestrator);
        model.delete(orchestrator);

        assertThat(consequences).contains("Deletes pod orchestrator-6d8f-abcde in namespace swe-ai-fleet on the embedded sandbox")
                .contains("logs, including the previous run's, are lost").contains("Deployment orchestrator creates a replacement");
        assertThat(pods.deleted).containsExactly("orchestrator-6d8f-abcde");
        assertThat(model.noticeProperty().get()).isEqualTo("Deleted pod orchestrator-6d8f-abcde; written to the audit journal.");
        assertThat(model.audit()).extracting(e -> e.target()).containsExactly("orchestrator-6d8f-abcde");
    }

    @Test
    void aBarePodIsDeletedForGood() {
        PodRow bare = new PodRow("swe-ai-fleet", "debug", "uid-debug", WorkloadRef.none("debug"), 1, 1, "Running",
                false, "", 0, Optional.empty(), FakePods.NOW, "n", List.of("busybox"), "1");
        connected(bare);

        assertThat(model.deleteConsequences(bare)).contains("Nothing owns this pod: it does not come back.");
    }

    @Test
    void revealingAPodHiddenByTheFilterClearsTheFilterAndSelectsIt() {
        connected(natsPod, orchestrator);
        model.filterTextProperty().set("nats");

        assertThat(model.reveal("orchestrator-6d8f-abcde")).isTrue();

        assertThat(model.filterTextProperty().get()).isEmpty();
        assertThat(model.getSelected()).isEqualTo(orchestrator);
        assertThat(model.reveal("gone-pod")).isFalse();
        assertThat(model.noticeProperty().get()).isEqualTo("Pod gone-pod no longer exists in swe-ai-fleet.");
    }

    @Test
    void aNewSessionDropsTheOldWatchAndItsLateChanges() {
        connected(natsPod);
        PodsGateway.RowListener old = pods.listener;

        model.show(FakePods.SESSION);
        old.changed(List.of(orchestrator), List.of());

        assertThat(pods.watchesClosed).isEqualTo(1);
        assertThat(model.rows()).isEmpty();
        assertThat(model.isLoaded()).isFalse();
    }

    @Test
    void aLostWatchIsSaidAndItsReturnClearsIt() {
        connected(natsPod);

        pods.listener.connection(true, FakePods.NOW, "connection refused");
        assertThat(model.problemProperty().get()).startsWith("Lost the watch of the pods at 12:00:00: connection refused");
        assertThat(model.liveProperty().get()).isFalse();

        pods.listener.connection(false, FakePods.NOW, "");
        assertThat(model.problemProperty().get()).isEmpty();
    }
}
