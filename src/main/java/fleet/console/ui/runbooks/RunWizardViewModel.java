package fleet.console.ui.runbooks;

import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.logs.LogLine;
import fleet.console.runbook.RunContext;
import fleet.console.runbook.RunEvent;
import fleet.console.runbook.RunOptions;
import fleet.console.runbook.RunRecord;
import fleet.console.runbook.Runbook;
import fleet.console.runbook.RunbookEngine;
import fleet.console.runbook.RunbookPermissions;
import fleet.console.runbook.Runbooks;
import fleet.console.runbook.StepFailure;
import fleet.console.ui.common.ActionPermits;
import fleet.console.ui.common.FrameBatcher;
import fleet.console.ui.logs.LogViewModel;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The wizard of one runbook without a window: its plan (every step with why, what it does and the
 * equivalent commands, what it destroys and the name to type back), then the run (each step's state,
 * what it is doing, its elapsed time, the live tail of its log lines), cancel, retry of the failed step
 * (the run resumed from it) and abandon (what the run stopped is scaled back to the recorded counts).
 * <p>
 * Planning and the engine run on the background executor; their results and every {@link RunEvent}
 * reach the properties through the UI executor. Everything here is changed on the UI thread.
 */
public final class RunWizardViewModel {

    /** What the wizard is doing. */
    public enum Phase { EMPTY, PLANNING, PLANNED, RUNNING, FINISHED }

    /** A run longer than this ends with a notification (a shorter one too when the window is not focused). */
    public static final Duration NOTIFY_AFTER = Duration.ofSeconds(10);

    /**
     * The end of a long run, for a desktop notification: the runbook, how it ended and how long it took.
     *
     * @param at when it ended (two runs ending alike are still two notifications)
     */
    public record RunNotice(String title, String text, RunEvent.Outcome outcome, Instant at) {
    }

    private final Supplier<RunSetup> setup;
    private final Executor background;
    private final Executor ui;
    private final Clock clock;
    private final LogViewModel log;
    private final StepLogTail podTail;
    private final ActionPermits permits;

    private final ReadOnlyObjectWrapper<Phase> phase = new ReadOnlyObjectWrapper<>(this, "phase", Phase.EMPTY);
    private final ReadOnlyStringWrapper runbookName = new ReadOnlyStringWrapper(this, "runbookName", "");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "");
    private final ReadOnlyStringWrapper description = new ReadOnlyStringWrapper(this, "description", "");
    private final ReadOnlyStringWrapper destroys = new ReadOnlyStringWrapper(this, "destroys", "");
    private final ReadOnlyStringWrapper confirmName = new ReadOnlyStringWrapper(this, "confirmName", "");
    private final StringProperty confirmation = new SimpleStringProperty(this, "confirmation", "");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper(this, "progress", "");
    private final ReadOnlyBooleanWrapper cancelling = new ReadOnlyBooleanWrapper(this, "cancelling");
    private final ReadOnlyObjectWrapper<RunEvent.Outcome> outcome = new ReadOnlyObjectWrapper<>(this, "outcome");
    private final ReadOnlyObjectWrapper<RunRecord> lastRun = new ReadOnlyObjectWrapper<>(this, "lastRun");
    private final ObjectProperty<StepItem> shownStep = new SimpleObjectProperty<>(this, "shownStep");
    private final ObservableList<StepItem> steps = FXCollections.observableArrayList();
    private final ObservableList<StepItem> stepsView = FXCollections.unmodifiableObservableList(steps);
    private final BooleanBinding firstConfirmed;
    private final BooleanBinding productionAsked;
    private final BooleanBinding confirmed;
    private final BooleanProperty production = new SimpleBooleanProperty(this, "production");
    private final StringProperty productionConfirmation = new SimpleStringProperty(this, "productionConfirmation", "");
    private final ReadOnlyStringWrapper contextName = new ReadOnlyStringWrapper(this, "contextName", "");
    private final ReadOnlyStringWrapper runRefusal = new ReadOnlyStringWrapper(this, "runRefusal");
    private final BooleanProperty windowFocused = new SimpleBooleanProperty(this, "windowFocused", true);
    private final ObjectProperty<Duration> notifyAfter = new SimpleObjectProperty<>(this, "notifyAfter", NOTIFY_AFTER);
    private final ReadOnlyObjectWrapper<RunNotice> notification = new ReadOnlyObjectWrapper<>(this, "notification");
    private String action;
    private Instant runStartedAt;
    private final BooleanBinding canRun;
    private final BooleanBinding canRetry;

    private final AtomicLong generation = new AtomicLong();
    private ClusterSession session;
    private Plan plan;
    private RunContext running;
    private boolean followRunning = true;
    private boolean announceDryRun;
    private long runLines;
    private LogViewModel.Feed feed;

    /** A plan made for one run: the runbook as planned and the context it was planned in (run with it, or closed). */
    private record Plan(Runbooks.Entry entry, RunOptions options, Runbook runbook, RunContext context) {
    }

    public RunWizardViewModel(Supplier<RunSetup> setup, Executor background, Executor ui, Clock clock, FrameBatcher.Frames frames,
                              int logLines) {
        this.setup = Objects.requireNonNull(setup);
        this.background = Objects.requireNonNull(background);
        this.ui = Objects.requireNonNull(ui);
        this.clock = Objects.requireNonNull(clock);
        this.log = new LogViewModel(background, ui, frames, logLines);
        this.feed = log.feed();
        this.podTail = new StepLogTail(new LogViewModel(background, ui, frames, Math.min(logLines, 10_000)), background);
        this.permits = new ActionPermits(background, ui);
        for (Runbooks.Entry e : Runbooks.all()) {
            if (!RunbookPermissions.readsOnly(e.name())) {
                String name = e.name();
                permits.define(name, ns -> RunbookPermissions.permissionFor(name, RunOptions.none(), ns));
                if (name.startsWith("councils-")) {
                    permits.define(name + VIA_JOB, ns -> RunbookPermissions.permissionFor(name, RunOptions.none().withViaJob(true), ns));
                    permits.refusal(name + VIA_JOB).addListener((o, old, now) -> updateRunRefusal());
                }
                permits.refusal(name).addListener((o, old, now) -> updateRunRefusal());
            }
        }
        firstConfirmed = Bindings.createBooleanBinding(() -> destroys.get().isEmpty()
                || confirmation.get().trim().equals(expectedConfirmation()), destroys, confirmation, confirmName, runbookName);
        productionAsked = production.and(destroys.isNotEmpty());
        confirmed = Bindings.createBooleanBinding(() -> firstConfirmed.get()
                        && (!productionAsked.get() || productionConfirmation.get().trim().equals(contextName.get())),
                firstConfirmed, productionAsked, productionConfirmation, contextName);
        canRun = phase.isEqualTo(Phase.PLANNED).and(confirmed);
        canRetry = phase.isEqualTo(Phase.FINISHED).and(Bindings.createBooleanBinding(() -> lastRun.get() != null
                && (lastRun.get().status() == RunRecord.Status.FAILED || lastRun.get().status() == RunRecord.Status.CANCELLED), lastRun));
        shownStep.addListener((o, old, now) -> {
            if (!followRunning || phase.get() != Phase.RUNNING) {
                showLog(now);
            }
            followPods(now);
        });
    }

    private static final String VIA_JOB = " --via-job";

    // ---- what it shows ----------------------------------------------------------------------------

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase.getReadOnlyProperty();
    }

    public Phase getPhase() {
        return phase.get();
    }

    public ReadOnlyStringProperty runbookNameProperty() {
        return runbookName.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty descriptionProperty() {
        return description.getReadOnlyProperty();
    }

    /** What the runbook destroys, in numbers; empty when it destroys nothing. */
    public ReadOnlyStringProperty destroysProperty() {
        return destroys.getReadOnlyProperty();
    }

    public String getDestroys() {
        return destroys.get();
    }

    /** The name the operator types back before a destructive run (the runbook's own name, or the namespace for a reset). */
    public String expectedConfirmation() {
        return confirmName.get().isEmpty() ? runbookName.get() : confirmName.get();
    }

    public StringProperty confirmationProperty() {
        return confirmation;
    }

    /**
     * True when nothing needs confirming, or the name was typed back (and, on a production context, the
     * context's name as well).
     */
    public BooleanBinding confirmedBinding() {
        return confirmed;
    }

    /** The first question answered: the runbook's name (or the namespace) typed back, or nothing to confirm. */
    public BooleanBinding firstConfirmedBinding() {
        return firstConfirmed;
    }

    /**
     * Whether the window is connected to a context the operator marked as production (the shell sets it;
     * the sandbox never is). A destructive runbook then asks a second question before its first step.
     */
    public BooleanProperty productionProperty() {
        return production;
    }

    /** True when this plan asks twice: it destroys something and the context is marked as production. */
    public BooleanBinding productionAskedBinding() {
        return productionAsked;
    }

    /** The second answer on production: the context's own name, typed. */
    public StringProperty productionConfirmationProperty() {
        return productionConfirmation;
    }

    /** The context the plan was made for. */
    public ReadOnlyStringProperty contextNameProperty() {
        return contextName.getReadOnlyProperty();
    }

    /** The second question, naming the context as production. */
    public String productionQuestion() {
        return "Context " + contextName.get() + " is marked as PRODUCTION. Type the production context's name '"
                + contextName.get() + "' to run " + runbookName.get() + " there:";
    }

    /**
     * Why this runbook may not run in this session (read-only mode, or the user lacks the permission
     * it needs), in words; null while it may.
     */
    public ReadOnlyStringProperty runRefusalProperty() {
        return runRefusal.getReadOnlyProperty();
    }

    /** The runbooks' mutating actions, asked of the API server per session. */
    public ActionPermits permits() {
        return permits;
    }

    /** The shell says whether the window has the focus: a run ending unwatched is notified however long it took. */
    public BooleanProperty windowFocusedProperty() {
        return windowFocused;
    }

    /** How long a run must take to end with a notification ({@link #NOTIFY_AFTER} unless set). */
    public ObjectProperty<Duration> notifyAfterProperty() {
        return notifyAfter;
    }

    /** The last long run's end, for the desktop notification; null until one ends. */
    public ReadOnlyObjectProperty<RunNotice> notificationProperty() {
        return notification.getReadOnlyProperty();
    }

    /** The live tail of the pods the shown step touches (its own view, under the step's details). */
    public LogViewModel podLog() {
        return podTail.view();
    }

    /** The workloads whose pods the pod tail follows now. */
    public List<String> podTailFollowing() {
        return podTail.following();
    }

    public BooleanBinding canRunBinding() {
        return canRun;
    }

    /** A failed or cancelled run can be retried from the step where it stopped. */
    public BooleanBinding canRetryBinding() {
        return canRetry;
    }

    /** Why the plan could not be made or the run could not start, and what to do; empty when all is well. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public String getProblem() {
        return problem.get();
    }

    /** The dry-run's verdict or the run's summary. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public String getMessage() {
        return message.get();
    }

    /** "Step 3 of 12: Scale orchestrator to 0 - ...". */
    public ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public String getProgress() {
        return progress.get();
    }

    public ReadOnlyBooleanProperty cancellingProperty() {
        return cancelling.getReadOnlyProperty();
    }

    /** How the last run ended; null before it ends. */
    public ReadOnlyObjectProperty<RunEvent.Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    public RunEvent.Outcome getOutcome() {
        return outcome.get();
    }

    /** The last run as saved. */
    public ReadOnlyObjectProperty<RunRecord> lastRunProperty() {
        return lastRun.getReadOnlyProperty();
    }

    public ObservableList<StepItem> steps() {
        return stepsView;
    }

    public Optional<StepItem> step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The step whose explanation, commands and log lines are shown: the running one unless the operator chose another. */
    public ObjectProperty<StepItem> shownStepProperty() {
        return shownStep;
    }

    /**
     * The operator chose a step to look at: its explanation and only its lines; the view stops following
     * the run until the next one.
     */
    public void showStep(StepItem item) {
        followRunning = false;
        shownStep.set(item);
        showLog(item);
    }

    /**
     * The live tail: while a run is followed, every step's lines as they come, each marked with its step
     * (one stream, so a quick step's lines are never lost to the next step's start); the lines of one
     * step when the operator chose it.
     */
    public LogViewModel log() {
        return log;
    }

    /** Every step's commands in order, as a script to copy. */
    public String script() {
        StringBuilder out = new StringBuilder("# ").append(title.get()).append(" (").append(runbookName.get()).append(")\n");
        for (StepItem s : steps) {
            out.append("\n# ").append(s.number()).append(". ").append(s.title())
                    .append(s.plannedSkip().map(w -> "   (skipped: " + w + ")").orElse("")).append('\n');
            s.commands().forEach(c -> out.append(c).append('\n'));
        }
        return out.toString();
    }

    // ---- planning ---------------------------------------------------------------------------------

    /**
     * Plans the runbook for the session with these options (off the UI thread) and shows every step;
     * nothing is changed. A newer plan supersedes an older one still being made.
     */
    public void plan(ClusterSession on, String name, RunOptions options) {
        if (phase.get() == Phase.RUNNING) {
            problem.set("A run is in progress; cancel it or wait for it to end before planning another.");
            return;
        }
        Optional<Runbooks.Entry> entry = Runbooks.named(name);
        if (entry.isEmpty()) {
            problem.set("There is no runbook '" + name + "'.");
            return;
        }
        long mine = generation.incrementAndGet();
        discardPlan();
        announceDryRun = false;
        session = on;
        runbookName.set(name);
        title.set(name);
        description.set(entry.get().summary());
        destroys.set("");
        confirmName.set("");
        confirmation.set("");
        productionConfirmation.set("");
        contextName.set(on == null ? "" : on.contextName());
        action = actionOf(name, options);
        updateRunRefusal();
        message.set("");
        progress.set("");
        outcome.set(null);
        lastRun.set(null);
        steps.clear();
        shownStep.set(null);
        podTail.follow(null, "", List.of());
        if (on == null) {
            phase.set(Phase.EMPTY);
            problem.set("Not connected: connect to a cluster or the sandbox to plan " + name + ".");
            return;
        }
        problem.set("");
        phase.set(Phase.PLANNING);
        background.execute(() -> {
            RunContext ctx = null;
            try {
                ctx = setup.get().contexts().open(on, options);
                Runbook rb = entry.get().planner().plan(ctx);
                List<RunbookEngine.PlannedStep> planned = RunbookEngine.dryRun(rb, ctx);
                Plan made = new Plan(entry.get(), options, rb, ctx);
                ui.execute(() -> {
                    if (mine != generation.get()) {
                        background.execute(made.context()::close);
                        return;
                    }
                    plan = made;
                    showPlan(rb, planned, on.namespace());
                    phase.set(Phase.PLANNED);
                    if (announceDryRun) {
                        announceDryRun = false;
                        sayDryRun();
                    }
                });
            } catch (StepFailure f) {
                close(ctx);
                ui.execute(() -> planFailed(mine, f.getMessage() + " " + f.whatToDo()));
            } catch (RuntimeException e) {
                close(ctx);
                ui.execute(() -> planFailed(mine, "The plan could not be made: " + e.getMessage()));
            }
        });
    }

    /**
     * Plans again with fresh numbers from the cluster and says what a run would do, changing nothing:
     * the dry-run.
     */
    public void dryRun(ClusterSession on, String name, RunOptions options) {
        plan(on, name, options);
        if (phase.get() == Phase.PLANNED) {
            sayDryRun();
        } else {
            announceDryRun = phase.get() == Phase.PLANNING;
        }
    }

    private void sayDryRun() {
        long commands = steps.stream().mapToLong(s -> s.commands().size()).sum();
        long skipped = steps.stream().filter(s -> s.plannedSkip().isPresent()).count();
        message.set(String.format("Dry run: %d steps (%d skipped with these options), %d commands. Nothing was changed.",
                steps.size(), skipped, commands));
    }

    private void planFailed(long mine, String why) {
        if (mine == generation.get()) {
            announceDryRun = false;
            phase.set(Phase.EMPTY);
            problem.set(why);
        }
    }

    private void showPlan(Runbook rb, List<RunbookEngine.PlannedStep> planned, String namespace) {
        title.set(rb.title());
        description.set(rb.description());
        destroys.set(rb.destroys().orElse(""));
        confirmName.set(rb.confirmName().orElse(""));
        List<StepItem> items = new ArrayList<>();
        int n = 1;
        for (RunbookEngine.PlannedStep s : planned) {
            List<String> touches = rb.steps().stream().filter(x -> x.id().equals(s.id())).findFirst().map(x -> x.touches()).orElse(List.of());
            items.add(new StepItem(n++, s.id(), s.title(), s.why(), s.does(), withNamespace(s.commands(), namespace), s.skipped(), touches));
        }
        steps.setAll(items);
        followRunning = true;
        shownStep.set(items.isEmpty() ? null : items.get(0));
    }

    /** The runbook's commands say {@code -n NS}; the operator copies them for this namespace. */
    static List<String> withNamespace(List<String> commands, String namespace) {
        return commands.stream().map(c -> c.replace(" -n NS", " -n " + namespace)).toList();
    }

    // ---- running ----------------------------------------------------------------------------------

    /** Runs the plan shown (after its confirmation), step by step, off the UI thread. */
    public void run() {
        String refused = runRefusal.get();
        if (refused != null && phase.get() == Phase.PLANNED) {
            problem.set(runbookName.get() + " cannot run here: " + refused);
            return;
        }
        if (!canRun.get()) {
            if (phase.get() == Phase.PLANNED && !firstConfirmed.get()) {
                problem.set("Type " + expectedConfirmation() + " to confirm: this run destroys " + destroys.get() + ".");
            } else if (phase.get() == Phase.PLANNED && !confirmed.get()) {
                problem.set(productionQuestion().replaceFirst(":$", "") + ": it destroys " + destroys.get() + ".");
            }
            return;
        }
        Plan p = plan;
        plan = null;
        steps.forEach(StepItem::reset);
        begin(p.context());
        background.execute(() -> {
            RunbookEngine engine = new RunbookEngine(setup.get().store(), p.context().journal(), clock);
            try {
                RunRecord result = engine.run(p.runbook(), p.context(), this::onEvent);
                ui.execute(() -> ended(result));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ui.execute(() -> interrupted());
            } catch (RuntimeException e) {
                ui.execute(() -> crashed(e));
            }
        });
    }

    /** Stops the run at its next wait or between steps; it can be retried (resumed) from that step. */
    public void cancel() {
        RunContext ctx = running;
        if (ctx != null && phase.get() == Phase.RUNNING) {
            cancelling.set(true);
            progress.set("Cancelling: the step stops at its next wait…");
            ctx.cancellation().cancel();
        }
    }

    /** Runs the last run again from the step where it failed or was cancelled (the steps it did stay done). */
    public void retry() {
        RunRecord last = lastRun.get();
        if (canRetry.get() && last != null) {
            resume(session, last);
        }
    }

    /**
     * Resumes a saved run (from this window or one that closed) on the session: planned again with the
     * options it was started with, then continued from where it stopped, with the values it recorded.
     */
    public void resume(ClusterSession on, RunRecord saved) {
        if (phase.get() == Phase.RUNNING || phase.get() == Phase.PLANNING) {
            return;
        }
        Optional<Runbooks.Entry> entry = Runbooks.named(saved.runbook());
        if (on == null || entry.isEmpty()) {
            problem.set(on == null ? "Not connected: connect to " + saved.context() + " / " + saved.namespace() + " to resume the run."
                    : "This console has no runbook '" + saved.runbook() + "' to resume.");
            return;
        }
        long mine = generation.incrementAndGet();
        discardPlan();
        session = on;
        runbookName.set(saved.runbook());
        problem.set("");
        message.set("");
        outcome.set(null);
        phase.set(Phase.PLANNING);
        progress.set("Resuming run " + saved.id() + saved.stoppedAt().map(s -> " at step " + s).orElse("") + "…");
        background.execute(() -> {
            RunContext ctx = null;
            try {
                ctx = setup.get().contexts().open(on, RunbookEngine.optionsFrom(saved.options()));
                Runbook rb = entry.get().planner().plan(ctx);
                List<RunbookEngine.PlannedStep> planned = RunbookEngine.dryRun(rb, ctx);
                RunContext context = ctx;
                ui.execute(() -> {
                    if (mine != generation.get()) {
                        background.execute(context::close);
                        return;
                    }
                    Map<String, StepItem> before = steps.stream().collect(Collectors.toMap(StepItem::id, s -> s, (a, b) -> a));
                    showPlan(rb, planned, on.namespace());
                    for (StepItem s : steps) {
                        StepItem old = before.get(s.id());
                        if (saved.done().contains(s.id())) {
                            if (old != null && old.getState() != StepState.PENDING) {
                                copyState(old, s);
                            } else {
                                s.doneBefore();
                            }
                        }
                    }
                    begin(context);
                    background.execute(() -> {
                        RunbookEngine engine = new RunbookEngine(setup.get().store(), context.journal(), clock);
                        try {
                            RunRecord result = engine.resume(rb, context, saved, this::onEvent);
                            ui.execute(() -> ended(result));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            ui.execute(() -> interrupted());
                        } catch (RuntimeException e) {
                            ui.execute(() -> crashed(e));
                        }
                    });
                });
            } catch (StepFailure f) {
                close(ctx);
                ui.execute(() -> planFailed(mine, "The run cannot be resumed: " + f.getMessage() + " " + f.whatToDo()));
            } catch (RuntimeException e) {
                close(ctx);
                ui.execute(() -> planFailed(mine, "The run cannot be resumed: " + e.getMessage()));
            }
        });
    }

    /** Gives the last run up: what it stopped runs again at the counts it recorded. */
    public void abandon() {
        RunRecord last = lastRun.get();
        if (last != null && canRetry.get()) {
            abandon(session, last, done -> { });
        }
    }

    /**
     * Gives a saved run up: the runbook's compensation scales what it stopped back to the counts the run
     * recorded, then the run is marked abandoned. {@code after} gets the abandoned run (on the UI thread).
     */
    public void abandon(ClusterSession on, RunRecord saved, java.util.function.Consumer<RunRecord> after) {
        Optional<Runbooks.Entry> entry = Runbooks.named(saved.runbook());
        if (on == null || entry.isEmpty()) {
            problem.set("Not connected to " + saved.context() + " / " + saved.namespace() + ": the run cannot be abandoned from here.");
            return;
        }
        String counts = saved.values().entrySet().stream().filter(e -> e.getKey().startsWith("replicas."))
                .map(e -> e.getKey().substring("replicas.".length()) + " " + e.getValue()).collect(Collectors.joining(", "));
        progress.set("Abandoning run " + saved.id() + (counts.isEmpty() ? "" : ": scaling back " + counts) + "…");
        background.execute(() -> {
            RunContext ctx = null;
            try {
                ctx = setup.get().contexts().open(on, RunbookEngine.optionsFrom(saved.options()));
                Runbook rb = entry.get().planner().plan(ctx);
                RunRecord done = new RunbookEngine(setup.get().store(), ctx.journal(), clock).abandon(rb, ctx, saved);
                ui.execute(() -> {
                    if (lastRun.get() != null && lastRun.get().id().equals(done.id())) {
                        lastRun.set(done);
                        outcome.set(RunEvent.Outcome.ABANDONED);
                    }
                    progress.set("");
                    message.set("Run " + done.id() + " abandoned" + (counts.isEmpty() ? "." : "; scaled back to the recorded counts: " + counts + "."));
                    after.accept(done);
                });
            } catch (StepFailure f) {
                ui.execute(() -> problem.set("Abandoning failed: " + f.getMessage() + " " + f.whatToDo()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                ui.execute(() -> problem.set("Abandoning failed: " + e.getMessage()));
            } finally {
                close(ctx);
            }
        });
    }

    private void begin(RunContext ctx) {
        running = ctx;
        cancelling.set(false);
        problem.set("");
        message.set("");
        outcome.set(null);
        followRunning = true;
        runLines = 0;
        runStartedAt = clock.instant();
        feed = log.restart(title.get() + ": every step's lines as they come");
        feed.prefixLines();
        phase.set(Phase.RUNNING);
        progress.set("Starting…");
    }

    /** The engine's events, from its thread: each reaches the UI thread in order, batched with the others. */
    private void onEvent(RunEvent e) {
        ui.execute(() -> apply(e));
    }

    private void apply(RunEvent e) {
        Instant now = clock.instant();
        if (e instanceof RunEvent.Started s) {
            step(s.stepId()).ifPresent(item -> {
                item.start(now);
                progress.set("Step " + item.number() + " of " + steps.size() + ": " + item.title());
                if (followRunning) {
                    shownStep.set(item);
                    followPods(item);
                }
            });
        } else if (e instanceof RunEvent.Progress p) {
            step(p.stepId()).ifPresent(item -> {
                item.progress(p.message());
                progress.set("Step " + item.number() + " of " + steps.size() + ": " + item.title() + " - " + p.message());
            });
        } else if (e instanceof RunEvent.LogLine l) {
            step(l.stepId()).ifPresent(item -> {
                item.log(l.line());
                if (followRunning) {
                    feed.lines(List.of(new LogLine("step " + item.number(), "", now, l.line(), ++runLines)));
                } else if (shownStep.get() == item) {
                    feed.lines(List.of(new LogLine(item.title(), "", now, l.line(), item.lines().size())));
                }
            });
        } else if (e instanceof RunEvent.Succeeded s) {
            step(s.stepId()).ifPresent(item -> item.succeeded(s.took()));
        } else if (e instanceof RunEvent.Skipped s) {
            step(s.stepId()).ifPresent(item -> item.skipped(s.why()));
        } else if (e instanceof RunEvent.Failed f) {
            step(f.stepId()).ifPresent(item -> {
                item.failed(f.reason(), f.whatToDo(), now);
                shownStep.set(item);
            });
            problem.set(f.reason() + " What to do: " + f.whatToDo());
        } else if (e instanceof RunEvent.Cancelled c) {
            step(c.stepId()).ifPresent(item -> item.cancelled(now));
        } else if (e instanceof RunEvent.Finished f) {
            notifyIfLong(f.outcome(), now);
            outcome.set(f.outcome());
            message.set(f.summary());
            progress.set(switch (f.outcome()) {
                case SUCCEEDED -> "Done: every step succeeded.";
                case FAILED -> "Stopped at a failed step: retry it, or abandon the run.";
                case CANCELLED -> "Cancelled: retry to go on from the step it stopped at, or abandon the run.";
                case ABANDONED -> "Abandoned.";
            });
        }
    }

    private void ended(RunRecord result) {
        running = null;
        cancelling.set(false);
        lastRun.set(result);
        phase.set(Phase.FINISHED);
    }

    private void interrupted() {
        running = null;
        cancelling.set(false);
        phase.set(Phase.FINISHED);
        problem.set("The run was interrupted (the console is closing); it is saved and offered for resume at the next start.");
    }

    private void crashed(RuntimeException e) {
        running = null;
        cancelling.set(false);
        phase.set(Phase.FINISHED);
        problem.set("The run stopped on an unexpected error: " + e.getMessage()
                + ". Its state is saved; retry it from the Runbooks area or report it with the audit journal.");
    }

    /** The end of a run that took at least {@link #notifyAfterProperty()} or ended while the window had no focus. */
    private void notifyIfLong(RunEvent.Outcome how, Instant now) {
        Duration took = runStartedAt == null ? Duration.ZERO : Duration.between(runStartedAt, now);
        Duration after = notifyAfter.get() == null ? NOTIFY_AFTER : notifyAfter.get();
        if (took.compareTo(after) < 0 && windowFocused.get()) {
            return;
        }
        String words = switch (how) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case CANCELLED -> "was cancelled";
            case ABANDONED -> "was abandoned";
        };
        String where = session == null ? "" : " on " + session.contextName() + " / " + session.namespace();
        String text = title.get() + " (" + runbookName.get() + ") " + words + " after " + durationWords(took) + where + "."
                + (how == RunEvent.Outcome.FAILED || how == RunEvent.Outcome.CANCELLED
                ? " Open Runbooks to retry it from the step where it stopped, or abandon it." : "");
        notification.set(new RunNotice("Runbook " + runbookName.get() + " " + words, text, how, now));
    }

    /** {@code 12.3 s}, {@code 2 min 5 s}. */
    static String durationWords(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        return s / 60 + " min " + s % 60 + " s";
    }

    /** While a run goes or after it ended: the shown step's pods in the pod tail. */
    private void followPods(StepItem item) {
        if (phase.get() == Phase.RUNNING || phase.get() == Phase.FINISHED) {
            podTail.follow(session, item == null ? "" : item.number() + ". " + item.title(), item == null ? List.of() : item.touches());
        }
    }

    /** The action a runbook with these options is permitted by (null: it only reads). */
    private static String actionOf(String runbook, RunOptions options) {
        if (RunbookPermissions.readsOnly(runbook)) {
            return null;
        }
        return runbook.startsWith("councils-") && options.viaJob() ? runbook + VIA_JOB : runbook;
    }

    private void updateRunRefusal() {
        String why = action == null ? null : permits.refusalNow(action);
        // Not asked yet for this session: the run is tried, and the server answers.
        runRefusal.set(ActionPermits.NOT_CONNECTED.equals(why) && session != null ? null : why);
    }

    /** The session changed (null: none): its permissions are asked again. */
    public void sessionChanged(ClusterSession now) {
        permits.update(null); // the last session's answers are not this one's
        permits.update(now);
        updateRunRefusal();
    }

    /** Updates the running step's elapsed time (the view calls it every second while a run goes). */
    public void tick() {
        Instant now = clock.instant();
        steps.forEach(s -> s.tick(now));
    }

    private void showLog(StepItem item) {
        feed = log.restart(item == null ? "" : item.number() + ". " + item.title());
        if (item != null) {
            List<String> lines = item.lines();
            List<LogLine> batch = new ArrayList<>(lines.size());
            Instant now = clock.instant();
            for (int i = 0; i < lines.size(); i++) {
                batch.add(new LogLine(item.title(), "", now, lines.get(i), i + 1));
            }
            feed.lines(batch);
        }
    }

    private static void copyState(StepItem from, StepItem to) {
        switch (from.getState()) {
            case SUCCEEDED -> {
                if (from.took().isPresent()) {
                    to.succeeded(from.took().get());
                } else {
                    to.doneBefore();
                }
            }
            case SKIPPED -> to.skipped(from.getDetail().replaceFirst("^Skipped: ", ""));
            default -> to.doneBefore();
        }
        from.lines().forEach(to::log);
    }

    private void discardPlan() {
        Plan old = plan;
        plan = null;
        if (old != null) {
            background.execute(old.context()::close);
        }
    }

    private static void close(RunContext ctx) {
        if (ctx != null) {
            ctx.close();
        }
    }

    /** Lets go of a plan not run; a run in progress is cancelled (it stays saved, offered for resume). */
    public void dispose() {
        generation.incrementAndGet();
        discardPlan();
        RunContext ctx = running;
        if (ctx != null) {
            ctx.cancellation().cancel();
        }
        log.close();
        podTail.close();
    }
}
