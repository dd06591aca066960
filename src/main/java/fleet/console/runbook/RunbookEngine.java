package fleet.console.runbook;

import fleet.console.audit.AuditEntry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs a runbook step by step: skip, precondition, act, verify, each step within its timeout; saves the
 * run's state after every step and every recorded value; journals the run and each step; stops at the
 * first failure (resumable from that step) or at cancel; on abandon, runs the runbook's compensation.
 * The same engine serves the wizard and the command line; it runs on the caller's thread.
 */
public final class RunbookEngine {

    /** One step as a dry-run shows it: nothing is changed. */
    public record PlannedStep(String id, String title, String why, String does, List<String> commands, Optional<String> skipped) {
    }

    private final RunStore store;
    private final Consumer<AuditEntry> journal;
    private final Clock clock;

    public RunbookEngine(RunStore store, Consumer<AuditEntry> journal, Clock clock) {
        this.store = store;
        this.journal = journal;
        this.clock = clock;
    }

    /** The whole plan with the commands it would run; touches nothing. */
    public static List<PlannedStep> dryRun(Runbook runbook, RunContext run) {
        List<PlannedStep> out = new ArrayList<>();
        for (Step s : runbook.steps()) {
            out.add(new PlannedStep(s.id(), s.title(), s.why(), s.does(), s.commands(), s.skipReason(run)));
        }
        return out;
    }

    public RunRecord run(Runbook runbook, RunContext run, Consumer<RunEvent> events) throws InterruptedException {
        RunRecord record = new RunRecord(UUID.randomUUID().toString().substring(0, 8), runbook.name(), run.contextName(), run.namespace(),
                optionsOf(run.options()), clock.instant(), RunRecord.Status.RUNNING, List.of(), Optional.empty(), Map.of(), Optional.empty());
        store.save(record);
        audit(run, "runbook " + runbook.name(), "started (run " + record.id() + ")");
        return execute(runbook, run, record, events);
    }

    /** Continues a saved run from where it stopped, with the values it had recorded. */
    public RunRecord resume(Runbook runbook, RunContext run, RunRecord saved, Consumer<RunEvent> events) throws InterruptedException {
        run.restore(saved.values());
        RunRecord record = new RunRecord(saved.id(), saved.runbook(), saved.context(), saved.namespace(), saved.options(), saved.started(),
                RunRecord.Status.RUNNING, saved.done(), saved.stoppedAt(), saved.values(), Optional.empty());
        store.save(record);
        audit(run, "runbook " + runbook.name(), "resumed (run " + record.id() + ")" + saved.stoppedAt().map(s -> " at step " + s).orElse(""));
        return execute(runbook, run, record, events);
    }

    /**
     * Gives a saved run up: its compensation undoes what it left half done (services scaled back to their
     * recorded counts), then it is marked abandoned.
     */
    public RunRecord abandon(Runbook runbook, RunContext run, RunRecord saved) throws StepFailure, InterruptedException {
        run.restore(saved.values());
        if (runbook.compensation().isPresent()) {
            runbook.compensation().get().undo(run);
        }
        RunRecord done = new RunRecord(saved.id(), saved.runbook(), saved.context(), saved.namespace(), saved.options(), saved.started(),
                RunRecord.Status.ABANDONED, saved.done(), saved.stoppedAt(), run.values(), Optional.of("abandoned by the operator"));
        store.save(done);
        audit(run, "runbook " + runbook.name(), "abandoned (run " + saved.id() + ")");
        return done;
    }

    private RunRecord execute(Runbook runbook, RunContext run, RunRecord start, Consumer<RunEvent> events) throws InterruptedException {
        Instant began = clock.instant();
        List<String> done = new ArrayList<>(start.done());
        RunRecord[] current = {start};
        String[] stepId = {null};
        run.attach(line -> events.accept(new RunEvent.LogLine(start.id(), stepId[0], line)),
                message -> events.accept(new RunEvent.Progress(start.id(), stepId[0], message)),
                () -> {
                    current[0] = withValues(current[0], run.values());
                    store.save(current[0]);
                });
        try {
            for (int i = 0; i < runbook.steps().size(); i++) {
                Step step = runbook.steps().get(i);
                if (done.contains(step.id())) {
                    continue;
                }
                stepId[0] = step.id();
                if (run.cancellation().isCancelled()) {
                    return finish(runbook, run, current[0], done, RunRecord.Status.CANCELLED, step.id(), "cancelled before " + step.title(),
                            events, began, new RunEvent.Cancelled(start.id(), step.id()));
                }
                Optional<String> skip = step.skipReason(run);
                if (skip.isPresent()) {
                    events.accept(new RunEvent.Skipped(start.id(), step.id(), skip.get()));
                    done.add(step.id());
                    current[0] = progressed(current[0], done, run.values());
                    store.save(current[0]);
                    continue;
                }
                events.accept(new RunEvent.Started(start.id(), i, step.id(), step.title()));
                Instant stepStart = clock.instant();
                run.deadline(stepStart.plus(step.timeout()));
                try {
                    Optional<String> unmet = step.precondition(run);
                    if (unmet.isPresent()) {
                        throw new StepFailure("Not started: " + unmet.get(), "Fix that, then resume the run from this step.");
                    }
                    step.act(run);
                    step.verify(run);
                } catch (StepFailure f) {
                    if (run.cancellation().isCancelled()) {
                        return finish(runbook, run, current[0], done, RunRecord.Status.CANCELLED, step.id(), "cancelled during " + step.title(),
                                events, began, new RunEvent.Cancelled(start.id(), step.id()));
                    }
                    audit(run, "runbook " + runbook.name() + " / " + step.id(), "failed: " + f.getMessage());
                    return finish(runbook, run, current[0], done, RunRecord.Status.FAILED, step.id(), f.getMessage(), events, began,
                            new RunEvent.Failed(start.id(), step.id(), f.getMessage(), f.whatToDo()));
                } catch (RuntimeException e) {
                    String why = "Unexpected error: " + e;
                    audit(run, "runbook " + runbook.name() + " / " + step.id(), "failed: " + why);
                    return finish(runbook, run, current[0], done, RunRecord.Status.FAILED, step.id(), why, events, began,
                            new RunEvent.Failed(start.id(), step.id(), why, "Retry the step; if it fails again, report it with the audit journal."));
                }
                Duration took = Duration.between(stepStart, clock.instant());
                events.accept(new RunEvent.Succeeded(start.id(), step.id(), took));
                audit(run, "runbook " + runbook.name() + " / " + step.id(), "ok in " + took.toMillis() + " ms");
                done.add(step.id());
                current[0] = progressed(current[0], done, run.values());
                store.save(current[0]);
            }
            RunRecord finished = new RunRecord(start.id(), start.runbook(), start.context(), start.namespace(), start.options(), start.started(),
                    RunRecord.Status.SUCCEEDED, done, Optional.empty(), run.values(), Optional.empty());
            store.save(finished);
            Duration took = Duration.between(began, clock.instant());
            audit(run, "runbook " + runbook.name(), "succeeded in " + took.toMillis() + " ms (run " + start.id() + ")");
            events.accept(new RunEvent.Finished(start.id(), RunEvent.Outcome.SUCCEEDED, took,
                    runbook.title() + ": " + done.size() + " steps done in " + seconds(took)));
            return finished;
        } finally {
            run.deadline(Instant.MAX);
            run.close();
        }
    }

    private RunRecord finish(Runbook runbook, RunContext run, RunRecord current, List<String> done, RunRecord.Status status, String at,
                             String reason, Consumer<RunEvent> events, Instant began, RunEvent stepEvent) {
        RunRecord stopped = new RunRecord(current.id(), current.runbook(), current.context(), current.namespace(), current.options(),
                current.started(), status, done, Optional.of(at), run.values(), Optional.of(reason));
        store.save(stopped);
        events.accept(stepEvent);
        Duration took = Duration.between(began, clock.instant());
        audit(run, "runbook " + runbook.name(), status.name().toLowerCase() + " at step " + at + " (run " + current.id() + "): " + reason);
        events.accept(new RunEvent.Finished(current.id(), status == RunRecord.Status.CANCELLED ? RunEvent.Outcome.CANCELLED : RunEvent.Outcome.FAILED,
                took, runbook.title() + ": stopped at step " + at + " after " + seconds(took) + " - " + reason));
        return stopped;
    }

    private static RunRecord progressed(RunRecord r, List<String> done, Map<String, String> values) {
        return new RunRecord(r.id(), r.runbook(), r.context(), r.namespace(), r.options(), r.started(), RunRecord.Status.RUNNING, done,
                Optional.empty(), values, Optional.empty());
    }

    private static RunRecord withValues(RunRecord r, Map<String, String> values) {
        return new RunRecord(r.id(), r.runbook(), r.context(), r.namespace(), r.options(), r.started(), r.status(), r.done(), r.stoppedAt(),
                values, r.reason());
    }

    private void audit(RunContext run, String action, String result) {
        journal.accept(new AuditEntry(clock.instant(), run.contextName(), run.namespace(), action, run.options().service().orElse(""), result));
    }

    static Map<String, String> optionsOf(RunOptions o) {
        Map<String, String> m = new LinkedHashMap<>();
        o.service().ifPresent(v -> m.put("service", v));
        if (o.skipBuild()) {
            m.put("skip-build", "true");
        }
        if (o.noWait()) {
            m.put("no-wait", "true");
        }
        if (o.viaJob()) {
            m.put("via-job", "true");
        }
        o.manifests().ifPresent(v -> m.put("manifests", v.toString()));
        o.backupTo().ifPresent(v -> m.put("backup-to", v.toString()));
        o.source().ifPresent(v -> m.put("source", v.toString()));
        o.toRevision().ifPresent(v -> m.put("to-revision", Long.toString(v)));
        o.tag().ifPresent(v -> m.put("tag", v));
        if (!o.skip().isEmpty()) {
            m.put("skip", String.join(",", new java.util.TreeSet<>(o.skip())));
        }
        return m;
    }

    /** The options a saved run was started with. */
    public static RunOptions optionsFrom(Map<String, String> m) {
        RunOptions o = RunOptions.none();
        if (m.containsKey("service")) {
            o = o.withService(m.get("service"));
        }
        o = o.withSkipBuild(m.containsKey("skip-build")).withNoWait(m.containsKey("no-wait")).withViaJob(m.containsKey("via-job"));
        if (m.containsKey("manifests")) {
            o = o.withManifests(java.nio.file.Path.of(m.get("manifests")));
        }
        if (m.containsKey("source")) {
            o = o.withSource(java.nio.file.Path.of(m.get("source")));
        }
        if (m.containsKey("backup-to")) {
            o = o.withBackupTo(java.nio.file.Path.of(m.get("backup-to")));
        }
        if (m.containsKey("to-revision")) {
            o = o.withToRevision(Long.parseLong(m.get("to-revision")));
        }
        if (m.containsKey("tag")) {
            o = o.withTag(m.get("tag"));
        }
        if (m.containsKey("skip")) {
            o = o.withSkip(java.util.Set.of(m.get("skip").split(",")));
        }
        return o;
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
