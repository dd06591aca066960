package fleet.console.ui.overview;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.WorkloadHealth;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.FaultKind;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.StandInUiThread;
import fleet.console.ui.common.Severity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The overview against the real sandbox: its rows follow the cluster without anyone pressing refresh. */
class OverviewViewModelTest {

    private static FleetSandbox sandbox;
    private static ScheduledExecutorService background;
    private static StandInUiThread uiThread;
    private static final List<OverviewViewModel> models = new ArrayList<>();
    private static final List<ClusterSession> sessions = new ArrayList<>();

    @BeforeAll
    static void startSandbox() {
        sandbox = FleetSandbox.start();
        background = Executors.newScheduledThreadPool(3);
        uiThread = new StandInUiThread();
    }

    @AfterAll
    static void stopSandbox() {
        FleetSandbox.stopThenDispose(sandbox, background, () -> {
            models.forEach(OverviewViewModel::dispose);
            sessions.forEach(ClusterSession::close);
        });
        uiThread.close();
    }

    private static ClusterSession session() throws Exception {
        ClusterSession session = ClusterConnector.withDefaultTimeout()
                .connect(sandbox.sandbox().clientConfig(), "sandbox", FleetSandbox.NAMESPACE, true);
        sessions.add(session);
        return session;
    }

    private static OverviewViewModel model(WorkloadHealthSource source) {
        OverviewViewModel model = new OverviewViewModel(source, background, uiThread, Duration.ofMillis(100),
                Clock.systemDefaultZone());
        models.add(model);
        return model;
    }

    private static <T> T onUi(Callable<T> read) throws Exception {
        return uiThread.call(read);
    }

    private static List<WorkloadHealth> rows(OverviewViewModel model) throws Exception {
        return onUi(() -> List.copyOf(model.rows()));
    }

    private static WorkloadHealth row(OverviewViewModel model, String name) throws Exception {
        return rows(model).stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    /** For waits: a moment without the row (the rows being replaced) is no failure. */
    private static boolean rowIs(OverviewViewModel model, String name, java.util.function.Predicate<WorkloadHealth> holds)
            throws Exception {
        return rows(model).stream().anyMatch(r -> r.name().equals(name) && holds.test(r));
    }

    private static boolean holds(Callable<Boolean> condition) throws Exception {
        return onUi(condition);
    }

    /**
     * The API server goes away ({@code api-down=4}): within 5 s the badge says since when the rows are
     * stale, in words with the warning's icon and colour, and the rows stay; within 5 s of its return the
     * mark is gone and the rows follow the cluster again (a scale made after the return shows).
     */
    @Test
    void anApiOutageMarksTheHealthStaleKeepsItsRowsAndConvergesWhenTheApiIsBack() throws Exception {
        OverviewViewModel model = model(FleetSandbox.health());
        model.show(session());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> holds(() -> model.isLoaded() && model.isLive()));
        assertThat(onUi(() -> model.freshnessProperty().get())).isEqualTo("Following changes");
        assertThat(onUi(() -> model.freshnessSeverityProperty().get())).isEqualTo(Severity.OK);
        List<WorkloadHealth> before = rows(model);

        long down = System.nanoTime();
        sandbox.sandbox().inject(Fault.parse("api-down=4"));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> holds(model::isStale));
        long staleAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);
        assertThat(onUi(() -> model.freshnessProperty().get())).matches("Stale since \\d\\d:\\d\\d:\\d\\d — the API does not answer; .*");
        assertThat(onUi(() -> model.freshnessSeverityProperty().get())).isEqualTo(Severity.WARNING);
        assertThat(rows(model)).as("what it had is kept").containsExactlyElementsOf(before);

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> sandbox.sandbox().apiListening());
        long back = System.nanoTime();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> holds(() -> !model.isStale()));
        long freshAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
        assertThat(onUi(() -> model.freshnessProperty().get())).isEqualTo("Following changes");
        assertThat(onUi(() -> model.freshnessSeverityProperty().get())).isEqualTo(Severity.OK);
        System.out.println("Overview: stale after " + staleAfter + " ms, fresh " + freshAfter + " ms after the API's return");

        // Live again: a change made after the return reaches the rows by itself.
        var context = sandbox.client().apps().deployments().inNamespace(FleetSandbox.NAMESPACE).withName("context");
        int replicas = context.get().getSpec().getReplicas();
        context.scale(replicas + 1);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> rowIs(model, "context", r -> r.desired() == replicas + 1));
        context.scale(replicas);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> rowIs(model, "context", r -> r.desired() == replicas && r.healthy()));
    }

    @Test
    void listsEveryWorkloadOfTheFleetWithItsReadiness() throws Exception {
        OverviewViewModel model = model(FleetSandbox.health());

        model.show(session());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> holds(model::isLoaded));

        assertThat(rows(model)).extracting(WorkloadHealth::name)
                .contains("nats", "orchestrator", "context", "monitoring-dashboard", "ray-executor", "neo4j", "valkey");
        assertThat(rows(model)).allMatch(WorkloadHealth::healthy);
        assertThat(row(model, "orchestrator").ready()).isEqualTo(row(model, "orchestrator").desired());
        assertThat(onUi(() -> model.summaryProperty().get())).contains("workloads healthy in swe-ai-fleet on sandbox");
    }

    @Test
    void aCrashingServiceShowsUpWithoutARefreshThroughTheWatch() throws Exception {
        OverviewViewModel model = model(FleetSandbox.health());
        model.show(session());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> holds(() -> model.isLive() && model.isLoaded()));
        assertThat(row(model, "orchestrator").healthy()).isTrue();

        sandbox.sandbox().inject(new Fault(FaultKind.CRASH, "orchestrator"));
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> rowIs(model, "orchestrator", r -> "CrashLoopBackOff".equals(r.state())));
            assertThat(row(model, "orchestrator").healthy()).isFalse();
            assertThat(row(model, "orchestrator").detail()).contains("orchestrator-");
        } finally {
            sandbox.sandbox().clearFaults();
            sandbox.awaitReady();
        }
    }

    @Test
    void aBurstOfChangesIsReadAFewTimesNotOncePerChange() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        OverviewViewModel model = new OverviewViewModel((client, ns) -> {
            reads.incrementAndGet();
            return FleetSandbox.health().read(client, ns);
        }, background, uiThread, Duration.ofMillis(250), Clock.systemDefaultZone());
        models.add(model);
        model.show(session());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> holds(() -> model.isLive() && model.isLoaded()));
        AtomicInteger changes = new AtomicInteger();
        var counter = sandbox.client().pods().inNamespace(FleetSandbox.NAMESPACE).inform(new ResourceEventHandler<Pod>() {
            @Override
            public void onAdd(Pod pod) {
                changes.incrementAndGet();
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
                changes.incrementAndGet();
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                changes.incrementAndGet();
            }
        });
        int initialChanges = changes.get();
        int before = reads.get();

        try {
            sandbox.client().apps().deployments().inNamespace(FleetSandbox.NAMESPACE).withName("context").scale(6);
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> rowIs(model, "context", r -> r.healthy() && r.ready() == 6));
        } finally {
            sandbox.client().apps().deployments().inNamespace(FleetSandbox.NAMESPACE).withName("context").scale(2);
            sandbox.awaitReady();
            counter.close();
        }

        int podChanges = changes.get() - initialChanges;
        int readsDuringBurst = reads.get() - before;
        assertThat(readsDuringBurst).isPositive().isLessThan(podChanges);
    }

    @Test
    void aFailingReadIsReportedAndTheLastRowsAreKept() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        OverviewViewModel model = model((client, ns) -> {
            if (calls.incrementAndGet() > 1) {
                throw new IllegalStateException("the API server went away");
            }
            return FleetSandbox.health().read(client, ns);
        });
        model.show(session());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> holds(model::isLoaded));
        int rowCount = rows(model).size();

        model.refresh();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> holds(() -> !model.problemProperty().get().isEmpty()));

        assertThat(onUi(() -> model.problemProperty().get())).contains("the API server went away")
                .contains("last successful read");
        assertThat(rows(model)).hasSize(rowCount);
    }

    @Test
    void aReadStillRunningForAnEarlierSessionNeverReachesTheRows() throws Exception {
        CountDownLatch readStarted = new CountDownLatch(1);
        CountDownLatch releaseRead = new CountDownLatch(1);
        AtomicInteger uiRuns = new AtomicInteger();
        OverviewViewModel model = new OverviewViewModel((client, ns) -> {
            readStarted.countDown();
            try {
                releaseRead.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(new WorkloadHealth("stale", "Deployment", 1, 1, true, "Running", ""));
        }, background, r -> uiThread.execute(() -> {
            r.run();
            uiRuns.incrementAndGet();
        }), Duration.ofMillis(10), Clock.systemDefaultZone());
        models.add(model);
        // A namespace with nothing in it: leaving a session seconds after opening it must not close
        // watches while the sandbox still sends their first events (a sandbox defect, reported).
        sandbox.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName("quiet").endMetadata().build()).createOr(existing -> existing.update());
        ClusterSession quiet = ClusterConnector.withDefaultTimeout()
                .connect(sandbox.sandbox().clientConfig(), "sandbox", "quiet", true);
        sessions.add(quiet);
        model.show(quiet);
        assertThat(readStarted.await(5, TimeUnit.SECONDS)).isTrue();

        model.show(null);
        releaseRead.countDown();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> uiRuns.get() >= 1);

        assertThat(rows(model)).isEmpty();
        assertThat(onUi(model::isLoaded)).isFalse();
        assertThat(onUi(() -> model.summaryProperty().get())).isEqualTo("Not connected.");
    }
}
