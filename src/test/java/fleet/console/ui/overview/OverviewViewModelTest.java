package fleet.console.ui.overview;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.ui.FleetSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private static final List<OverviewViewModel> models = new ArrayList<>();
    private static final List<ClusterSession> sessions = new ArrayList<>();

    @BeforeAll
    static void startSandbox() {
        sandbox = FleetSandbox.start();
        background = Executors.newScheduledThreadPool(3);
    }

    @AfterAll
    static void stopSandbox() {
        FleetSandbox.stopThenDispose(sandbox, background, () -> {
            models.forEach(OverviewViewModel::dispose);
            sessions.forEach(ClusterSession::close);
        });
    }

    private static ClusterSession session() throws Exception {
        ClusterSession session = ClusterConnector.withDefaultTimeout()
                .connect(sandbox.sandbox().clientConfig(), "sandbox", FleetSandbox.NAMESPACE, true);
        sessions.add(session);
        return session;
    }

    private static OverviewViewModel model(WorkloadHealthSource source) {
        OverviewViewModel model = new OverviewViewModel(source, background, Runnable::run, Duration.ofMillis(100),
                Clock.systemDefaultZone());
        models.add(model);
        return model;
    }

    private static HealthRow row(OverviewViewModel model, String name) {
        return model.rows().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void listsEveryWorkloadOfTheNamespaceProblemsFirst() throws Exception {
        OverviewViewModel model = model(WorkloadHealthReader::read);

        model.show(session());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, model::isLoaded);

        assertThat(model.rows()).extracting(HealthRow::name)
                .contains("nats", "orchestrator", "context", "monitoring-dashboard", "ray-executor", "neo4j", "valkey");
        assertThat(model.rows().get(0).healthy()).isFalse();
        assertThat(model.summaryProperty().get()).contains("workloads healthy in swe-ai-fleet on sandbox");
        assertThat(row(model, "monitoring-dashboard").healthy()).isTrue();
    }

    @Test
    void aCrashingPodShowsUpWithoutARefreshThroughTheWatch() throws Exception {
        sandbox.deployment("planning", "planning", 1, 1);
        OverviewViewModel model = model(WorkloadHealthReader::read);
        model.show(session());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> model.isLive() && model.isLoaded());
        assertThat(row(model, "planning").healthy()).isTrue();

        sandbox.crashLooping("planning-6b8f9c7d5-zz9kq", "planning", 3,
                "ModuleNotFoundError: No module named 'planning.api'");

        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !row(model, "planning").healthy());
        assertThat(row(model, "planning").state()).isEqualTo("CrashLoopBackOff");
        assertThat(row(model, "planning").detail()).contains("restarted 3 times");
    }

    @Test
    void aBurstOfChangesIsReadAFewTimesNotOncePerChange() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        OverviewViewModel model = model((client, ns) -> {
            reads.incrementAndGet();
            return WorkloadHealthReader.read(client, ns);
        });
        model.show(session());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> model.isLive() && model.isLoaded());
        int before = reads.get();

        // A deployment, its status and twenty pods each created then given a status: over forty events.
        sandbox.deployment("burst", "burst", 20, 20);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> model.rows().stream()
                .anyMatch(r -> r.name().equals("burst") && r.healthy()));

        assertThat(reads.get() - before).isBetween(1, 10);
    }

    @Test
    void aFailingReadIsReportedAndTheLastRowsAreKept() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        OverviewViewModel model = model((client, ns) -> {
            if (calls.incrementAndGet() > 1) {
                throw new IllegalStateException("the API server went away");
            }
            return WorkloadHealthReader.read(client, ns);
        });
        model.show(session());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, model::isLoaded);
        int rows = model.rows().size();

        model.refresh();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !model.problemProperty().get().isEmpty());

        assertThat(model.problemProperty().get()).contains("the API server went away")
                .contains("last successful read");
        assertThat(model.rows()).hasSize(rows);
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
            return List.of(new HealthRow("stale", "Deployment", 1, 1, true, "Running", ""));
        }, background, r -> {
            r.run();
            uiRuns.incrementAndGet();
        }, Duration.ofMillis(10), Clock.systemDefaultZone());
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

        assertThat(model.rows()).isEmpty();
        assertThat(model.isLoaded()).isFalse();
        assertThat(model.summaryProperty().get()).isEqualTo("Not connected.");
    }
}
