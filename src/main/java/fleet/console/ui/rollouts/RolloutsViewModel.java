package fleet.console.ui.rollouts;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.Cancellation;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.KubectlCommands;
import fleet.console.cluster.PodState;
import fleet.console.cluster.rollouts.ImageDrift;
import fleet.console.cluster.rollouts.Revision;
import fleet.console.cluster.rollouts.RollbackPlan;
import fleet.console.cluster.rollouts.RolloutActions;
import fleet.console.cluster.rollouts.RolloutHistory;
import fleet.console.cluster.rollouts.RolloutProblem;
import fleet.console.cluster.rollouts.RolloutProgress;
import fleet.console.cluster.rollouts.TemplateDiff;
import fleet.console.cluster.rollouts.WorkloadStatus;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;
import fleet.console.cluster.Access;
import fleet.console.ui.common.ActionPermits;
import fleet.console.ui.common.Debouncer;
import fleet.console.ui.common.FrameBatcher;
import fleet.console.ui.common.Severity;
import fleet.console.ui.common.WatchSlot;
import fleet.console.ui.logs.LogViewModel;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The Rollouts area without a window: every Deployment and StatefulSet of the session's namespace, live
 * (informers signal, a debouncer turns bursts into one read on the background executor, the rows reach
 * the UI executor); the selected workload's history; the diff of two revisions; and the actions
 * (rollback by {@link RollbackPlan}, restart, pause/resume, scale, set image), each with its kubectl
 * equivalent. Destructive actions become a pending {@link Confirmation} first; nothing changes until
 * {@link #confirm()}. A running rollback reports its steps live and can be cancelled.
 * <p>
 * Each session gets a generation number; results of an older one are dropped.
 */
public final class RolloutsViewModel {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ScheduledExecutorService background;
    private final Executor ui;
    private final Supplier<FleetProfile> profileSource;
    private final Consumer<AuditEntry> journal;
    private final Clock clock;
    private final Duration quiet;
    private final Duration readyTimeout;

    private final ObservableList<WorkloadRow> rows = FXCollections.observableArrayList();
    private final FilteredList<WorkloadRow> filtered = new FilteredList<>(rows);
    private final StringProperty filterText = new SimpleStringProperty(this, "filterText", "");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "Not connected.");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(this, "emptyText", "Not connected.");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final ReadOnlyObjectWrapper<Severity> noticeSeverity = new ReadOnlyObjectWrapper<>(this, "noticeSeverity", Severity.IDLE);

    private final ReadOnlyObjectWrapper<WorkloadRow> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private final ObservableList<Revision> revisions = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper historyTitle = new ReadOnlyStringWrapper(this, "historyTitle", "Select a workload to see its history.");
    private final ReadOnlyStringWrapper rollbackBlocked = new ReadOnlyStringWrapper(this, "rollbackBlocked", "Select a workload first.");

    private final ObservableList<TemplateDiff.Change> diff = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper diffTitle = new ReadOnlyStringWrapper(this, "diffTitle",
            "Select two revisions and press Compare (Ctrl+D) to see what changed between them.");

    private final ReadOnlyObjectWrapper<Confirmation> confirmation = new ReadOnlyObjectWrapper<>(this, "confirmation");
    private Runnable pendingAction;

    private final ObservableList<String> progress = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper rollbackRunning = new ReadOnlyBooleanWrapper(this, "rollbackRunning");
    private final ReadOnlyStringWrapper rollbackOutcome = new ReadOnlyStringWrapper(this, "rollbackOutcome", "");
    private final ReadOnlyObjectWrapper<Severity> rollbackSeverity = new ReadOnlyObjectWrapper<>(this, "rollbackSeverity", Severity.IDLE);
    private Cancellation rollbackCancel;

    /** The log tail of the workload being rolled back: its pods, old and new, as they come and go. */
    private final LogViewModel rollbackLog;
    private final ReadOnlyStringWrapper rollbackLogTitle = new ReadOnlyStringWrapper(this, "rollbackLogTitle",
            "The log of the workload shows here while it is rolled back.");
    /** Touched on the UI thread; closed on the background (closing talks to the API server). */
    private WorkloadLogTail logTail;
    private long logTailId;

    /** The mutating actions and who may take them in this session. */
    private final ActionPermits permits;

    /** Whether the API server stopped answering: the rows are what was last read, kept until it is back. */
    private final fleet.console.ui.common.Freshness freshness;

    // Read-only views made once: a view made per call listens only weakly.
    private final ObservableList<WorkloadRow> filteredView = FXCollections.unmodifiableObservableList(filtered);
    private final ObservableList<Revision> revisionsView = FXCollections.unmodifiableObservableList(revisions);
    private final ObservableList<TemplateDiff.Change> diffView = FXCollections.unmodifiableObservableList(diff);
    private final ObservableList<String> progressView = FXCollections.unmodifiableObservableList(progress);

    private volatile long generation;
    /** The selected workload's key, read by background reads. */
    private volatile String selectedKey;
    private Current current;

    private record Current(long generation, ClusterSession session, Debouncer refresher, WatchSlot<RolloutChangeWatch> watch, ActionsHolder actions,
                           AutoCloseable reachability) {
    }

    /** The session's actions and profile, made on the background at the first read (the profile may be a file). */
    private static final class ActionsHolder {
        volatile RolloutActions actions;
        volatile FleetProfile profile;
    }


    /** What one background read found. */
    private record Read(List<WorkloadRow> rows, String key, List<Revision> revisions, String historyProblem, long epoch) {
    }

    /** The names of the Rollouts area's mutating actions, for {@link #permits()}. */
    public static final String ROLLBACK = "rollback";
    public static final String SCALE = "scale";
    public static final String RESTART = "restart";
    public static final String PAUSE = "pause/resume";
    public static final String SET_IMAGE = "set image";
    /** Lines the rollback's log tail keeps. */
    static final int ROLLBACK_LOG_LINES = 10_000;

    /**
     * @param profile      the fleet profile (asked for on the background, once per session): which services
     *                     have NATS consumers (the safe rollback path) and which image each should run
     * @param journal      where every change is recorded
     * @param readyTimeout how long a rollback waits for its pods
     */
    public RolloutsViewModel(ScheduledExecutorService background, Executor ui, Supplier<FleetProfile> profile,
                             Consumer<AuditEntry> journal, Clock clock, Duration quiet, Duration readyTimeout) {
        this(background, ui, profile, journal, clock, quiet, readyTimeout, FrameBatcher.fxFrames());
    }

    /** @param logFrames the frames that hand the rollback's log lines to the UI ({@link FrameBatcher#fxFrames()} in the window) */
    public RolloutsViewModel(ScheduledExecutorService background, Executor ui, Supplier<FleetProfile> profile,
                             Consumer<AuditEntry> journal, Clock clock, Duration quiet, Duration readyTimeout, FrameBatcher.Frames logFrames) {
        this.background = Objects.requireNonNull(background);
        this.ui = Objects.requireNonNull(ui);
        this.profileSource = Objects.requireNonNull(profile);
        this.journal = Objects.requireNonNull(journal);
        this.clock = Objects.requireNonNull(clock);
        this.freshness = new fleet.console.ui.common.Freshness(this, "the last data read", this.ui, this.clock);
        this.quiet = Objects.requireNonNull(quiet);
        this.readyTimeout = Objects.requireNonNull(readyTimeout);
        filterText.addListener((o, old, now) -> filtered.setPredicate(matcher(now)));
        this.rollbackLog = new LogViewModel(background, ui, Objects.requireNonNull(logFrames), ROLLBACK_LOG_LINES);
        // Rollback, restart, pause and set image patch the workload; scale patches its scale subresource.
        // Deployments stand for StatefulSets too: the view role refuses both alike, and the API has the last word.
        this.permits = new ActionPermits(background, ui)
                .define(ROLLBACK, ns -> Access.Permission.of("patch", "apps", "deployments", ns))
                .define(SCALE, ns -> new Access.Permission("patch", "apps", "deployments", "scale", ns))
                .define(RESTART, ns -> Access.Permission.of("patch", "apps", "deployments", ns))
                .define(PAUSE, ns -> Access.Permission.of("patch", "apps", "deployments", ns))
                .define(SET_IMAGE, ns -> Access.Permission.of("patch", "apps", "deployments", ns));
    }

    /** Whether each mutating action may be taken in this session, and why not. */
    public ActionPermits permits() {
        return permits;
    }

    /** The log tail of the workload being (or last) rolled back. */
    public LogViewModel rollbackLog() {
        return rollbackLog;
    }

    public ReadOnlyStringProperty rollbackLogTitleProperty() {
        return rollbackLogTitle.getReadOnlyProperty();
    }

    /** The pods the rollback's log tail has followed so far (old and new); empty when none runs. */
    public List<String> rollbackLogPods() {
        WorkloadLogTail t = logTail;
        return t == null ? List.of() : t.pods();
    }

    /** True while the API server does not answer: the rows are the last ones read, kept. */
    public ReadOnlyBooleanProperty staleProperty() {
        return freshness.staleProperty();
    }

    public boolean isStale() {
        return freshness.staleProperty().get();
    }

    /** "Following changes", or "Stale since 12:03:04 — the API does not answer…". */
    public ReadOnlyStringProperty freshnessProperty() {
        return freshness.textProperty();
    }

    public ReadOnlyObjectProperty<Severity> freshnessSeverityProperty() {
        return freshness.severityProperty();
    }

    // ---- what it shows ------------------------------------------------------------------------------

    /** The workloads, filtered by {@link #filterTextProperty()}. */
    public ObservableList<WorkloadRow> workloads() {
        return filteredView;
    }

    /** Words that must all appear in a row's name, kind, images or state. */
    public StringProperty filterTextProperty() {
        return filterText;
    }

    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public boolean isLoaded() {
        return loaded.get();
    }

    /** True while the informers run: what is shown follows the cluster by itself. */
    public ReadOnlyBooleanProperty liveProperty() {
        return freshness.liveProperty();
    }

    public boolean isLive() {
        return freshness.liveProperty().get();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Why the workloads could not be read or watched; empty when all is well. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty emptyTextProperty() {
        return emptyText.getReadOnlyProperty();
    }

    /** The last action's result (or refusal) in words. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Severity> noticeSeverityProperty() {
        return noticeSeverity.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<WorkloadRow> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public WorkloadRow getSelected() {
        return selected.get();
    }

    /** The selected workload's revisions, newest first. */
    public ObservableList<Revision> revisions() {
        return revisionsView;
    }

    public ReadOnlyStringProperty historyTitleProperty() {
        return historyTitle.getReadOnlyProperty();
    }

    /** Why a rollback cannot be asked for now; empty when it can. */
    public ReadOnlyStringProperty rollbackBlockedProperty() {
        return rollbackBlocked.getReadOnlyProperty();
    }

    /** The compared revisions' differences, older to newer. */
    public ObservableList<TemplateDiff.Change> diff() {
        return diffView;
    }

    public ReadOnlyStringProperty diffTitleProperty() {
        return diffTitle.getReadOnlyProperty();
    }

    /** An action waiting for the operator's yes; null when none is. */
    public ReadOnlyObjectProperty<Confirmation> confirmationProperty() {
        return confirmation.getReadOnlyProperty();
    }

    public Confirmation getConfirmation() {
        return confirmation.get();
    }

    /** The running (or last) rollback's steps as they start, finish or fail. */
    public ObservableList<String> progress() {
        return progressView;
    }

    public ReadOnlyBooleanProperty rollbackRunningProperty() {
        return rollbackRunning.getReadOnlyProperty();
    }

    public boolean isRollbackRunning() {
        return rollbackRunning.get();
    }

    /** How the last rollback ended, with what to run when it did not finish. */
    public ReadOnlyStringProperty rollbackOutcomeProperty() {
        return rollbackOutcome.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Severity> rollbackSeverityProperty() {
        return rollbackSeverity.getReadOnlyProperty();
    }

    // ---- session ------------------------------------------------------------------------------------

    /** Shows the workloads of this session from now on (null: of nothing). Call on the UI thread. */
    public void show(ClusterSession session) {
        stopCurrent();
        long gen = ++generation;
        rows.clear();
        revisions.clear();
        diff.clear();
        selected.set(null);
        selectedKey = null;
        confirmation.set(null);
        pendingAction = null;
        loaded.set(false);
        problem.set("");
        notice.set("");
        rollbackBlocked.set("Select a workload first.");
        historyTitle.set("Select a workload to see its history.");
        freshness.reset();
        permits.update(session);
        if (session == null) {
            current = null;
            summary.set("Not connected.");
            emptyText.set("Not connected.");
            return;
        }
        summary.set("Reading the workloads of " + session.label() + "…");
        emptyText.set("Reading the Deployments and StatefulSets of " + session.namespace() + "…");
        ActionsHolder actions = new ActionsHolder();
        Debouncer refresher = new Debouncer(background, quiet, () -> readFor(gen, session, actions));
        WatchSlot<RolloutChangeWatch> holder = new WatchSlot<>();
        AutoCloseable reach = freshness.follow(session, () -> gen == generation, refresher::signal);
        current = new Current(gen, session, refresher, holder, actions, reach);
        refresher.signal();
        background.execute(() -> {
            boolean[] failed = {false};
            RolloutChangeWatch watch = RolloutChangeWatch.start(session.client(), session.namespace(), refresher::signal, message -> {
                failed[0] = true;
                ui.execute(() -> {
                    if (gen == generation) {
                        problem.set(message + ". The Rollouts area will not update by itself; press F5 to read again.");
                    }
                });
            });
            holder.set(watch);
            if (!failed[0]) {
                ui.execute(() -> {
                    if (gen == generation) {
                        freshness.following();
                    }
                });
            }
        });
    }

    /** Reads again now (F5). */
    public void refresh() {
        if (current != null) {
            current.refresher().signal();
        }
    }

    /** Stops following the cluster and cancels a running rollback. Touches no property. */
    public void dispose() {
        generation++;
        Cancellation running = rollbackCancel;
        if (running != null) {
            running.cancel();
        }
        stopCurrent();
        current = null;
    }

    private void stopCurrent() {
        Current previous = current;
        closeLogTail();
        if (previous != null) {
            previous.refresher().stop();
            background.execute(previous.watch()::close);
            if (previous.reachability() != null) {
                try {
                    previous.reachability().close();
                } catch (Exception e) {
                    // only a list removal
                }
            }
        }
    }

    private void readFor(long gen, ClusterSession session, ActionsHolder holder) {
        long epoch = freshness.readStarting();
        try {
            ensureActions(session, holder);
            RolloutHistory history = new RolloutHistory(session.client(), session.namespace());
            List<WorkloadRow> read = history.workloads().stream()
                    .map(w -> new WorkloadRow(w, ImageDrift.of(w, holder.profile))).toList();
            String key = selectedKey;
            List<Revision> revs = List.of();
            String historyProblem = "";
            if (key != null) {
                Optional<WorkloadRow> row = read.stream().filter(r -> r.key().equals(key)).findFirst();
                if (row.isPresent()) {
                    try {
                        revs = history.revisions(row.get().kind(), row.get().name());
                    } catch (RolloutProblem e) {
                        historyProblem = e.getMessage();
                    }
                } else {
                    historyProblem = key + " is gone from " + session.namespace() + ".";
                }
            }
            Read result = new Read(read, key, revs, historyProblem, epoch);
            ui.execute(() -> apply(gen, session, result));
        } catch (RuntimeException e) {
            String why = rootMessage(e);
            ui.execute(() -> {
                if (gen != generation) {
                    return;
                }
                problem.set("Could not read the workloads of " + session.label() + ": " + why
                        + (loaded.get() ? ". The rows show the last successful read." : "."));
                if (!loaded.get()) {
                    emptyText.set("Could not read the workloads of " + session.namespace() + ".");
                }
            });
        }
    }

    private void ensureActions(ClusterSession session, ActionsHolder holder) {
        if (holder.actions == null) {
            FleetProfile profile = profileSource.get();
            holder.profile = profile;
            holder.actions = new RolloutActions(session.client(), session.contextName(), session.namespace(), profile, journal, clock);
        }
    }

    private void apply(long gen, ClusterSession session, Read read) {
        if (gen != generation) {
            return;
        }
        if (!new ArrayList<>(rows).equals(read.rows())) {
            // Replaced in place where the key is the same, so the table keeps its selection.
            List<WorkloadRow> next = read.rows();
            if (rows.size() == next.size() && sameKeys(rows, next)) {
                for (int i = 0; i < next.size(); i++) {
                    if (!rows.get(i).equals(next.get(i))) {
                        rows.set(i, next.get(i));
                    }
                }
            } else {
                rows.setAll(next);
            }
        }
        WorkloadRow sel = selected.get();
        if (sel != null) {
            rows.stream().filter(r -> r.key().equals(sel.key())).findFirst().ifPresent(selected::set);
        }
        if (read.key() != null && read.key().equals(selectedKey)) {
            if (!read.historyProblem().isEmpty()) {
                revisions.clear();
                historyTitle.set(read.historyProblem());
            } else {
                if (!new ArrayList<>(revisions).equals(read.revisions())) {
                    revisions.setAll(read.revisions());
                }
                historyTitle.set(historyTitleOf(read.key(), read.revisions()));
            }
            updateRollbackBlocked();
        }
        long complete = read.rows().stream().filter(r -> r.stateSeverity() == Severity.OK).count();
        long drifted = read.rows().stream().filter(WorkloadRow::drifted).count();
        String at = LocalTime.now(clock).format(TIME);
        summary.set(read.rows().isEmpty() ? "No workloads in " + session.label() + ", at " + at + "."
                : read.rows().size() + " workloads in " + session.namespace() + ": " + complete + " rolled out"
                + (complete < read.rows().size() ? ", " + (read.rows().size() - complete) + " not" : "")
                + (drifted > 0 ? "; " + drifted + " run an image other than the profile's" : "") + ", at " + at + ".");
        emptyText.set("No Deployments or StatefulSets in namespace " + session.namespace() + ".");
        if (problem.get().startsWith("Could not read")) {
            problem.set("");
        }
        // Read after the API server came back: the rows are true again.
        freshness.readDone(read.epoch());
        loaded.set(true);
    }

    private static boolean sameKeys(List<WorkloadRow> a, List<WorkloadRow> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).key().equals(b.get(i).key())) {
                return false;
            }
        }
        return true;
    }

    private static String historyTitleOf(String key, List<Revision> revs) {
        String live = revs.stream().filter(Revision::live).findFirst().map(r -> "revision " + r.number() + " is live").orElse("no revision is live yet");
        return "History of " + key.toLowerCase(Locale.ROOT) + ": " + revs.size() + (revs.size() == 1 ? " revision, " : " revisions, ") + live + ".";
    }

    private void updateRollbackBlocked() {
        WorkloadRow sel = selected.get();
        if (sel == null) {
            rollbackBlocked.set("Select a workload first.");
        } else if (rollbackRunning.get()) {
            rollbackBlocked.set("A rollback is running; wait for it or cancel it.");
        } else if (revisions.size() < 2) {
            rollbackBlocked.set(sel.status().kubectlName() + " has a single revision: there is nothing to roll back to.");
        } else {
            rollbackBlocked.set("");
        }
    }

    // ---- selection and diff -------------------------------------------------------------------------

    /** Shows this workload's history (null: none). */
    public void select(WorkloadRow row) {
        WorkloadRow before = selected.get();
        if (row != null && before != null && row.key().equals(before.key())) {
            selected.set(row);
            return;
        }
        selected.set(row);
        selectedKey = row == null ? null : row.key();
        revisions.clear();
        diff.clear();
        diffTitle.set("Select two revisions and press Compare (Ctrl+D) to see what changed between them.");
        historyTitle.set(row == null ? "Select a workload to see its history." : "Reading the history of " + row.status().kubectlName() + "…");
        updateRollbackBlocked();
        if (row != null && current != null) {
            current.refresher().signal();
        }
    }

    /** What changed between two revisions of the selected workload, the older one first. */
    public void compare(long first, long second) {
        Optional<Revision> a = revision(Math.min(first, second));
        Optional<Revision> b = revision(Math.max(first, second));
        if (a.isEmpty() || b.isEmpty() || first == second) {
            diff.clear();
            diffTitle.set(first == second ? "Select two different revisions to compare." : "Revision " + (a.isEmpty() ? Math.min(first, second)
                    : Math.max(first, second)) + " is no longer in the history (revisionHistoryLimit).");
            return;
        }
        List<TemplateDiff.Change> changes = TemplateDiff.between(a.get().template(), b.get().template());
        diff.setAll(changes);
        diffTitle.set("Revision " + a.get().number() + " → " + b.get().number() + ": "
                + (changes.isEmpty() ? "the two revisions run the same pod template." : changes.size() + (changes.size() == 1 ? " change." : " changes.")));
    }

    /** The selected workload's live revision compared with the one given. */
    public void compareWithLive(long number) {
        revisions.stream().filter(Revision::live).findFirst().ifPresent(l -> compare(number, l.number()));
    }

    private Optional<Revision> revision(long number) {
        return revisions.stream().filter(r -> r.number() == number).findFirst();
    }

    // ---- actions ------------------------------------------------------------------------------------

    /** Works out a rollback to this revision (off the UI thread) and asks for a yes with the plan shown. */
    public void askRollback(long toRevision) {
        WorkloadRow sel = selected.get();
        Current cur = current;
        if (sel == null || cur == null) {
            say(Severity.PROBLEM, "Select a workload first.");
            return;
        }
        if (refused(ROLLBACK, "roll back")) {
            return;
        }
        if (!rollbackBlocked.get().isEmpty()) {
            say(Severity.PROBLEM, "Cannot roll back: " + rollbackBlocked.get());
            return;
        }
        long gen = cur.generation();
        background.execute(() -> {
            try {
                ensureActions(cur.session(), cur.actions());
                RollbackPlan plan = cur.actions().actions.planRollback(sel.kind(), sel.name(), OptionalLong.of(toRevision));
                List<String> pods = podsOf(cur.session(), plan.workload());
                Confirmation c = rollbackConfirmation(cur.session(), plan, pods);
                ui.execute(() -> {
                    if (gen == generation) {
                        pend(c, () -> runRollback(cur, plan));
                    }
                });
            } catch (RolloutProblem e) {
                ui.execute(() -> say(Severity.PROBLEM, e.describe()));
            } catch (RuntimeException e) {
                ui.execute(() -> say(Severity.PROBLEM, "Could not work out the rollback: " + rootMessage(e) + "."));
            }
        });
    }

    private Confirmation rollbackConfirmation(ClusterSession session, RollbackPlan plan, List<String> pods) {
        KubectlCommands k = KubectlCommands.in(session.contextName(), session.namespace());
        String w = plan.workload().kubectlName();
        List<String> details = new ArrayList<>();
        details.add("What changes (revision " + plan.fromRevision() + " → " + plan.target().number() + "):");
        TemplateDiff.render(plan.diff()).forEach(l -> details.add("  " + l));
        details.add(plan.safePath() ? "How (the safe path for services with NATS consumers):" : "How (a rolling update):");
        int i = 1;
        for (RollbackPlan.Step s : plan.steps()) {
            details.add("  " + (i++) + ". " + s.title());
        }
        details.add("Pods that will be replaced (" + pods.size() + "):");
        if (pods.isEmpty()) {
            details.add("  none running now");
        }
        pods.forEach(p -> details.add("  " + p));
        plan.warnings().forEach(wn -> details.add("Note: " + wn));
        String consequences = (plan.safePath()
                ? "Stops all " + pods(plan.replicasBefore()) + " of " + w + " (0 running until the old template starts), then starts "
                + pods(plan.replicasBefore()) + " of revision " + plan.target().number() + "."
                : "Replaces " + pods(pods.size()) + " of " + w + " one by one with pods of revision " + plan.target().number() + ".")
                + " Revision " + plan.target().number() + " becomes the newest revision."
                + (plan.inProgress() ? " Another rollout is in progress: rolling back now replaces it." : "");
        String commands = plan.steps().stream().map(s -> k.withContext(s.kubectl())).collect(Collectors.joining(" && \\\n  "));
        return new Confirmation("Roll " + w + " back to revision " + plan.target().number() + "?", consequences, details, "Roll back", commands);
    }

    private void runRollback(Current cur, RollbackPlan plan) {
        Cancellation cancel = new Cancellation();
        rollbackCancel = cancel;
        progress.clear();
        rollbackRunning.set(true);
        updateRollbackBlocked();
        rollbackSeverity.set(Severity.BUSY);
        String w = plan.workload().kubectlName();
        rollbackOutcome.set("Rolling " + w + " back to revision " + plan.target().number() + "…");
        long gen = cur.generation();
        startLogTail(cur, plan.workload());
        Thread runner = new Thread(() -> {
            String outcome;
            Severity level;
            try {
                cur.actions().actions.rollback(plan, p -> ui.execute(() -> {
                    if (gen == generation) {
                        progress.add(progressLine(plan, p));
                    }
                }), cancel, readyTimeout);
                outcome = w + " runs revision " + plan.target().number() + "'s template again (" + String.join(", ", plan.target().images())
                        + "); it is now the newest revision.";
                level = Severity.OK;
            } catch (RolloutProblem e) {
                outcome = e.describe();
                level = cancel.isCancelled() ? Severity.WARNING : Severity.PROBLEM;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = "The rollback of " + w + " was interrupted.";
                level = Severity.WARNING;
            } catch (RuntimeException e) {
                outcome = "The rollback of " + w + " failed: " + rootMessage(e) + ".";
                level = Severity.PROBLEM;
            }
            String text = outcome;
            Severity sev = level;
            ui.execute(() -> {
                if (gen != generation) {
                    return;
                }
                rollbackCancel = null;
                rollbackRunning.set(false);
                rollbackOutcome.set(text);
                rollbackSeverity.set(sev);
                updateRollbackBlocked();
                refresh();
            });
        }, "rollback-" + plan.workload().name());
        runner.setDaemon(true);
        runner.start();
    }

    /**
     * Follows the workload's pods into the rollback's log view: the old ones until they stop, the new
     * ones from when they appear. It keeps following after the rollback ends (the new pods' first
     * minutes are what the operator watches) until the next rollback or another session.
     */
    private void startLogTail(Current cur, WorkloadStatus workload) {
        closeLogTail();
        long id = ++logTailId;
        LogViewModel.Feed feed = rollbackLog.restart(workload.kubectlName() + " during the rollback");
        rollbackLogTitle.set("Log of " + workload.kubectlName() + "'s pods, old and new, as they come and go:");
        background.execute(() -> {
            WorkloadLogTail tail;
            try {
                tail = WorkloadLogTail.start(cur.session().client(), cur.session().namespace(), workload, feed);
            } catch (RuntimeException e) {
                feed.status("Cannot follow the pods of " + workload.kubectlName() + ": " + rootMessage(e), true);
                return;
            }
            ui.execute(() -> {
                if (id == logTailId && cur.generation() == generation) {
                    logTail = tail;
                } else {
                    background.execute(tail::close);
                }
            });
        });
    }

    private void closeLogTail() {
        logTailId++;
        WorkloadLogTail t = logTail;
        logTail = null;
        if (t != null) {
            background.execute(t::close);
        }
    }

    private static String progressLine(RollbackPlan plan, RolloutProgress p) {
        String phase = switch (p.phase()) {
            case STARTED -> "running";
            case DONE -> "done";
            case FAILED -> "FAILED";
            case CANCELLED -> "cancelled";
        };
        return (p.index() + 1) + "/" + plan.steps().size() + " " + p.title() + ": " + phase + (p.message().isEmpty() ? "" : " — " + p.message());
    }

    /** Stops the running rollback between steps or inside its wait; its outcome says what to run next. */
    public void cancelRollback() {
        Cancellation c = rollbackCancel;
        if (c != null) {
            c.cancel();
            rollbackOutcome.set("Cancelling: the rollback stops at its next step or wait…");
        }
    }

    /** {@code kubectl rollout restart}: asks first, saying how many pods it replaces. */
    public void askRestart() {
        WorkloadRow sel = selected.get();
        Current cur = current;
        if (sel == null || cur == null) {
            say(Severity.PROBLEM, "Select a workload first.");
            return;
        }
        if (refused(RESTART, "restart")) {
            return;
        }
        String w = sel.status().kubectlName();
        boolean nats = natsService(cur, sel.name());
        pend(new Confirmation("Restart " + w + "?",
                "Replaces all " + pods(sel.status().desired()) + " of " + w + " with new ones of the same template, by the rollout's own rules"
                        + (sel.deployment() ? " (a new ReplicaSet and revision)." : " (highest ordinal first).")
                        + (nats ? " " + sel.name() + " has NATS consumers: during a rolling restart an old and a new pod run side by side"
                        + " (the runbook's redeploy scales to 0 first)." : ""),
                List.of(), "Restart", commands(cur).rolloutRestart(w)),
                () -> act(cur, "Restarted " + w + "; its pods are replaced as the rollout allows.", a -> a.restart(sel.kind(), sel.name())));
    }

    /** Pauses or resumes the selected Deployment's rollouts. */
    public void togglePause() {
        WorkloadRow sel = selected.get();
        Current cur = current;
        if (sel == null || cur == null) {
            say(Severity.PROBLEM, "Select a workload first.");
            return;
        }
        if (!sel.deployment()) {
            say(Severity.PROBLEM, "Only Deployments can be paused; " + sel.status().kubectlName() + " is a StatefulSet.");
            return;
        }
        boolean pause = !sel.paused();
        if (refused(PAUSE, pause ? "pause" : "resume")) {
            return;
        }
        act(cur, (pause ? "Paused " : "Resumed ") + sel.status().kubectlName()
                + (pause ? ": template changes wait until it is resumed." : ": pending template changes roll out now."), a -> a.pause(sel.name(), pause));
    }

    /** Scales the selected workload; fewer pods asks first, saying how many stop and which. */
    public void askScale(int replicas) {
        WorkloadRow sel = selected.get();
        Current cur = current;
        if (sel == null || cur == null) {
            say(Severity.PROBLEM, "Select a workload first.");
            return;
        }
        if (replicas < 0) {
            say(Severity.PROBLEM, "A replica count cannot be negative.");
            return;
        }
        if (refused(SCALE, "scale")) {
            return;
        }
        String w = sel.status().kubectlName();
        int now = sel.status().desired();
        String command = commands(cur).scale(w, replicas);
        Runnable doIt = () -> act(cur, "Scaled " + w + " from " + now + " to " + replicas + ".", a -> a.scale(sel.kind(), sel.name(), replicas));
        if (replicas >= now) {
            if (replicas == now) {
                say(Severity.IDLE, w + " already has " + now + " replicas; nothing to do.");
                return;
            }
            doIt.run();
            return;
        }
        long gen = cur.generation();
        background.execute(() -> {
            List<String> pods;
            try {
                pods = podsOf(cur.session(), sel.status());
            } catch (RuntimeException e) {
                pods = List.of();
            }
            int stops = now - replicas;
            List<String> which = sel.status().kind().equals("StatefulSet") ? pods.subList(Math.min(replicas, pods.size()), pods.size()) : pods;
            String consequences = (replicas == 0
                    ? "Stops all " + pods(now) + " of " + w + ": nothing of it runs until it is scaled up again."
                    : "Stops " + stops + " of the " + pods(now) + " of " + w + "; " + replicas + " keep" + (replicas == 1 ? "s" : "") + " running.")
                    + (natsService(cur, sel.name()) && replicas == 0 ? " Its NATS consumers stay on the server and pile up messages meanwhile." : "");
            List<String> details = new ArrayList<>();
            details.add(sel.status().kind().equals("StatefulSet") ? "Pods that stop (highest ordinals first):" : "Its pods now (" + stops + " of them stop):");
            which.forEach(p -> details.add("  " + p));
            Confirmation c = new Confirmation("Scale " + w + " from " + now + " to " + replicas + "?", consequences, details,
                    replicas == 0 ? "Scale to 0" : "Scale down", command);
            ui.execute(() -> {
                if (gen == generation) {
                    pend(c, doIt);
                }
            });
        });
    }

    /** {@code kubectl set image}: a new revision whose change-cause says what changed. */
    public void setImage(String container, String image) {
        WorkloadRow sel = selected.get();
        Current cur = current;
        if (sel == null || cur == null) {
            say(Severity.PROBLEM, "Select a workload first.");
            return;
        }
        if (refused(SET_IMAGE, "set the image")) {
            return;
        }
        String img = image == null ? "" : image.trim();
        if (img.isEmpty() || img.contains(" ")) {
            say(Severity.PROBLEM, "'" + img + "' is not an image reference (registry/path/name:tag).");
            return;
        }
        act(cur, "Set " + container + "=" + img + " on " + sel.status().kubectlName() + ": a new revision rolls out.",
                a -> a.setImage(sel.kind(), sel.name(), container, img));
    }

    /** The operator said yes to the pending action. */
    public void confirm() {
        Runnable action = pendingAction;
        pendingAction = null;
        confirmation.set(null);
        if (action != null) {
            action.run();
        }
    }

    /** The operator said no: nothing is changed. */
    public void dismiss() {
        Confirmation c = confirmation.get();
        pendingAction = null;
        confirmation.set(null);
        if (c != null) {
            say(Severity.IDLE, "Not confirmed: " + c.title().replace("?", "") + " was not done; nothing was changed.");
        }
    }

    /** Says why the action may not be taken in this session, when it may not; nothing is asked or changed then. */
    private boolean refused(String action, String verb) {
        String why = permits.refusalNow(action);
        if (why == null) {
            return false;
        }
        say(Severity.PROBLEM, "Cannot " + verb + ": " + why);
        return true;
    }

    private void pend(Confirmation c, Runnable action) {
        pendingAction = action;
        confirmation.set(c);
    }

    @FunctionalInterface
    private interface Action {
        void run(RolloutActions actions) throws RolloutProblem;
    }

    private void act(Current cur, String done, Action action) {
        long gen = cur.generation();
        background.execute(() -> {
            try {
                ensureActions(cur.session(), cur.actions());
                action.run(cur.actions().actions);
                ui.execute(() -> {
                    if (gen == generation) {
                        say(Severity.OK, done);
                    }
                });
            } catch (RolloutProblem e) {
                ui.execute(() -> say(Severity.PROBLEM, e.describe()));
            } catch (RuntimeException e) {
                ui.execute(() -> say(Severity.PROBLEM, "It failed: " + rootMessage(e) + "."));
            }
        });
    }

    private void say(Severity level, String text) {
        noticeSeverity.set(level);
        notice.set(text);
    }

    /** The view copied a command: say which. */
    public void noteCopied(String command) {
        say(Severity.IDLE, "Copied: " + command);
    }

    private boolean natsService(Current cur, String name) {
        FleetProfile p = cur.actions().profile;
        return p != null && p.service(name).map(ServiceSpec::natsConsumers).orElse(false);
    }

    private static List<String> podsOf(ClusterSession session, WorkloadStatus w) {
        return session.client().pods().inNamespace(session.namespace()).withLabels(w.selector()).list().getItems().stream()
                .filter(w::owns).sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
                .map(RolloutsViewModel::podLine).toList();
    }

    private static String podLine(Pod p) {
        PodState s = PodState.of(p);
        String image = p.getSpec() == null || p.getSpec().getContainers() == null ? "" : p.getSpec().getContainers().stream()
                .map(c -> c.getImage()).collect(Collectors.joining(", "));
        return p.getMetadata().getName() + " (" + s.status() + ", " + image + ")";
    }

    // ---- equivalent commands ------------------------------------------------------------------------

    private KubectlCommands commands(Current cur) {
        return KubectlCommands.in(cur.session().contextName(), cur.session().namespace());
    }

    /** The kubectl equivalents of the selected workload's actions, by name, for the "copy command" menu. */
    public List<CopyableCommand> commandsForSelection(Optional<Long> revision, int scaleTo) {
        WorkloadRow sel = selected.get();
        Current cur = current;
        if (sel == null || cur == null) {
            return List.of();
        }
        KubectlCommands k = commands(cur);
        String w = sel.status().kubectlName();
        List<CopyableCommand> out = new ArrayList<>();
        out.add(new CopyableCommand("History", k.rolloutHistory(w)));
        revision.ifPresent(r -> out.add(new CopyableCommand("Roll back to revision " + r, rollbackCommand(cur, sel, r))));
        out.add(new CopyableCommand("Restart", k.rolloutRestart(w)));
        if (sel.deployment()) {
            out.add(new CopyableCommand(sel.paused() ? "Resume" : "Pause", k.rolloutPause(w, !sel.paused())));
        }
        out.add(new CopyableCommand("Scale to " + scaleTo, k.scale(w, scaleTo)));
        sel.status().images().forEach((c, img) -> out.add(new CopyableCommand("Set image of " + c, k.setImage(w, c, img))));
        out.add(new CopyableCommand("Rollout status", k.rolloutStatus(w)));
        return out;
    }

    /** A rollback as kubectl does it: for services with NATS consumers the safe path, as RollbackPlan spells it. */
    private String rollbackCommand(Current cur, WorkloadRow sel, long revision) {
        KubectlCommands k = commands(cur);
        String w = sel.status().kubectlName();
        if (!natsService(cur, sel.name())) {
            return k.rolloutUndo(w, revision);
        }
        int n = sel.status().desired();
        String selector = sel.status().selector().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        return String.join(" && ", k.scale(w, 0),
                k.withContext("kubectl wait --for=delete pod -l " + selector + " -n " + cur.session().namespace() + " --timeout=120s"),
                k.rolloutUndo(w, revision), k.scale(w, n), k.rolloutStatus(w));
    }

    /** One entry of the "copy command" menu. */
    public record CopyableCommand(String label, String command) {
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static java.util.function.Predicate<WorkloadRow> matcher(String text) {
        String[] words = text == null ? new String[0] : text.trim().toLowerCase(Locale.ROOT).split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            return r -> true;
        }
        return r -> {
            String hay = (r.name() + " " + r.kind() + " " + r.images() + " " + r.stateWords() + " " + r.driftWords()).toLowerCase(Locale.ROOT);
            for (String w : words) {
                if (!hay.contains(w)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static String pods(int n) {
        return n + (n == 1 ? " pod" : " pods");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
