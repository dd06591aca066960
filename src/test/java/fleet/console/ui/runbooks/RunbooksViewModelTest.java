package fleet.console.ui.runbooks;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.FleetHealth;
import fleet.console.runbook.RunEvent;
import fleet.console.runbook.RunOptions;
import fleet.console.runbook.RunRecord;
import fleet.console.runbook.RunStore;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.SandboxUser;
import fleet.console.sandbox.process.ScratchDir;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.common.ManualFrames;
import fleet.console.ui.logs.LogEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.testfx.util.WaitForAsyncUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Runbooks area's view-models against the real sandbox (started once): a plan with its commands, a
 * run that succeeds with its log lines, a cancel mid-run then abandon (the service scaled back to the
 * count it had), and a failure then retry once the cause is gone. Every property is read on the one
 * "UI" thread the view-model writes them on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunbooksViewModelTest {

    private FleetSandbox sandbox;
    private ScheduledExecutorService background;
    private ExecutorService uiThread;
    private ClusterSession session;
    private Path dir;
    private RunStore store;
    private final ManualFrames frames = new ManualFrames();
    /** The system's clock, moved forward by a test: a run made long without waiting for it. */
    private final MovableClock clock = new MovableClock();
    private RunbooksViewModel model;

    @BeforeAll
    void start() throws Exception {
        sandbox = FleetSandbox.start();
        background = Executors.newScheduledThreadPool(4);
        uiThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ui"));
        dir = ScratchDir.create("runbooks-vm-test").path();
        store = new RunStore(dir.resolve("runs"));
        session = ClusterConnector.withDefaultTimeout().connect(sandbox.sandbox().clientConfig(), "sandbox", FleetSandbox.NAMESPACE, true);
        RunSetup setup = RunSetup.standard(FleetSandbox.PROFILE, store, dir.resolve("audit.jsonl"));
        model = onUi(() -> new RunbooksViewModel(() -> setup, background, uiThread, clock, frames, 10_000));
        onUi(() -> {
            model.show(session);
            return null;
        });
    }

    /** The system clock plus an offset a test moves. */
    private static final class MovableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void forward(Duration d) {
            offset = offset.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    @AfterEach
    void fleetBackToNormal() throws InterruptedException {
        sandbox.sandbox().clearFaults();
        awaitHealthy();
    }

    /** Every workload healthy as the health runbook reads it (Ready and started), not only Ready. */
    private void awaitHealthy() throws InterruptedException {
        assertThat(sandbox.sandbox().await(c -> FleetHealth.read(c, FleetSandbox.NAMESPACE, FleetSandbox.PROFILE).stream()
                .allMatch(w -> w.healthy()), Duration.ofSeconds(60))).as("the fleet healthy again").isTrue();
    }

    @AfterAll
    void stop() {
        onUi(() -> {
            model.dispose();
            return null;
        });
        uiThread.shutdown();
        FleetSandbox.stopThenDispose(sandbox, background, session::close);
    }

    private <T> T onUi(Callable<T> read) {
        try {
            return uiThread.submit(read).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void waitUntil(int seconds, Supplier<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> onUi(condition::get));
        } catch (TimeoutException e) {
            throw new AssertionError("not within " + seconds + " s; wizard: phase " + onUi(() -> wizard().getPhase())
                    + ", problem '" + onUi(() -> wizard().getProblem()) + "', progress '" + onUi(() -> wizard().getProgress()) + "'");
        }
    }

    private RunWizardViewModel wizard() {
        return model.wizard();
    }

    private StepState state(String step) {
        return onUi(() -> wizard().step(step).orElseThrow().getState());
    }

    private int replicas(String deployment) {
        return sandbox.client().apps().deployments().inNamespace(FleetSandbox.NAMESPACE).withName(deployment).get().getSpec().getReplicas();
    }

    @Test
    void healthIsPlannedWithItsCommandsAndRunsToSuccessWithItsLinesInTheTail() throws Exception {
        awaitHealthy();
        onUi(() -> {
            model.open("health", RunOptions.none());
            return null;
        });
        waitUntil(20, () -> wizard().getPhase() == RunWizardViewModel.Phase.PLANNED);
        StepItem check = onUi(() -> wizard().steps().get(0));
        assertThat(check.title()).isEqualTo("Read every workload's health");
        assertThat(check.why()).contains("verify-health");
        assertThat(check.commands()).contains("kubectl get deploy,sts -n " + FleetSandbox.NAMESPACE);
        assertThat(onUi(() -> wizard().script())).contains("# 1. Read every workload's health", "kubectl get pods -n swe-ai-fleet");
        assertThat(onUi(() -> wizard().canRunBinding().get())).as("health destroys nothing: no confirmation").isTrue();

        onUi(() -> {
            model.dryRun();
            return null;
        });
        waitUntil(20, () -> wizard().getMessage().startsWith("Dry run: 1 steps"));
        assertThat(onUi(() -> wizard().getMessage())).contains("Nothing was changed");

        onUi(() -> {
            wizard().run();
            return null;
        });
        waitUntil(60, () -> wizard().getPhase() == RunWizardViewModel.Phase.FINISHED);
        assertThat(onUi(() -> wizard().getOutcome())).isEqualTo(RunEvent.Outcome.SUCCEEDED);
        assertThat(state("verify-health")).isEqualTo(StepState.SUCCEEDED);
        check = onUi(() -> wizard().steps().get(0));
        assertThat(onUi(check::getElapsed)).matches("\\d+\\.\\d s");
        assertThat(onUi(check::lines)).anyMatch(l -> l.contains("orchestrator"));
        onUi(frames::drain);
        List<String> tail = onUi(() -> wizard().log().lines().stream().map(LogEntry::text).toList());
        assertThat(tail).as("the step's lines in the log view").anyMatch(l -> l.contains("orchestrator")).hasSize(onUi(check::lines).size());
        assertThat(store.load(onUi(() -> wizard().lastRunProperty().get().id())).orElseThrow().status()).isEqualTo(RunRecord.Status.SUCCEEDED);
    }

    @Test
    void aDestructiveRunbookSaysWhatItDestroysAndRunsOnlyOnceItsNameIsTypedBack() throws Exception {
        onUi(() -> {
            model.open("nats-clean-slate", RunOptions.none());
            return null;
        });
        waitUntil(30, () -> wizard().getPhase() == RunWizardViewModel.Phase.PLANNED);
        assertThat(onUi(() -> wizard().getDestroys())).isNotEmpty();
        assertThat(onUi(() -> wizard().steps().stream().map(StepItem::id).toList()))
                .contains("scale-down-orchestrator", "delete-streams", "create-streams", "verify-consumers");
        assertThat(onUi(() -> wizard().canRunBinding().get())).isFalse();
        onUi(() -> {
            wizard().confirmationProperty().set("nats-clean");
            return null;
        });
        assertThat(onUi(() -> wizard().canRunBinding().get())).isFalse();
        onUi(() -> {
            wizard().confirmationProperty().set("nats-clean-slate");
            return null;
        });
        assertThat(onUi(() -> wizard().canRunBinding().get())).isTrue();
        assertThat(onUi(() -> model.commandLine())).isEqualTo("fleet-console runbook nats-clean-slate --sandbox -n swe-ai-fleet");
    }

    @Test
    void aRunCancelledMidStepStopsThereAndAbandoningScalesTheServiceBackToItsCount() throws Exception {
        assertThat(replicas("orchestrator")).isEqualTo(2);
        onUi(() -> {
            model.open("redeploy", RunOptions.none().withService("orchestrator").withSkipBuild(true));
            return null;
        });
        waitUntil(20, () -> wizard().getPhase() == RunWizardViewModel.Phase.PLANNED);
        assertThat(onUi(() -> model.serviceProperty().get())).isEqualTo("orchestrator");
        onUi(() -> {
            // The operator presses Cancel the moment the run waits for the pods to go.
            wizard().step("wait-gone-orchestrator").orElseThrow().stateProperty().addListener((o, old, now) -> {
                if (now == StepState.RUNNING) {
                    wizard().cancel();
                }
            });
            wizard().confirmationProperty().set("redeploy");
            wizard().run();
            return null;
        });
        waitUntil(60, () -> wizard().getPhase() == RunWizardViewModel.Phase.FINISHED);
        assertThat(onUi(() -> wizard().getOutcome())).isEqualTo(RunEvent.Outcome.CANCELLED);
        assertThat(state("scale-down-orchestrator")).isEqualTo(StepState.SUCCEEDED);
        assertThat(List.of(StepState.CANCELLED, StepState.SUCCEEDED)).contains(state("wait-gone-orchestrator"));
        assertThat(state("wait-ready-orchestrator")).as("nothing after the cancel ran").isEqualTo(StepState.PENDING);
        assertThat(replicas("orchestrator")).as("stopped where it was cancelled").isZero();
        // The pods' tail followed the step it stopped at: the same workload as the step before, found again.
        assertThat(onUi(() -> wizard().podTailFollowing())).containsExactly("deployment/orchestrator");
        assertThat(onUi(() -> wizard().podLog().titleProperty().get()))
                .isEqualTo("Pods of deployment/orchestrator (" + onUi(() -> wizard().step("wait-gone-orchestrator").orElseThrow().number())
                        + ". Wait until orchestrator's pods are gone)");
        RunRecord saved = onUi(() -> wizard().lastRunProperty().get());
        assertThat(saved.status()).isEqualTo(RunRecord.Status.CANCELLED);
        assertThat(saved.values()).containsEntry("replicas.orchestrator", "2");
        assertThat(onUi(() -> wizard().canRetryBinding().get())).isTrue();

        onUi(() -> {
            wizard().abandon();
            return null;
        });
        waitUntil(30, () -> wizard().getOutcome() == RunEvent.Outcome.ABANDONED);
        assertThat(onUi(() -> wizard().getMessage())).contains("orchestrator 2");
        assertThat(replicas("orchestrator")).as("back to the 2 replicas it had").isEqualTo(2);
        assertThat(store.load(saved.id()).orElseThrow().status()).isEqualTo(RunRecord.Status.ABANDONED);
    }

    @Test
    void aFailedStepSaysWhyAndRetryResumesTheSameRunOnceTheCauseIsGone() throws Exception {
        sandbox.sandbox().inject(Fault.parse("bad-image=ray-executor"));
        assertThat(sandbox.sandbox().await(c -> FleetHealth.read(c, FleetSandbox.NAMESPACE, FleetSandbox.PROFILE).stream()
                .anyMatch(w -> w.name().equals("ray-executor") && !w.healthy()), Duration.ofSeconds(60))).isTrue();
        onUi(() -> {
            model.open("health", RunOptions.none());
            return null;
        });
        waitUntil(20, () -> wizard().getPhase() == RunWizardViewModel.Phase.PLANNED);
        onUi(() -> {
            wizard().run();
            return null;
        });
        waitUntil(60, () -> wizard().getPhase() == RunWizardViewModel.Phase.FINISHED);
        // Should the run pass under the fault (seen once in a full CI run), say what the fleet looked like.
        assertThat(onUi(() -> wizard().getOutcome())).as(() -> "the health run under bad-image=ray-executor; the fleet now:\n"
                + FleetHealth.render(FleetHealth.read(sandbox.sandbox().client(), FleetSandbox.NAMESPACE, FleetSandbox.PROFILE))
                + "\nray-executor's pods: " + sandbox.sandbox().client().pods().inNamespace(FleetSandbox.NAMESPACE).list().getItems().stream()
                        .filter(p -> p.getMetadata().getName().startsWith("ray-executor"))
                        .map(p -> p.getMetadata().getName() + " " + p.getSpec().getContainers().get(0).getImage() + " "
                                + fleet.console.cluster.PodState.of(p).status()).toList())
                .isEqualTo(RunEvent.Outcome.FAILED);
        assertThat(state("verify-health")).isEqualTo(StepState.FAILED);
        assertThat(onUi(() -> wizard().step("verify-health").orElseThrow().getDetail())).contains("Not healthy:").contains("ray-executor")
                .contains("What to do:");
        assertThat(onUi(() -> wizard().getProblem())).contains("ray-executor");
        String runId = onUi(() -> wizard().lastRunProperty().get().id());

        sandbox.sandbox().clearFaults();
        awaitHealthy();
        assertThat(onUi(() -> wizard().canRetryBinding().get())).isTrue();
        onUi(() -> {
            wizard().retry();
            return null;
        });
        waitUntil(60, () -> wizard().getPhase() == RunWizardViewModel.Phase.FINISHED && wizard().getOutcome() != null);
        assertThat(onUi(() -> wizard().getOutcome())).isEqualTo(RunEvent.Outcome.SUCCEEDED);
        assertThat(state("verify-health")).isEqualTo(StepState.SUCCEEDED);
        assertThat(onUi(() -> wizard().lastRunProperty().get().id())).as("the same run, resumed").isEqualTo(runId);
        assertThat(store.load(runId).orElseThrow().status()).isEqualTo(RunRecord.Status.SUCCEEDED);
    }

    @Test
    void aRunThatDidNotFinishIsOfferedAtTheNextSessionAndCanBeAbandoned() throws Exception {
        RunRecord stuck = new RunRecord("feedc0de", "nats-clean-slate", "sandbox", FleetSandbox.NAMESPACE, java.util.Map.of(),
                java.time.Instant.now(), RunRecord.Status.RUNNING, List.of("remember-orchestrator"), java.util.Optional.empty(),
                java.util.Map.of("replicas.orchestrator", "2"), java.util.Optional.empty());
        store.save(stuck);
        onUi(() -> {
            model.show(session);
            return null;
        });
        waitUntil(20, () -> model.getPendingRun() != null && model.getPendingRun().id().equals("feedc0de"));
        assertThat(RunbooksViewModel.describe(model.getPendingRun())).contains("nats-clean-slate", "running", "orchestrator 2");
        onUi(() -> {
            model.abandonPending();
            return null;
        });
        waitUntil(30, () -> wizard().getMessage().contains("feedc0de abandoned"));
        assertThat(store.load("feedc0de").orElseThrow().status()).isEqualTo(RunRecord.Status.ABANDONED);
        assertThat(replicas("orchestrator")).isEqualTo(2);
        assertThat(onUi(() -> model.getPendingRun())).as("no longer offered").matches(r -> r == null || !r.id().equals("feedc0de"));
    }

    @Test
    void onAProductionContextADestructiveRunbookAsksASecondQuestionNamingTheContextBeforeItsFirstStep() throws Exception {
        onUi(() -> {
            wizard().productionProperty().set(true);
            model.open("nats-clean-slate", RunOptions.none());
            return null;
        });
        try {
            waitUntil(30, () -> wizard().getPhase() == RunWizardViewModel.Phase.PLANNED);
            assertThat(onUi(() -> wizard().productionAskedBinding().get())).as("destroys streams on production: asks twice").isTrue();
            assertThat(onUi(() -> wizard().productionQuestion())).contains("Context sandbox is marked as PRODUCTION")
                    .contains("'sandbox'").contains("nats-clean-slate");

            // The first answer alone does not run it: the second question names the context.
            onUi(() -> {
                wizard().confirmationProperty().set("nats-clean-slate");
                return null;
            });
            assertThat(onUi(() -> wizard().firstConfirmedBinding().get())).isTrue();
            assertThat(onUi(() -> wizard().canRunBinding().get())).isFalse();
            onUi(() -> {
                wizard().run();
                return null;
            });
            assertThat(onUi(() -> wizard().getProblem())).contains("PRODUCTION").contains("'sandbox'").contains("destroys");
            assertThat(onUi(() -> wizard().getPhase())).as("nothing ran").isEqualTo(RunWizardViewModel.Phase.PLANNED);
            assertThat(onUi(() -> wizard().steps().stream().allMatch(s -> s.getState() == StepState.PENDING))).isTrue();
            assertThat(replicas("orchestrator")).isEqualTo(2);

            // The runbook's name is not the answer to the second question; the context's is.
            onUi(() -> {
                wizard().productionConfirmationProperty().set("nats-clean-slate");
                return null;
            });
            assertThat(onUi(() -> wizard().canRunBinding().get())).isFalse();
            onUi(() -> {
                wizard().productionConfirmationProperty().set("sandbox");
                return null;
            });
            assertThat(onUi(() -> wizard().canRunBinding().get())).isTrue();

            // A runbook that destroys nothing asks nothing, production or not.
            onUi(() -> {
                model.open("health", RunOptions.none());
                return null;
            });
            waitUntil(20, () -> wizard().getPhase() == RunWizardViewModel.Phase.PLANNED && wizard().titleProperty().get().equals("Health check"));
            assertThat(onUi(() -> wizard().productionAskedBinding().get())).isFalse();
            assertThat(onUi(() -> wizard().canRunBinding().get())).isTrue();
        } finally {
            onUi(() -> {
                wizard().productionProperty().set(false);
                return null;
            });
        }
        // Off production the same plan asks once.
        onUi(() -> {
            model.open("nats-clean-slate", RunOptions.none());
            return null;
        });
        waitUntil(30, () -> wizard().getPhase() == RunWizardViewModel.Phase.PLANNED && wizard().runbookNameProperty().get().equals("nats-clean-slate"));
        onUi(() -> {
            wizard().confirmationProperty().set("nats-clean-slate");
            return null;
        });
        assertThat(onUi(() -> wizard().productionAskedBinding().get())).isFalse();
        assertThat(onUi(() -> wizard().canRunBinding().get())).isTrue();
    }

    @Test
    void aRunLongerThanTenSecondsEndsWithANotificationNamingTheRunbookItsResultAndDuration() throws Exception {
        awaitHealthy();
        onUi(() -> {
            model.open("health", RunOptions.none());
            return null;
        });
        waitUntil(20, () -> wizard().getPhase() == RunWizardViewModel.Phase.PLANNED && wizard().runbookNameProperty().get().equals("health"));
        RunWizardViewModel.RunNotice before = onUi(() -> wizard().notificationProperty().get());

        // A quick run, watched: no notification.
        onUi(() -> {
            wizard().run();
            return null;
        });
        waitUntil(60, () -> wizard().getPhase() == RunWizardViewModel.Phase.FINISHED);
        assertThat(onUi(() -> wizard().getOutcome())).isEqualTo(RunEvent.Outcome.SUCCEEDED);
        assertThat(onUi(() -> wizard().notificationProperty().get())).as("a short run is not notified").isSameAs(before);

        // The same run taking 11 s (the clock moves while its step runs): notified with its name, result and time.
        onUi(() -> {
            model.open("health", RunOptions.none());
            return null;
        });
        waitUntil(20, () -> wizard().getPhase() == RunWizardViewModel.Phase.PLANNED);
        onUi(() -> {
            wizard().step("verify-health").orElseThrow().stateProperty().addListener((o, old, now) -> {
                if (now == StepState.RUNNING) {
                    clock.forward(Duration.ofSeconds(11));
                }
            });
            wizard().run();
            return null;
        });
        waitUntil(60, () -> wizard().getPhase() == RunWizardViewModel.Phase.FINISHED);
        RunWizardViewModel.RunNotice long1 = onUi(() -> wizard().notificationProperty().get());
        assertThat(long1).isNotNull().isNotSameAs(before);
        assertThat(long1.outcome()).isEqualTo(RunEvent.Outcome.SUCCEEDED);
        assertThat(long1.title()).isEqualTo("Runbook health succeeded");
        assertThat(long1.text()).matches("Health check \\(health\\) succeeded after 1[1-9]\\.\\d s on sandbox / swe-ai-fleet\\.");

        // A quick run that ends while the window has no focus is notified too: nobody watched it end.
        onUi(() -> {
            model.open("health", RunOptions.none());
            return null;
        });
        waitUntil(20, () -> wizard().getPhase() == RunWizardViewModel.Phase.PLANNED);
        onUi(() -> {
            wizard().windowFocusedProperty().set(false);
            wizard().run();
            return null;
        });
        try {
            waitUntil(60, () -> wizard().getPhase() == RunWizardViewModel.Phase.FINISHED);
            RunWizardViewModel.RunNotice unwatched = onUi(() -> wizard().notificationProperty().get());
            assertThat(unwatched).isNotSameAs(long1);
            assertThat(unwatched.text()).matches("Health check \\(health\\) succeeded after \\d\\.\\d s on sandbox / swe-ai-fleet\\.");
        } finally {
            onUi(() -> {
                wizard().windowFocusedProperty().set(true);
                return null;
            });
        }
    }

    @Test
    void aViewerOrAReadOnlySessionIsToldWhyAChangingRunbookCannotRunWhileReadingOnesStillCan() throws Exception {
        try (ClusterSession viewer = ClusterConnector.withDefaultTimeout().connect(sandbox.sandbox().clientConfig(SandboxUser.VIEWER),
                "sandbox", FleetSandbox.NAMESPACE, true);
             ClusterSession readOnly = ClusterConnector.withDefaultTimeout().readOnly(true).connect(sandbox.sandbox().clientConfig(),
                     "sandbox", FleetSandbox.NAMESPACE, true)) {
            onUi(() -> {
                model.show(viewer);
                model.open("redeploy", RunOptions.none().withService("orchestrator").withSkipBuild(true));
                return null;
            });
            waitUntil(20, () -> wizard().runRefusalProperty().get() != null);
            assertThat(onUi(() -> wizard().runRefusalProperty().get())).contains("not allowed to patch deployments")
                    .contains("kubectl auth can-i patch deployments.apps -n " + FleetSandbox.NAMESPACE);
            onUi(() -> {
                wizard().confirmationProperty().set("redeploy");
                wizard().run();
                return null;
            });
            assertThat(onUi(() -> wizard().getPhase())).isNotEqualTo(RunWizardViewModel.Phase.RUNNING);
            assertThat(replicas("orchestrator")).isEqualTo(2);
            // The council runbooks talk to the orchestrator through port-forwards, said as such.
            onUi(() -> {
                model.open("councils-init", RunOptions.none());
                return null;
            });
            waitUntil(20, () -> wizard().runRefusalProperty().get() != null
                    && wizard().runRefusalProperty().get().contains("not allowed to create pods/portforward"));
            // Reading runbooks are allowed to a viewer.
            onUi(() -> {
                model.open("health", RunOptions.none());
                return null;
            });
            assertThat(onUi(() -> wizard().runRefusalProperty().get())).isNull();

            onUi(() -> {
                model.show(readOnly);
                model.open("nats-clean-slate", RunOptions.none());
                return null;
            });
            waitUntil(20, () -> wizard().runRefusalProperty().get() != null && wizard().runRefusalProperty().get().contains("read-only"));
            assertThat(onUi(() -> wizard().runRefusalProperty().get())).contains("read-only mode is on: the console changes nothing");
        } finally {
            onUi(() -> {
                model.show(session);
                return null;
            });
        }
        waitUntil(20, () -> wizard().permits().refusalNow("nats-clean-slate") == null);
    }
}
