package fleet.console.runbook;

import fleet.console.audit.AuditEntry;
import fleet.console.profile.FleetProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine on steps of its own: order, failure and resume, cancel, saved values, compensation, dry-run. */
class RunbookEngineTest {

    private final List<AuditEntry> journal = new CopyOnWriteArrayList<>();
    private final List<String> did = new CopyOnWriteArrayList<>();

    private RunContext context() {
        return new RunContext(null, "test", "ns", FleetProfile.defaults(), RunOptions.none(), () -> {
            throw new IllegalStateException("no NATS in this test");
        }, journal::add, Clock.systemUTC());
    }

    private SimpleStep step(String id, SimpleStep.Action action) {
        return SimpleStep.of(id, "Step " + id, "because", "does " + id, List.of("echo " + id), Duration.ofSeconds(5), run -> {
            did.add(id);
            action.run(run);
        });
    }

    @Test
    void stepsRunInOrderAndTheRunIsSavedAsSucceeded(@TempDir Path dir) throws Exception {
        RunStore store = new RunStore(dir);
        Runbook rb = new Runbook("demo", "Demo", "", List.of(step("a", r -> { }), step("b", r -> { })), Optional.empty(), Optional.empty(),
                Optional.empty());
        List<RunEvent> events = new ArrayList<>();
        RunRecord result = new RunbookEngine(store, journal::add, Clock.systemUTC()).run(rb, context(), events::add);
        assertEquals(RunRecord.Status.SUCCEEDED, result.status());
        assertEquals(List.of("a", "b"), did);
        assertTrue(events.get(events.size() - 1) instanceof RunEvent.Finished f && f.outcome() == RunEvent.Outcome.SUCCEEDED);
        assertTrue(store.unfinished().isEmpty());
        assertTrue(journal.stream().anyMatch(e -> e.action().equals("runbook demo") && e.result().startsWith("succeeded")));
    }

    @Test
    void aFailedStepStopsTheRunAndResumeContinuesFromItWithTheRecordedValues(@TempDir Path dir) throws Exception {
        RunStore store = new RunStore(dir);
        AtomicBoolean broken = new AtomicBoolean(true);
        Runbook rb = new Runbook("demo", "Demo", "", List.of(
                step("a", r -> r.remember("replicas.orchestrator", "2")),
                step("b", r -> {
                    if (broken.get()) {
                        throw new StepFailure("b is broken", "fix b");
                    }
                }),
                step("c", r -> assertEquals(Optional.of("2"), r.recall("replicas.orchestrator")))),
                Optional.empty(), Optional.empty(), Optional.empty());
        RunbookEngine engine = new RunbookEngine(store, journal::add, Clock.systemUTC());
        RunRecord failed = engine.run(rb, context(), e -> { });
        assertEquals(RunRecord.Status.FAILED, failed.status());
        assertEquals(Optional.of("b"), failed.stoppedAt());
        assertEquals(List.of("a"), failed.done());
        RunRecord saved = store.unfinished().get(0);
        assertEquals("2", saved.values().get("replicas.orchestrator"));

        broken.set(false);
        did.clear();
        RunRecord resumed = engine.resume(rb, context(), saved, e -> { });
        assertEquals(RunRecord.Status.SUCCEEDED, resumed.status());
        assertEquals(List.of("b", "c"), did, "a is not done again");
    }

    @Test
    void abandoningARunRunsItsCompensationWithTheValuesItRecorded(@TempDir Path dir) throws Exception {
        RunStore store = new RunStore(dir);
        List<String> undone = new ArrayList<>();
        Runbook rb = new Runbook("demo", "Demo", "", List.of(step("scale-down", r -> r.remember("replicas.context", "2")),
                step("break", r -> {
                    throw new StepFailure("broke", "");
                })), Optional.empty(), Optional.empty(),
                Optional.of(r -> undone.add("context back to " + r.recall("replicas.context").orElse("?"))));
        RunbookEngine engine = new RunbookEngine(store, journal::add, Clock.systemUTC());
        RunRecord failed = engine.run(rb, context(), e -> { });
        RunRecord abandoned = engine.abandon(rb, context(), store.load(failed.id()).orElseThrow());
        assertEquals(List.of("context back to 2"), undone);
        assertEquals(RunRecord.Status.ABANDONED, abandoned.status());
        assertTrue(store.unfinished().isEmpty());
    }

    @Test
    void cancelStopsBeforeTheNextStep(@TempDir Path dir) throws Exception {
        RunContext run = context();
        Runbook rb = new Runbook("demo", "Demo", "", List.of(step("a", r -> r.cancellation().cancel()), step("b", r -> { })),
                Optional.empty(), Optional.empty(), Optional.empty());
        RunRecord result = new RunbookEngine(new RunStore(dir), journal::add, Clock.systemUTC()).run(rb, run, e -> { });
        assertEquals(RunRecord.Status.CANCELLED, result.status());
        assertEquals(List.of("a"), did);
    }

    @Test
    void dryRunListsEveryStepWithItsCommandsAndRunsNone() {
        Runbook rb = new Runbook("demo", "Demo", "", List.of(step("a", r -> { }), step("b", r -> { }).skippedWhen(r -> Optional.of("--skip-b"))),
                Optional.empty(), Optional.empty(), Optional.empty());
        List<RunbookEngine.PlannedStep> plan = RunbookEngine.dryRun(rb, context());
        assertEquals(List.of("echo a"), plan.get(0).commands());
        assertEquals(Optional.of("--skip-b"), plan.get(1).skipped());
        assertTrue(did.isEmpty());
    }
}
