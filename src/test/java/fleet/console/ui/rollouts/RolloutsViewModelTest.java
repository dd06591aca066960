package fleet.console.ui.rollouts;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.rollouts.Revision;
import fleet.console.cluster.rollouts.RolloutActions;
import fleet.console.cluster.rollouts.RolloutState;
import fleet.console.cluster.rollouts.TemplateDiff;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.StandInUiThread;
import fleet.console.ui.common.FrameBatcher;
import fleet.console.ui.common.Severity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Rollouts area's view-model against the real sandbox (one per class). The UI executor is one
 * thread, as the FX thread is; the test reads the model's state on that same thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutsViewModelTest {

    private static final String REGISTRY = "registry.underpassai.com/";

    private FleetSandbox sandbox;
    private ScheduledExecutorService background;
    private StandInUiThread uiThread;
    private ClusterSession session;
    private RolloutsViewModel model;
    private UiFrames frames;
    private final List<AuditEntry> journal = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        sandbox = FleetSandbox.start();
        background = Executors.newScheduledThreadPool(3);
        uiThread = new StandInUiThread();
        session = ClusterConnector.withDefaultTimeout().connect(sandbox.sandbox().clientConfig(), "sandbox", FleetSandbox.NAMESPACE, true);
        frames = new UiFrames();
        model = newModel();
        onUi(() -> {
            model.show(session);
            return null;
        });
        waitFor(20, () -> model.isLoaded() && model.isLive() && model.permits().refusalNow(RolloutsViewModel.ROLLBACK) == null);
    }

    private RolloutsViewModel newModel() {
        return new RolloutsViewModel(background, uiThread, () -> FleetSandbox.PROFILE, journal::add, Clock.systemDefaultZone(),
                Duration.ofMillis(100), RolloutActions.READY_TIMEOUT, frames);
    }

    /** The screen's frames without a screen: every 16 ms each waiting batcher's tick runs on the UI thread. */
    private final class UiFrames implements FrameBatcher.Frames {
        private final java.util.Set<Runnable> ticks = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile Runnable ticking;

        UiFrames() {
            background.scheduleAtFixedRate(() -> uiThread.execute(this::frame), 16, 16, TimeUnit.MILLISECONDS);
        }

        private void frame() {
            for (Runnable t : List.copyOf(ticks)) {
                ticking = t;
                try {
                    t.run();
                } finally {
                    ticking = null;
                }
            }
        }

        @Override
        public void start(Runnable tick) {
            ticks.add(tick);
        }

        @Override
        public void stop() {
            Runnable t = ticking;
            if (t != null) {
                ticks.remove(t);
            }
        }
    }

    /** The pods whose lines the rollback's log tail shows, and the lines' texts, as the operator reads them. Read on the UI thread. */
    private java.util.Set<String> logPods() {
        return model.rollbackLog().lines().stream().map(e -> e.pod()).collect(java.util.stream.Collectors.toSet());
    }

    private List<String> logLinesOf(java.util.Collection<String> pods) {
        return model.rollbackLog().lines().stream().filter(e -> pods.contains(e.pod())).map(e -> e.text()).toList();
    }

    private java.util.Set<String> podNames(String app) {
        return sandbox.client().pods().inNamespace(FleetSandbox.NAMESPACE).withLabel("app", app).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).collect(java.util.stream.Collectors.toSet());
    }

    @AfterAll
    void stop() {
        uiThread.execute(model::dispose);
        uiThread.close();
        FleetSandbox.stopThenDispose(sandbox, background, session::close);
    }

    private <T> T onUi(Callable<T> read) throws Exception {
        return uiThread.call(read);
    }

    private void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> onUi(condition));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("Not within " + seconds + " s. Selected: " + onUi(() -> model.getSelected()) + "; revisions: "
                    + onUi(() -> model.revisions().stream().map(r -> r.number() + (r.live() ? "*" : "") + " " + r.images()).toList())
                    + "; history: " + onUi(() -> model.historyTitleProperty().get()) + "; notice: " + onUi(() -> model.noticeProperty().get())
                    + "; rollback: " + onUi(() -> model.rollbackOutcomeProperty().get()) + " " + onUi(() -> List.copyOf(model.progress()))
                    + "; log tail of " + onUi(model::rollbackLogPods) + ": " + onUi(() -> model.rollbackLog().statusProperty().get()) + " "
                    + onUi(() -> model.rollbackLog().lines().stream().map(l -> l.pod() + " " + l.text()).toList()), e);
        }
    }

    private Optional<WorkloadRow> row(String name) {
        return model.workloads().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    private void select(String name) throws Exception {
        waitFor(10, () -> row(name).isPresent());
        onUi(() -> {
            model.select(row(name).orElseThrow());
            return null;
        });
        waitFor(10, () -> !model.revisions().isEmpty());
    }

    private void act(Runnable action) throws Exception {
        onUi(() -> {
            action.run();
            return null;
        });
    }

    private boolean rolledOut(String name, long revision, String image) {
        return row(name).map(r -> r.status().state() == RolloutState.COMPLETE && r.status().revision() == revision
                && r.status().imageList().equals(List.of(image))).orElse(false);
    }

    @Test
    void listsEveryWorkloadWithItsCountsRolloutStateAndTheProfilesVerdictOnItsImage() throws Exception {
        waitFor(20, () -> row("orchestrator").map(r -> r.status().state() == RolloutState.COMPLETE).orElse(false)
                && row("nats").isPresent());
        onUi(() -> {
            assertThat(model.workloads()).extracting(WorkloadRow::name)
                    .contains("orchestrator", "context", "ray-executor", "monitoring-dashboard", "nats", "neo4j", "valkey");
            WorkloadRow orchestrator = row("orchestrator").orElseThrow();
            assertThat(orchestrator.kind()).isEqualTo("Deployment");
            assertThat(orchestrator.status().desired()).isEqualTo(2);
            assertThat(orchestrator.status().available()).isEqualTo(2);
            assertThat(orchestrator.stateWords()).isEqualTo("Complete");
            assertThat(orchestrator.driftWords()).isEqualTo("Profile's image");
            assertThat(row("nats").orElseThrow().kind()).isEqualTo("StatefulSet");
            assertThat(model.summaryProperty().get()).contains("workloads in swe-ai-fleet");

            model.filterTextProperty().set("statefulset val");
            assertThat(model.workloads()).extracting(WorkloadRow::name).containsExactly("valkey");
            model.filterTextProperty().set("");
            return null;
        });
    }

    @Test
    void aStatefulSetWithOneRevisionCannotBeRolledBackAndSaysWhy() throws Exception {
        select("neo4j");
        onUi(() -> {
            assertThat(model.revisions()).hasSize(1);
            assertThat(model.revisions().get(0).live()).isTrue();
            assertThat(model.rollbackBlockedProperty().get()).isEqualTo("statefulset/neo4j has a single revision: there is nothing to roll back to.");
            model.askRollback(1);
            assertThat(model.noticeSeverityProperty().get()).isEqualTo(Severity.PROBLEM);
            assertThat(model.noticeProperty().get()).contains("single revision");
            assertThat(model.getConfirmation()).isNull();
            return null;
        });
    }

    @Test
    void anImageChangeIsFlaggedAgainstTheProfileDiffedAndRolledBackAfterAYesAsTheNewestRevision() throws Exception {
        String original = REGISTRY + "swe-ai-fleet/ray-executor:v3.0.0-core-refactor";
        String otherPath = REGISTRY + "swe-fleet/ray-executor:v3.0.0-core-refactor";
        select("ray-executor");
        act(() -> model.setImage("ray-executor", otherPath));
        waitFor(60, () -> rolledOut("ray-executor", 2, otherPath) && model.revisions().size() == 2);

        onUi(() -> {
            WorkloadRow row = row("ray-executor").orElseThrow();
            assertThat(row.drifted()).isTrue();
            assertThat(row.driftWords()).isEqualTo("Differs from the profile");
            assertThat(row.drift().orElseThrow().explanation()).contains("different registry path");
            Revision newest = model.revisions().get(0);
            assertThat(newest.number()).isEqualTo(2);
            assertThat(newest.live()).isTrue();
            assertThat(newest.images()).containsExactly(otherPath);
            assertThat(newest.changeCause()).contains("fleet-console: set image ray-executor=" + otherPath + " (was " + original + ")");
            assertThat(model.revisions().get(1).images()).containsExactly(original);

            model.compare(2, 1);
            assertThat(model.diff()).containsExactly(new TemplateDiff.Change("container ray-executor", "image", original, otherPath));
            assertThat(model.diffTitleProperty().get()).isEqualTo("Revision 1 → 2: 1 change.");
            assertThat(model.rollbackBlockedProperty().get()).isEmpty();
            model.askRollback(1);
            return null;
        });

        waitFor(10, () -> model.getConfirmation() != null);
        String podName = sandbox.client().pods().inNamespace(FleetSandbox.NAMESPACE).withLabel("app", "ray-executor").list().getItems()
                .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst().orElseThrow().getMetadata().getName();
        onUi(() -> {
            Confirmation c = model.getConfirmation();
            assertThat(c.title()).isEqualTo("Roll deployment/ray-executor back to revision 1?");
            assertThat(c.consequences()).startsWith("Replaces 1 pod of deployment/ray-executor one by one with pods of revision 1.");
            assertThat(c.details()).contains("  container ray-executor: image " + otherPath + " -> " + original, "How (a rolling update):",
                    "Pods that will be replaced (1):");
            assertThat(c.details()).anyMatch(l -> l.startsWith("  " + podName + " (Running, " + otherPath));
            assertThat(c.details()).anyMatch(l -> l.contains("ConfigMaps and Secrets are not rolled back"));
            assertThat(c.commands()).startsWith("kubectl --context sandbox rollout undo deployment/ray-executor --to-revision=1 -n swe-ai-fleet");
            model.dismiss();
            assertThat(model.noticeProperty().get()).contains("nothing was changed");
            return null;
        });
        Deployment unchanged = sandbox.client().apps().deployments().inNamespace(FleetSandbox.NAMESPACE).withName("ray-executor").get();
        assertThat(unchanged.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(otherPath);

        java.util.Set<String> oldPods = podNames("ray-executor");
        act(() -> model.askRollback(1));
        waitFor(10, () -> model.getConfirmation() != null);
        act(model::confirm);
        waitFor(90, () -> !model.isRollbackRunning() && model.rollbackSeverityProperty().get() != Severity.BUSY);
        // The log tail followed the old pod and picked up the new one as it appeared: its startup line arrives.
        java.util.Set<String> newPods = new java.util.HashSet<>(podNames("ray-executor"));
        newPods.removeAll(oldPods);
        assertThat(newPods).isNotEmpty();
        waitFor(20, () -> logLinesOf(newPods).stream().anyMatch(l -> l.contains("Ray Executor Service listening on port 50056")));
        onUi(() -> {
            assertThat(logPods()).containsAll(newPods);
            assertThat(model.rollbackLogPods()).containsAll(oldPods).containsAll(newPods);
            assertThat(model.rollbackLog().prefixedProperty().get()).as("each line says its pod").isTrue();
            assertThat(model.rollbackLogTitleProperty().get()).contains("deployment/ray-executor");
            return null;
        });
        onUi(() -> {
            assertThat(model.rollbackSeverityProperty().get()).as(model.rollbackOutcomeProperty().get()).isEqualTo(Severity.OK);
            assertThat(model.progress()).containsExactly(
                    "1/2 Roll deployment/ray-executor back to revision 1 (rolling update): running",
                    "1/2 Roll deployment/ray-executor back to revision 1 (rolling update): done",
                    "2/2 Wait until the rollout is complete: running",
                    "2/2 Wait until the rollout is complete: done");
            return null;
        });
        waitFor(30, () -> rolledOut("ray-executor", 3, original) && model.revisions().size() == 2
                && model.revisions().get(0).number() == 3 && model.revisions().get(0).live());
        onUi(() -> {
            assertThat(model.revisions()).extracting(Revision::number).containsExactly(3L, 2L);
            assertThat(model.revisions().get(0).images()).containsExactly(original);
            assertThat(row("ray-executor").orElseThrow().drifted()).isFalse();
            return null;
        });
        assertThat(journal).anyMatch(e -> e.action().equals("rollout undo") && e.target().equals("deployment/ray-executor")
                && e.result().startsWith("ok: revision 1 is live"));
    }

    @Test
    void scaleToZeroSaysHowManyPodsStopAndChangesNothingWithoutAYesAndPauseShowsLive() throws Exception {
        select("context");
        act(() -> model.askScale(0));
        waitFor(10, () -> model.getConfirmation() != null);
        onUi(() -> {
            Confirmation c = model.getConfirmation();
            assertThat(c.title()).isEqualTo("Scale deployment/context from 2 to 0?");
            assertThat(c.consequences()).startsWith("Stops all 2 pods of deployment/context: nothing of it runs until it is scaled up again.");
            assertThat(c.details().stream().filter(l -> l.startsWith("  context-"))).hasSize(2);
            assertThat(c.confirmLabel()).isEqualTo("Scale to 0");
            assertThat(c.commands()).isEqualTo("kubectl --context sandbox scale deployment/context --replicas=0 -n swe-ai-fleet");
            model.dismiss();
            return null;
        });
        assertThat(sandbox.client().apps().deployments().inNamespace(FleetSandbox.NAMESPACE).withName("context").get().getSpec().getReplicas())
                .isEqualTo(2);

        act(model::togglePause);
        waitFor(10, () -> row("context").map(WorkloadRow::paused).orElse(false));
        onUi(() -> {
            assertThat(row("context").orElseThrow().stateWords()).isEqualTo("Paused");
            assertThat(model.commandsForSelection(Optional.empty(), 2)).extracting(RolloutsViewModel.CopyableCommand::command)
                    .contains("kubectl --context sandbox rollout resume deployment/context -n swe-ai-fleet");
            return null;
        });
        act(model::togglePause);
        waitFor(10, () -> row("context").map(r -> !r.paused()).orElse(false));
        assertThat(journal).anyMatch(e -> e.action().equals("rollout pause") && e.target().equals("deployment/context"));
    }

    @Test
    void aSafePathRollbackCancelledMidwaySaysWhereItStoppedAndWhatToRun() throws Exception {
        String original = REGISTRY + "swe-ai-fleet/monitoring:v2.0.0-core-refactor";
        String next = REGISTRY + "swe-ai-fleet/monitoring:v2.1.0";
        select("monitoring-dashboard");
        act(() -> model.setImage("monitoring", next));
        waitFor(60, () -> rolledOut("monitoring-dashboard", 2, next) && model.revisions().size() == 2);
        onUi(() -> {
            assertThat(model.commandsForSelection(Optional.of(1L), 1)).extracting(RolloutsViewModel.CopyableCommand::command)
                    .anyMatch(c -> c.startsWith("kubectl --context sandbox scale deployment/monitoring-dashboard --replicas=0 -n swe-ai-fleet && ")
                            && c.contains("rollout undo deployment/monitoring-dashboard --to-revision=1"));
            model.askRollback(1);
            return null;
        });
        waitFor(10, () -> model.getConfirmation() != null);
        onUi(() -> {
            Confirmation c = model.getConfirmation();
            assertThat(c.consequences()).startsWith("Stops all 1 pod of deployment/monitoring-dashboard (0 running until the old template starts)");
            assertThat(c.details()).contains("How (the safe path for services with NATS consumers):");
            model.confirm();
            return null;
        });
        // Cancelled as soon as it starts: it stops at its next step or inside its wait for the pods to go.
        waitFor(10, () -> !model.progress().isEmpty());
        act(model::cancelRollback);
        waitFor(60, () -> !model.isRollbackRunning());
        onUi(() -> {
            assertThat(model.rollbackSeverityProperty().get()).as(model.rollbackOutcomeProperty().get()).isEqualTo(Severity.WARNING);
            assertThat(model.rollbackOutcomeProperty().get()).startsWith("Rollback cancelled before step ")
                    .contains("deployment/monitoring-dashboard is at 0 replicas")
                    .contains("To finish it: kubectl ")
                    .contains("To go back to where you were: kubectl rollout undo deployment/monitoring-dashboard --to-revision=2");
            assertThat(model.progress()).anyMatch(l -> l.endsWith(": cancelled") || l.contains(": cancelled — "));
            return null;
        });
        waitFor(10, () -> row("monitoring-dashboard").map(r -> r.status().desired() == 0).orElse(false));

        // Scaling up needs no yes; the fleet is whole again.
        act(() -> model.askScale(1));
        waitFor(60, () -> row("monitoring-dashboard").map(r -> r.status().state() == RolloutState.COMPLETE && r.status().ready() == 1)
                .orElse(false));
        sandbox.awaitReady();
        assertThat(sandbox.client().apps().deployments().inNamespace(FleetSandbox.NAMESPACE).withName("monitoring-dashboard").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isIn(next, original);
    }

    /**
     * The safe path of a service with NATS consumers (orchestrator, 2 replicas): the log tail shows the old
     * pods until they go, then each new pod of the old template from its first line, without a reopen.
     */
    @Test
    void aSafePathRollbackShowsTheLogOfTheNewPodsAsTheyAppear() throws Exception {
        String next = REGISTRY + "swe-ai-fleet/orchestrator:v9.9.9";
        select("orchestrator");
        String original = onUi(() -> row("orchestrator").orElseThrow().status().imageList().get(0));
        act(() -> model.setImage("orchestrator", next));
        waitFor(90, () -> rolledOut("orchestrator", 2, next) && model.revisions().size() == 2 && row("orchestrator").get().status().ready() == 2);
        sandbox.awaitReady();
        java.util.Set<String> oldPods = podNames("orchestrator");
        act(() -> model.askRollback(1));
        waitFor(10, () -> model.getConfirmation() != null);
        onUi(() -> {
            assertThat(model.getConfirmation().details()).contains("How (the safe path for services with NATS consumers):");
            model.confirm();
            return null;
        });
        waitFor(120, () -> !model.isRollbackRunning() && model.rollbackSeverityProperty().get() != Severity.BUSY);
        onUi(() -> {
            assertThat(model.rollbackSeverityProperty().get()).as(model.rollbackOutcomeProperty().get()).isEqualTo(Severity.OK);
            return null;
        });
        java.util.Set<String> newPods = new java.util.HashSet<>(podNames("orchestrator"));
        newPods.removeAll(oldPods);
        assertThat(newPods).hasSize(2);
        // Each new pod's startup, as the profile says it starts, reaches the tail by itself.
        waitFor(20, () -> newPods.stream().allMatch(p -> logLinesOf(List.of(p)).stream().anyMatch(l -> l.contains("Orchestrator Service listening on port 50055"))));
        onUi(() -> {
            assertThat(model.rollbackLogPods()).containsAll(oldPods).containsAll(newPods);
            assertThat(model.rollbackLog().statusProperty().get()).isNotEmpty();
            return null;
        });
        waitFor(30, () -> rolledOut("orchestrator", 3, original));
        sandbox.awaitReady();
    }

    /**
     * The API server goes away ({@code api-down=4}): the Rollouts area says within 5 s since when its rows
     * are stale (warning icon, colour and words), keeps them, and is fresh again within 5 s of the return.
     */
    @Test
    void anApiOutageMarksTheWorkloadsStaleKeepsThemAndClearsOnceTheApiIsBack() throws Exception {
        waitFor(20, () -> model.isLive() && !model.isStale() && row("context").isPresent());
        assertThat(onUi(() -> model.freshnessProperty().get())).isEqualTo("Following changes");
        List<WorkloadRow> before = onUi(() -> List.copyOf(model.workloads()));

        long down = System.nanoTime();
        sandbox.sandbox().inject(fleet.console.sandbox.Fault.parse("api-down=4"));
        waitFor(5, model::isStale);
        long staleAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);
        onUi(() -> {
            assertThat(model.freshnessProperty().get()).matches("Stale since \\d\\d:\\d\\d:\\d\\d — the API does not answer; .*");
            assertThat(model.freshnessSeverityProperty().get()).isEqualTo(Severity.WARNING);
            assertThat(model.workloads()).as("the rows are kept").containsExactlyElementsOf(before);
            return null;
        });

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> sandbox.sandbox().apiListening());
        long back = System.nanoTime();
        waitFor(5, () -> !model.isStale());
        long freshAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
        onUi(() -> {
            assertThat(model.freshnessProperty().get()).isEqualTo("Following changes");
            assertThat(model.freshnessSeverityProperty().get()).isEqualTo(Severity.OK);
            return null;
        });
        System.out.println("Rollouts: stale after " + staleAfter + " ms, fresh " + freshAfter + " ms after the API's return");
        sandbox.awaitReady();
    }

    /**
     * A viewer (Kubernetes' view role) sees the workloads but is offered none of the changes: each says the
     * API's reason, and asking anyway changes nothing. Read-only mode refuses them all too, saying so.
     */
    @Test
    void aViewerAndAReadOnlySessionAreToldWhyEachChangeIsNotOffered() throws Exception {
        List<String> actions = List.of(RolloutsViewModel.ROLLBACK, RolloutsViewModel.SCALE, RolloutsViewModel.RESTART,
                RolloutsViewModel.PAUSE, RolloutsViewModel.SET_IMAGE);
        try (ClusterSession viewer = ClusterConnector.withDefaultTimeout().connect(
                sandbox.sandbox().clientConfig(fleet.console.sandbox.SandboxUser.VIEWER), "sandbox", FleetSandbox.NAMESPACE, true);
             ClusterSession readOnly = ClusterConnector.withDefaultTimeout().readOnly(true)
                     .connect(sandbox.sandbox().clientConfig(), "sandbox", FleetSandbox.NAMESPACE, true)) {
            RolloutsViewModel seen = newModel();
            try {
                onUi(() -> {
                    seen.show(viewer);
                    return null;
                });
                WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onUi(() -> seen.isLoaded()
                        && actions.stream().allMatch(a -> seen.permits().refusalNow(a) != null
                        && !seen.permits().refusalNow(a).equals(fleet.console.ui.common.ActionPermits.NOT_CONNECTED))));
                int replicas = onUi(() -> {
                    assertThat(seen.workloads()).extracting(WorkloadRow::name).contains("context", "orchestrator");
                    assertThat(seen.permits().refusalNow(RolloutsViewModel.SCALE)).contains("cannot patch resource \"deployments/scale\"");
                    assertThat(seen.permits().refusalNow(RolloutsViewModel.ROLLBACK)).contains("cannot patch resource \"deployments\"");
                    assertThat(seen.permits().summaryProperty().get()).startsWith("Disabled: rollback (").contains("scale (", "set image (");
                    WorkloadRow context = seen.workloads().stream().filter(r -> r.name().equals("context")).findFirst().orElseThrow();
                    seen.select(context);
                    seen.askScale(0);
                    assertThat(seen.getConfirmation()).isNull();
                    assertThat(seen.noticeSeverityProperty().get()).isEqualTo(Severity.PROBLEM);
                    assertThat(seen.noticeProperty().get()).startsWith("Cannot scale: ").contains("cannot patch");
                    seen.askRestart();
                    assertThat(seen.getConfirmation()).isNull();
                    assertThat(seen.noticeProperty().get()).startsWith("Cannot restart: ");
                    return context.status().desired();
                });
                assertThat(sandbox.client().apps().deployments().inNamespace(FleetSandbox.NAMESPACE).withName("context").get()
                        .getSpec().getReplicas()).isEqualTo(replicas);

                onUi(() -> {
                    seen.show(readOnly);
                    return null;
                });
                WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onUi(() -> actions.stream()
                        .allMatch(a -> seen.permits().refusalNow(a) != null && seen.permits().refusalNow(a).contains("read-only"))));
            } finally {
                onUi(() -> {
                    seen.dispose();
                    return null;
                });
            }
        }
    }
}
