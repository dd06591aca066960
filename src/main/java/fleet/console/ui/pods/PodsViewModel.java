package fleet.console.ui.pods;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.pods.ContainerDetail;
import fleet.console.cluster.pods.PodDetail;
import fleet.console.cluster.pods.Termination;
import fleet.console.cluster.pods.PodRow;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.diagnosis.Diagnosis;
import fleet.console.diagnosis.DiagnosisReport;
import fleet.console.diagnosis.Fix;
import fleet.console.ui.common.FilteredSortedList;
import fleet.console.ui.common.FrameBatcher;
import fleet.console.ui.diagnosis.DiagnosisSource;
import fleet.console.ui.diagnosis.DiagnosisViewModel;
import fleet.console.ui.common.Severity;
import fleet.console.ui.logs.LogOptions;
import fleet.console.ui.logs.LogOrigin;
import fleet.console.ui.logs.LogStreamControl;
import fleet.console.ui.logs.LogViewModel;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The Pods area without a window: the namespace's pods kept current by a watch (no polling), filtered by
 * text, workload and status, sorted (problems first on request), counted per status; the selected pod's
 * detail; its actions (delete, logs, kubectl); the audit journal.
 * <p>
 * The watch starts when the area is first shown and follows the session until the next one. Its changes
 * reach the UI executor in batches; rows are replaced in place, so a table of 10,000 pods takes 500
 * updates a second without rebuilding anything.
 */
public final class PodsViewModel {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Ages and "restarted ... ago" move on by themselves; every few seconds is enough to read them. */
    private static final Duration TICK = Duration.ofSeconds(5);
    private static final Comparator<WorkloadRef> WORKLOAD_ORDER = Comparator.comparing(WorkloadRef::name)
            .thenComparing(WorkloadRef::kind);

    /**
     * A table that changes rows lays out every visible row anew (JavaFX rebuilds its cells on any replaced
     * item), about 10 ms of the FX thread on a small machine: at most ten times a second, however many pods
     * change, while a single change after a quiet spell shows at once.
     */
    static final Duration ROWS_QUIET = Duration.ofMillis(100);

    private final long rowsQuietNanos;
    private final PodsGateway gateway;
    /** The action names of {@link #permits()}. */
    public static final String DELETE = "delete pod";

    private final ScheduledExecutorService background;
    private final fleet.console.ui.common.ActionPermits permits;
    private final Executor ui;
    private final Clock clock;
    private final FrameBatcher.Frames logFrames;
    private final int logCapacity;
    private final PodDetailViewModel detail;

    private final fleet.console.ui.common.BatchList<PodRow> rows = new fleet.console.ui.common.BatchList<>();
    private final ObservableList<PodRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final Map<String, Integer> indexByUid = new HashMap<>();
    private final Map<String, Integer> statusCounts = new HashMap<>();
    /** Kept in the workload chooser's order, so that the chooser is only rebuilt when a workload comes or goes. */
    private final Map<WorkloadRef, Integer> workloadCounts = new TreeMap<>(WORKLOAD_ORDER);
    private boolean workloadsChanged;
    /** Per status, how many of its pods are problems: "Running" is one only for pods not ready. */
    private final Map<String, Integer> problemCounts = new HashMap<>();
    private int problems;
    /** What the table shows: filtered and sorted (see {@link FilteredSortedList} for why not JavaFX's lists). */
    private final FilteredSortedList<PodRow> shown = new FilteredSortedList<>(rows, Comparator.comparing(PodRow::name));

    private final StringProperty filterText = new SimpleStringProperty(this, "filterText", "");
    private final ObjectProperty<WorkloadRef> workloadFilter = new SimpleObjectProperty<>(this, "workloadFilter");
    private final ObjectProperty<StatusFilter> statusFilter = new SimpleObjectProperty<>(this, "statusFilter", StatusFilter.ALL);
    private final BooleanProperty problemsFirst = new SimpleBooleanProperty(this, "problemsFirst");
    private final ObjectProperty<Comparator<PodRow>> columnOrder = new SimpleObjectProperty<>(this, "columnOrder");
    private final ObservableList<WorkloadRef> workloads = FXCollections.observableArrayList();
    private final ObservableList<StatusFilter> statusChoices = FXCollections.observableArrayList(StatusFilter.ALL, StatusFilter.PROBLEMS);
    private final ObservableList<StatusCount> summary = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summaryText = new ReadOnlyStringWrapper(this, "summaryText", "Not connected.");
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(this, "emptyText", "Not connected.");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyBooleanWrapper live = new ReadOnlyBooleanWrapper(this, "live");
    private final ReadOnlyObjectWrapper<Instant> now;
    private final ReadOnlyObjectWrapper<PodRow> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private final ReadOnlyObjectWrapper<ClusterSession> session = new ReadOnlyObjectWrapper<>(this, "session");

    private final ObservableList<LogStreamControl> logs = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<LogStreamControl> logToShow = new ReadOnlyObjectWrapper<>(this, "logToShow");
    private final ObservableList<AuditEntry> audit = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper auditText = new ReadOnlyStringWrapper(this, "auditText", "");

    // ---- diagnosis (off until the shell gives a source) ----
    private final DiagnosisViewModel diagnosis;
    private final ObservableMap<String, DiagnosisViewModel.Badge> diagnosisBadges = FXCollections.observableHashMap();
    private final ReadOnlyBooleanWrapper diagnosisEnabled = new ReadOnlyBooleanWrapper(this, "diagnosisEnabled");
    private volatile DiagnosisSource diagnosisSource;
    private Consumer<Fix.RunbookFix> runbookStarter = f -> { };
    private Consumer<String> clipboard = t -> { };
    private final WatchHolder[] diagnosisFollow = new WatchHolder[1];

    /** Kept so that the bindings that set the shown list's predicate and order are not collected. */
    private final List<Object> orderBindings;
    private volatile long generation;
    private boolean active;
    private boolean stale;
    private boolean mutating;
    private String pendingReveal;
    private Current current;
    private ScheduledFuture<?> ticker;

    private record Current(long generation, ClusterSession session, WatchHolder watch) {
    }

    /**
     * The watch's changes not yet taken in by the UI thread, merged by uid: a pod updated five times
     * between two hand-overs is one replaced row, its last version.
     */
    private static final class PendingChanges {
        interface Sink {
            void apply(long gen, List<PodRow> upserted, List<String> removedUids);
        }

        private LinkedHashMap<String, PodRow> upserted = new LinkedHashMap<>();
        private LinkedHashSet<String> removed = new LinkedHashSet<>();
        private boolean handOverAsked;
        private boolean takenBefore;
        private long lastTaken;

        /** How long until {@code quiet} has passed since the last take (zero or less: now). */
        synchronized long untilQuiet(long quiet) {
            return takenBefore ? lastTaken + quiet - System.nanoTime() : 0;
        }

        /**
         * True when no hand-over is pending yet: one is to be asked for. An empty change is handed over
         * too (the first list of an empty namespace says "loaded").
         */
        synchronized boolean add(List<PodRow> rows, List<String> removedUids) {
            for (String uid : removedUids) {
                upserted.remove(uid);
                removed.add(uid);
            }
            for (PodRow row : rows) {
                removed.remove(row.uid());
                upserted.put(row.uid(), row);
            }
            if (handOverAsked) {
                return false;
            }
            handOverAsked = true;
            return true;
        }

        void take(Sink sink, long gen) {
            List<PodRow> rows;
            List<String> gone;
            synchronized (this) {
                rows = new ArrayList<>(upserted.values());
                gone = new ArrayList<>(removed);
                upserted = new LinkedHashMap<>();
                removed = new LinkedHashSet<>();
                handOverAsked = false;
                takenBefore = true;
                lastTaken = System.nanoTime();
            }
            sink.apply(gen, rows, gone);
        }
    }

    /** The watch of a session, started and closed on the background executor. */
    private static final class WatchHolder {
        /** Touched on the UI thread only. */
        private boolean started;
        private AutoCloseable watch;
        private boolean closed;

        synchronized boolean set(AutoCloseable started) {
            if (closed) {
                return false;
            }
            watch = started;
            return true;
        }

        void close() {
            AutoCloseable toClose;
            synchronized (this) {
                closed = true;
                toClose = watch;
                watch = null;
            }
            if (toClose != null) {
                try {
                    toClose.close();
                } catch (Exception e) {
                    // The session is being let go of; a watch that fails to close is gone with it.
                    java.util.logging.Logger.getLogger(PodsViewModel.class.getName())
                            .log(java.util.logging.Level.FINE, "Closing the pod watch failed", e);
                }
            }
        }
    }

    /**
     * @param logFrames   the frames that deliver log lines ({@link FrameBatcher#fxFrames()} in the application)
     * @param logCapacity lines each log view holds
     */
    public PodsViewModel(PodsGateway gateway, ScheduledExecutorService background, Executor ui, Clock clock,
                         FrameBatcher.Frames logFrames, int logCapacity) {
        this(gateway, background, ui, clock, logFrames, logCapacity, ROWS_QUIET);
    }

    /**
     * @param rowsQuiet the least time between two hand-overs of pod changes to the UI thread: changes that
     *                  arrive sooner wait for the rest of it on the background executor and join the next
     *                  one (zero: each change is handed over at once)
     */
    public PodsViewModel(PodsGateway gateway, ScheduledExecutorService background, Executor ui, Clock clock,
                         FrameBatcher.Frames logFrames, int logCapacity, Duration rowsQuiet) {
        this.rowsQuietNanos = rowsQuiet.toNanos();
        this.gateway = Objects.requireNonNull(gateway);
        this.background = Objects.requireNonNull(background);
        this.ui = Objects.requireNonNull(ui);
        this.clock = Objects.requireNonNull(clock);
        this.logFrames = Objects.requireNonNull(logFrames);
        this.logCapacity = logCapacity;
        this.now = new ReadOnlyObjectWrapper<>(this, "now", clock.instant());
        this.detail = new PodDetailViewModel(gateway, background, ui, clock, Duration.ofMillis(200));
        this.permits = new fleet.console.ui.common.ActionPermits(background, ui)
                .define(DELETE, ns -> fleet.console.cluster.Access.Permission.of("delete", "", "pods", ns));
        this.diagnosis = new DiagnosisViewModel(pod -> {
            DiagnosisSource source = diagnosisSource;
            ClusterSession s = diagnosedSession;
            if (source == null || s == null) {
                throw new IllegalStateException("not connected");
            }
            return source.pod(s, pod);
        }, background, ui, fix -> runbookStarter.accept(fix), text -> clipboard.accept(text));
        // A chooser that lost its value says "no filter", never "filter by nothing".
        statusFilter.addListener((o, old, now) -> {
            if (now == null) {
                statusFilter.set(StatusFilter.ALL);
            }
        });
        javafx.beans.binding.ObjectBinding<Predicate<PodRow>> filter =
                Bindings.createObjectBinding(this::predicate, filterText, workloadFilter, statusFilter);
        filter.addListener((o, old, now) -> {
            shown.setPredicate(now);
            updateTexts();
        });
        javafx.beans.binding.ObjectBinding<Comparator<PodRow>> order = Bindings.createObjectBinding(this::comparator, problemsFirst, columnOrder);
        order.addListener((o, old, now) -> shown.setComparator(now));
        shown.setComparator(order.get());
        orderBindings = List.of(filter, order);
    }

    // ---- session lifecycle ------------------------------------------------------------------------

    /** The session the diagnosis reads (set with the session, read on background threads). */
    private volatile ClusterSession diagnosedSession;

    /**
     * Turns the diagnosis on: a badge on each problem pod (its cause in words) and the Diagnosis panel in
     * the selected pod's detail. The fix button hands the runbook to {@code runbooks} (the shell's); the
     * panel runs nothing itself. Call on the UI thread.
     */
    public void enableDiagnosis(DiagnosisSource source, Consumer<Fix.RunbookFix> runbooks, Consumer<String> copy) {
        diagnosisSource = Objects.requireNonNull(source);
        runbookStarter = Objects.requireNonNull(runbooks);
        clipboard = Objects.requireNonNull(copy);
        diagnosis.setProver(d -> {
            ClusterSession s = diagnosedSession;
            if (s == null) {
                throw new IllegalStateException("not connected");
            }
            return source.prove(s, d);
        });
        diagnosisEnabled.set(true);
        if (current != null && current.watch().started) {
            startDiagnosis(current);
        }
        PodRow row = selected.get();
        if (row != null) {
            diagnose(row);
        }
    }

    /** The last report of the live diagnosis (the badges'), on the UI thread; null before the first. */
    private DiagnosisReport liveReport;

    /** The Diagnosis panel shows this pod: out of the live report when there is one, so it agrees with the badges. */
    private void diagnose(PodRow row) {
        if (liveReport != null) {
            diagnosis.select(row.name(), Optional.of(row.workload()), liveReport);
        } else {
            diagnosis.select(row.name(), Optional.of(row.workload()));
        }
    }

    private void startDiagnosis(Current c) {
        DiagnosisSource source = diagnosisSource;
        if (source == null) {
            return;
        }
        WatchHolder holder = new WatchHolder();
        diagnosisFollow[0] = holder;
        long gen = c.generation();
        background.execute(() -> {
            try {
                AutoCloseable follow = source.follow(c.session(), report -> ui.execute(() -> diagnosed(gen, report)));
                if (!holder.set(follow)) {
                    follow.close();
                }
            } catch (Exception e) {
                String why = rootMessage(e);
                ui.execute(() -> {
                    if (gen == generation) {
                        notice.set("The diagnosis cannot follow " + c.session().namespace() + ": " + why + ".");
                    }
                });
            }
        });
    }

    private void stopDiagnosis() {
        WatchHolder holder = diagnosisFollow[0];
        diagnosisFollow[0] = null;
        if (holder != null) {
            background.execute(holder::close);
        }
        diagnosisBadges.clear();
        liveReport = null;
    }

    private void diagnosed(long gen, DiagnosisReport report) {
        if (gen != generation) {
            return;
        }
        Map<String, List<Diagnosis>> byPod = new HashMap<>();
        for (Diagnosis d : report.diagnoses()) {
            if (d.subject().isPod()) {
                byPod.computeIfAbsent(d.subject().name(), k -> new ArrayList<>()).add(d);
            }
        }
        diagnosisBadges.keySet().retainAll(byPod.keySet());
        byPod.forEach((pod, ds) -> DiagnosisViewModel.badgeFor(ds).ifPresent(b -> {
            if (!b.equals(diagnosisBadges.get(pod))) {
                diagnosisBadges.put(pod, b);
            }
        }));
        liveReport = report;
        diagnosis.update(report);
    }

    /** The Diagnosis panel's model: the selected pod's causes, evidence and fix. */
    public DiagnosisViewModel diagnosis() {
        return diagnosis;
    }

    /** Each diagnosed pod's badge by pod name (problem pods without a known cause have none). */
    public ObservableMap<String, DiagnosisViewModel.Badge> diagnosisBadges() {
        return diagnosisBadges;
    }

    public ReadOnlyBooleanProperty diagnosisEnabledProperty() {
        return diagnosisEnabled.getReadOnlyProperty();
    }

    /** Shows the pods of this session from now on (null: of nothing). Call on the UI thread. */
    public void show(ClusterSession value) {
        stopCurrent();
        stopDiagnosis();
        long gen = ++generation;
        diagnosedSession = value;
        diagnosis.select(null);
        session.set(value);
        permits.update(value);
        clearRows();
        loaded.set(false);
        live.set(false);
        stale = false;
        pendingReveal = null;
        problem.set("");
        detail.clear();
        selected.set(null);
        if (value == null) {
            current = null;
            summaryText.set("Not connected.");
            emptyText.set("Not connected.");
            return;
        }
        current = new Current(gen, value, new WatchHolder());
        summaryText.set("Pods of " + value.label() + " are read when this area is opened.");
        emptyText.set("Reading the pods of " + value.namespace() + "…");
        if (active) {
            startWatch(current);
        }
        refreshAudit();
    }

    /** The area is on screen: start following the session's pods if not yet. */
    public void activate() {
        if (active) {
            return;
        }
        active = true;
        if (current != null && !current.watch().started) {
            startWatch(current);
        }
        if (ticker == null) {
            ticker = background.scheduleAtFixedRate(() -> ui.execute(() -> now.set(clock.instant())),
                    TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void startWatch(Current c) {
        c.watch().started = true;
        startDiagnosis(c);
        summaryText.set("Reading the pods of " + c.session().label() + "…");
        long gen = c.generation();
        background.execute(() -> {
            try {
                PendingChanges pending = new PendingChanges();
                AutoCloseable watch = gateway.watch(c.session(), new PodsGateway.RowListener() {
                    @Override
                    public void changed(List<PodRow> upserted, List<String> removedUids) {
                        // Changes that arrive before the UI thread took the last ones join them: one
                        // pass over the rows per hand-over, whatever the rate of pod updates.
                        if (pending.add(upserted, removedUids)) {
                            Runnable handOver = () -> ui.execute(() -> pending.take(PodsViewModel.this::applyChanges, gen));
                            long wait = pending.untilQuiet(rowsQuietNanos);
                            if (wait <= 0) {
                                handOver.run();
                            } else {
                                try {
                                    background.schedule(handOver, wait, TimeUnit.NANOSECONDS);
                                } catch (java.util.concurrent.RejectedExecutionException e) {
                                    // Closing down: nobody is left to show them.
                                }
                            }
                        }
                    }

                    @Override
                    public void connection(boolean stale, Instant since, String why) {
                        ui.execute(() -> connectionChanged(gen, stale, since, why));
                    }
                });
                if (!c.watch().set(watch)) {
                    watch.close();
                }
            } catch (Exception e) {
                String why = rootMessage(e);
                ui.execute(() -> {
                    if (gen == generation) {
                        problem.set("Cannot watch the pods of " + c.session().namespace() + ": " + why + ".");
                        emptyText.set("Cannot read the pods of " + c.session().namespace() + ".");
                    }
                });
            }
        });
    }

    /** Stops following the cluster; may run after the FX toolkit stopped (touches no property). */
    public void dispose() {
        generation++;
        stopCurrent();
        WatchHolder follow = diagnosisFollow[0];
        if (follow != null) {
            background.execute(follow::close);
        }
        current = null;
        detail.dispose();
        if (ticker != null) {
            ticker.cancel(false);
        }
        List<LogStreamControl> open = List.copyOf(logs);
        open.forEach(LogStreamControl::close);
    }

    private void stopCurrent() {
        Current previous = current;
        if (previous != null) {
            // Closing informers talks to the API server: never on the FX thread.
            background.execute(previous.watch()::close);
        }
    }

    // ---- rows -------------------------------------------------------------------------------------

    /** Every pod of the namespace, unfiltered and in no particular order. */
    public ObservableList<PodRow> rows() {
        return rowsView;
    }

    /** The pods the table shows: filtered and sorted. */
    public ObservableList<PodRow> shownRows() {
        return shown;
    }

    private void applyChanges(long gen, List<PodRow> upserted, List<String> removedUids) {
        apply(gen, upserted, removedUids);
    }

    /**
     * Takes in a batch of the watch's changes: removed rows leave in one change, changed rows are
     * replaced in place in one change (a row equal to the one shown is left alone), new rows are
     * appended in one change; counts follow each row in and out, never recounted over all rows.
     */
    void apply(long gen, List<PodRow> upserted, List<String> removedUids) {
        if (gen != generation) {
            return;
        }
        // Taken before the rows change: a table reacting to the change may try to select a neighbour.
        PodRow chosen = selected.get();
        mutating = true;
        try {
            if (!removedUids.isEmpty()) {
                remove(removedUids, chosen);
            }
            int size = rows.size();
            List<PodRow> added = new ArrayList<>();
            TreeMap<Integer, PodRow> replaced = new TreeMap<>();
            for (PodRow row : upserted) {
                Integer at = indexByUid.get(row.uid());
                if (at == null) {
                    indexByUid.put(row.uid(), size + added.size());
                    added.add(row);
                    count(row, 1);
                } else if (at >= size) {
                    // Twice in one batch, new both times: the later one stands.
                    PodRow old = added.set(at - size, row);
                    recount(old, row);
                } else {
                    PodRow old = replaced.containsKey(at) ? replaced.get(at) : rows.get(at);
                    if (!old.equals(row)) {
                        recount(old, row);
                        replaced.put(at, row);
                    }
                }
            }
            rows.replace(replaced);
            if (!added.isEmpty()) {
                rows.addAll(added);
            }
        } finally {
            mutating = false;
        }
        if (chosen != null && selected.get() == chosen) {
            Integer at = indexByUid.get(chosen.uid());
            if (at != null && rows.get(at) != chosen) {
                selected.set(rows.get(at));
                detail.show(session.get(), rows.get(at));
            }
        }
        loaded.set(true);
        if (!stale) {
            live.set(true);
        }
        updateCounts();
        updateTexts();
        if (pendingReveal != null) {
            String name = pendingReveal;
            pendingReveal = null;
            reveal(name);
        }
    }

    private void remove(List<String> uids, PodRow chosen) {
        Set<String> gone = new HashSet<>();
        List<PodRow> goneRows = new ArrayList<>();
        for (String uid : uids) {
            Integer at = indexByUid.get(uid);
            if (at != null && gone.add(uid)) {
                goneRows.add(rows.get(at));
            }
        }
        if (gone.isEmpty()) {
            return;
        }
        if (chosen != null && gone.contains(chosen.uid())) {
            // Said before the row leaves, so the pane says "gone" rather than jumping to another pod.
            selected.set(null);
            detail.gone(chosen, clock.instant());
        }
        goneRows.forEach(r -> count(r, -1));
        rows.removeWhere(r -> gone.contains(r.uid()));
        indexByUid.clear();
        for (int i = 0; i < rows.size(); i++) {
            indexByUid.put(rows.get(i).uid(), i);
        }
    }

    private void clearRows() {
        rows.clear();
        workloadsChanged = true;
        indexByUid.clear();
        statusCounts.clear();
        workloadCounts.clear();
        problemCounts.clear();
        problems = 0;
        updateCounts();
    }

    /** A row replaced by its newer self: its workload's count is left alone unless the workload changed. */
    private void recount(PodRow old, PodRow row) {
        boolean sameWorkload = old.workload().equals(row.workload());
        count(old, -1, !sameWorkload);
        count(row, 1, !sameWorkload);
    }

    private void count(PodRow row, int sign) {
        count(row, sign, true);
    }

    private void count(PodRow row, int sign, boolean workload) {
        add(statusCounts, row.status(), sign);
        if (workload && add(workloadCounts, row.workload(), sign)) {
            workloadsChanged = true;
        }
        if (row.problem()) {
            add(problemCounts, row.status(), sign);
            problems += sign;
        }
    }

    /** True when the key came or went. */
    private static <K> boolean add(Map<K, Integer> counts, K key, int sign) {
        int now = counts.merge(key, sign, Integer::sum);
        if (now <= 0) {
            counts.remove(key);
            return true;
        }
        return now == sign;
    }

    private void updateCounts() {
        // A namespace of bare pods has a workload per pod: the chooser's list is made again only when one
        // came or went, not on every status change (sorting 10,000 names took the FX thread ~7 ms a time).
        if (workloadsChanged) {
            workloadsChanged = false;
            List<WorkloadRef> names = new ArrayList<>(workloadCounts.keySet());
            if (!names.equals(workloads)) {
                workloads.setAll(names);
            }
        }
        List<StatusCount> counts = statusCounts.entrySet().stream()
                .map(e -> new StatusCount(e.getKey(), e.getValue(), severityOfStatus(e.getKey(), problemCounts.containsKey(e.getKey()))))
                .sorted(Comparator.comparing((StatusCount c) -> rank(c.severity())).thenComparing(c -> -c.count())
                        .thenComparing(StatusCount::status))
                .toList();
        if (!counts.equals(summary)) {
            summary.setAll(counts);
        }
        List<StatusFilter> choices = new ArrayList<>(List.of(StatusFilter.ALL, StatusFilter.PROBLEMS));
        new TreeSet<>(statusCounts.keySet()).forEach(s -> choices.add(StatusFilter.of(s)));
        StatusFilter chosen = statusFilter.get();
        if (chosen != null && chosen.status() != null && !choices.contains(chosen)) {
            // The operator's choice stays offered while it matches nothing, rather than vanishing under them.
            choices.add(chosen);
        }
        if (!choices.equals(statusChoices)) {
            // Changed in place rather than replaced: a combo box whose items are all replaced drops its value.
            statusChoices.removeIf(c -> !choices.contains(c));
            for (int i = 0; i < choices.size(); i++) {
                if (i >= statusChoices.size() || !statusChoices.get(i).equals(choices.get(i))) {
                    statusChoices.remove(choices.get(i));
                    statusChoices.add(i, choices.get(i));
                }
            }
        }
    }

    private static int rank(Severity s) {
        return switch (s) {
            case PROBLEM -> 0;
            case WARNING -> 1;
            case BUSY -> 2;
            case OK -> 3;
            case IDLE -> 4;
        };
    }

    /** How a row's status reads: a problem, on its way (Pending, creating, terminating), fine, or done. */
    public static Severity severityOf(PodRow row) {
        if (row.problem()) {
            return Severity.PROBLEM;
        }
        return severityOfStatus(row.status(), false);
    }

    private static Severity severityOfStatus(String status, boolean problem) {
        if (problem) {
            return Severity.PROBLEM;
        }
        return switch (status) {
            case "Running" -> Severity.OK;
            case "Completed", "Succeeded" -> Severity.IDLE;
            case "Pending", "ContainerCreating", "PodInitializing", "Terminating" -> Severity.BUSY;
            default -> Severity.WARNING;
        };
    }

    // ---- filter and order -------------------------------------------------------------------------

    /** Matches name, workload, node, images, status and reason, ignoring case. */
    public StringProperty filterTextProperty() {
        return filterText;
    }

    /** Only this workload's pods; null: all. */
    public ObjectProperty<WorkloadRef> workloadFilterProperty() {
        return workloadFilter;
    }

    public ObjectProperty<StatusFilter> statusFilterProperty() {
        return statusFilter;
    }

    /** Problem pods on top, whatever the column order. */
    public BooleanProperty problemsFirstProperty() {
        return problemsFirst;
    }

    /** The order chosen by the table's column headers (null: by name). */
    public ObjectProperty<Comparator<PodRow>> columnOrderProperty() {
        return columnOrder;
    }

    /** The workloads the pods belong to, for the workload filter. */
    public ObservableList<WorkloadRef> workloads() {
        return workloads;
    }

    /** All, problems, then each status present. */
    public ObservableList<StatusFilter> statusChoices() {
        return statusChoices;
    }

    /** Counts per status, problems first: the summary strip. */
    public ObservableList<StatusCount> summary() {
        return summary;
    }

    public void clearFilters() {
        filterText.set("");
        workloadFilter.set(null);
        statusFilter.set(StatusFilter.ALL);
    }

    private Predicate<PodRow> predicate() {
        String text = filterText.get() == null ? "" : filterText.get().trim().toLowerCase(Locale.ROOT);
        WorkloadRef workload = workloadFilter.get();
        StatusFilter status = statusFilter.get() == null ? StatusFilter.ALL : statusFilter.get();
        if (text.isEmpty() && workload == null && status == StatusFilter.ALL) {
            return null;
        }
        return row -> (workload == null || workload.equals(row.workload())) && status.accepts(row)
                && (text.isEmpty() || matches(row, text));
    }

    private static boolean matches(PodRow row, String lowerText) {
        if (contains(row.name(), lowerText) || contains(row.workload().name(), lowerText) || contains(row.status(), lowerText)
                || contains(row.reason(), lowerText) || contains(row.node(), lowerText)) {
            return true;
        }
        for (String image : row.images()) {
            if (contains(image, lowerText)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(String value, String lowerText) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(lowerText);
    }

    private Comparator<PodRow> comparator() {
        Comparator<PodRow> byColumns = columnOrder.get() == null ? Comparator.comparing(PodRow::name) : columnOrder.get();
        // Equal under the columns' order (same status, same workload): by name, so rows do not swap places
        // on every update; then by uid, a total order, by which the shown list finds a row it replaces.
        byColumns = byColumns.thenComparing(PodRow::name).thenComparing(PodRow::uid);
        if (problemsFirst.get()) {
            return Comparator.comparing((PodRow r) -> !r.problem()).thenComparing(byColumns);
        }
        return byColumns;
    }

    // ---- texts ------------------------------------------------------------------------------------

    /** "12 pods · 2 need attention · showing 3 (filtered)". */
    public ReadOnlyStringProperty summaryTextProperty() {
        return summaryText.getReadOnlyProperty();
    }

    /** What the table says when it shows no rows: connecting, an empty namespace, a filter hiding all. */
    public ReadOnlyStringProperty emptyTextProperty() {
        return emptyText.getReadOnlyProperty();
    }

    /** Why the pods are not current (watch lost, cannot watch); empty when all is well. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The outcome of the last action (deleted, copied, could not delete). */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public boolean isLoaded() {
        return loaded.get();
    }

    /** True while the watch follows the API server; false when stale or not started. */
    public ReadOnlyBooleanProperty liveProperty() {
        return live.getReadOnlyProperty();
    }

    /** The time ages are counted to; moves every few seconds while the area runs. */
    public ReadOnlyObjectProperty<Instant> nowProperty() {
        return now.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ClusterSession> sessionProperty() {
        return session.getReadOnlyProperty();
    }

    private void updateTexts() {
        ClusterSession s = session.get();
        if (s == null) {
            return;
        }
        if (!loaded.get()) {
            return;
        }
        int total = rows.size();
        StringBuilder text = new StringBuilder();
        text.append(total).append(total == 1 ? " pod" : " pods").append(" in ").append(s.namespace());
        if (problems > 0) {
            text.append(" · ").append(problems).append(problems == 1 ? " needs" : " need").append(" attention");
        }
        if (shown.size() != total) {
            text.append(" · showing ").append(shown.size()).append(" (filtered)");
        }
        summaryText.set(text.toString());
        if (total == 0) {
            emptyText.set("No pods in namespace " + s.namespace() + " on " + s.contextName()
                    + ". Nothing runs here yet: deploy the fleet, or check the namespace in the connection bar.");
        } else if (shown.isEmpty()) {
            emptyText.set("No pod matches the filter; " + total + (total == 1 ? " pod is" : " pods are") + " hidden.");
        }
    }

    private void connectionChanged(long gen, boolean stale, Instant since, String why) {
        if (gen != generation) {
            return;
        }
        this.stale = stale;
        live.set(!stale);
        if (stale) {
            problem.set("Lost the watch of the pods at " + TIME.format(since.atZone(zone())) + ": " + why
                    + ". The table shows the pods as they were then and catches up by itself when the API server answers.");
        } else {
            problem.set("");
        }
    }

    // ---- selection and detail ---------------------------------------------------------------------

    public ReadOnlyObjectProperty<PodRow> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public PodRow getSelected() {
        return selected.get();
    }

    /** The operator selected this pod (null: none). */
    public void select(PodRow row) {
        if (mutating || Objects.equals(row, selected.get())) {
            // While rows change, a table may move its selection on its own: the operator did not choose that.
            return;
        }
        if (row == null) {
            // A selection that vanished with its row (deleted pod) keeps the detail saying it is gone.
            selected.set(null);
            if (detail.getState() != PodDetailViewModel.State.GONE) {
                detail.clear();
            }
            return;
        }
        selected.set(row);
        detail.show(session.get(), row);
        if (diagnosisEnabled.get()) {
            diagnose(row);
        }
    }

    public PodDetailViewModel detail() {
        return detail;
    }

    /**
     * Shows this pod: clears filters that would hide it and selects it (an event's object was clicked).
     * False when no such pod exists (any more).
     */
    public boolean reveal(String podName) {
        if (!loaded.get() && session.get() != null) {
            // The area was opened by this very jump: the pods arrive in a moment.
            pendingReveal = podName;
            return true;
        }
        Optional<PodRow> found = rows.stream().filter(r -> r.name().equals(podName)).findFirst();
        if (found.isEmpty()) {
            notice.set("Pod " + podName + " no longer exists in " + (session.get() == null ? "this namespace"
                    : session.get().namespace()) + ".");
            return false;
        }
        if (!shown.contains(found.get())) {
            clearFilters();
        }
        select(found.get());
        return true;
    }

    /** Shows only this workload's pods (an event about a Deployment was clicked). */
    public void showWorkload(WorkloadRef workload) {
        clearFilters();
        workloadFilter.set(workload);
    }

    // ---- actions ----------------------------------------------------------------------------------

    /** What deleting this pod destroys, for the confirmation dialog. */
    public String deleteConsequences(PodRow row) {
        StringBuilder s = new StringBuilder();
        s.append("Deletes pod ").append(row.name()).append(" in namespace ").append(row.namespace());
        ClusterSession live = session.get();
        if (live != null) {
            s.append(" on ").append(live.sandbox() ? "the embedded sandbox" : "context " + live.contextName());
        }
        s.append(".\n\nIts containers are stopped (they get their grace period to shut down) and their logs, "
                + "including the previous run's, are lost with the pod.");
        switch (row.workload().kind()) {
            case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job" -> s.append(" ")
                    .append(row.workload().kind()).append(" ").append(row.workload().name())
                    .append(" creates a replacement").append("StatefulSet".equals(row.workload().kind())
                            ? " with the same name and volumes." : ".");
            default -> s.append(" Nothing owns this pod: it does not come back.");
        }
        s.append("\n\nThe action is written to the audit journal.");
        return s.toString();
    }

    /** Whether deleting a pod may be offered in this session (read-only mode, RBAC). */
    public fleet.console.ui.common.ActionPermits permits() {
        return permits;
    }

    /** Deletes the pod (after the operator confirmed); the result shows in {@link #noticeProperty()}. */
    public void delete(PodRow row) {
        ClusterSession s = session.get();
        if (s == null) {
            return;
        }
        String refused = permits.refusalNow(DELETE);
        if (refused != null) {
            notice.set("Pod " + row.name() + " was not deleted: " + refused);
            return;
        }
        long gen = generation;
        notice.set("Deleting pod " + row.name() + "…");
        background.execute(() -> {
            String result;
            try {
                gateway.delete(s, row.name());
                result = "Deleted pod " + row.name() + "; written to the audit journal.";
            } catch (RuntimeException e) {
                result = "Could not delete pod " + row.name() + ": " + rootMessage(e) + ".";
            }
            String text = result;
            ui.execute(() -> {
                if (gen == generation) {
                    notice.set(text);
                }
                refreshAudit();
            });
        });
    }

    /** The kubectl commands for this pod (describe, logs, previous logs, events, delete). */
    public List<KubectlCommand> kubectl(PodRow row) {
        ClusterSession s = session.get();
        if (s == null || row == null) {
            return List.of();
        }
        PodDetail d = detail.detailProperty().get();
        Optional<PodDetail> known = d != null && d.row().uid().equals(row.uid()) ? Optional.of(d) : Optional.empty();
        return gateway.kubectl(s, row, known);
    }

    /** The operator copied a command. */
    public void copied(KubectlCommand command) {
        notice.set("Copied: " + command.command());
    }

    // ---- logs -------------------------------------------------------------------------------------

    /** The open log views, one tab each. */
    public ObservableList<LogStreamControl> logs() {
        return logs;
    }

    /** The log view to bring to the front (the one just opened). */
    public ReadOnlyObjectProperty<LogStreamControl> logToShowProperty() {
        return logToShow.getReadOnlyProperty();
    }

    /**
     * Opens the pod's log. A crash-looping pod opens on the previous run of its failing container: the
     * current run has not started yet, and the previous one says why it died.
     */
    public void openLogs(PodRow row) {
        ClusterSession s = session.get();
        if (s == null || row == null) {
            return;
        }
        PodDetail known = detail.detailProperty().get();
        if (known != null && known.row().uid().equals(row.uid())) {
            openLogs(s, row, known);
            return;
        }
        long gen = generation;
        background.execute(() -> {
            Optional<PodDetail> read;
            try {
                read = gateway.inspect(s, row.name());
            } catch (RuntimeException e) {
                String why = rootMessage(e);
                ui.execute(() -> notice.set("Could not read pod " + row.name() + ": " + why + "."));
                return;
            }
            ui.execute(() -> {
                if (gen != generation) {
                    return;
                }
                if (read.isEmpty()) {
                    notice.set("Pod " + row.name() + " is gone; its logs went with it.");
                } else {
                    openLogs(s, row, read.get());
                }
            });
        });
    }

    private void openLogs(ClusterSession s, PodRow row, PodDetail d) {
        List<String> containers = d.containers().stream().filter(c -> !c.init()).map(ContainerDetail::name).toList();
        LogOrigin origin = gateway.podLogs(s, row, containers);
        LogOptions options = logOptionsFor(d, clock.instant());
        open(origin, options);
    }

    /** Opens the interleaved log of every pod of the workload. */
    public void openWorkloadLogs(WorkloadRef workload) {
        ClusterSession s = session.get();
        if (s == null || workload == null) {
            return;
        }
        long gen = generation;
        notice.set("Finding the pods of " + workload.kubectlName() + "…");
        background.execute(() -> {
            try {
                LogOrigin origin = gateway.workloadLogs(s, workload);
                ui.execute(() -> {
                    if (gen == generation) {
                        notice.set("");
                        open(origin, LogOptions.live(Optional.empty()));
                    }
                });
            } catch (RuntimeException e) {
                String why = rootMessage(e);
                ui.execute(() -> notice.set("Cannot open the logs of " + workload.kubectlName() + ": " + why));
            }
        });
    }

    private void open(LogOrigin origin, LogOptions options) {
        LogViewModel view = new LogViewModel(background, ui, logFrames, logCapacity);
        LogStreamControl control = new LogStreamControl(view, origin, options, background);
        logs.add(control);
        control.open();
        logToShow.set(control);
    }

    /** The tab of this log was closed. */
    public void closeLogs(LogStreamControl control) {
        if (logs.remove(control)) {
            control.close();
        }
        if (logToShow.get() == control) {
            logToShow.set(null);
        }
    }

    /**
     * The container and run to open first: a container that crashed and has a last termination opens on
     * its previous run (also in the moment a crash loop runs it again: restarted after a failure that
     * ended under two minutes ago); otherwise the first container, live.
     */
    static LogOptions logOptionsFor(PodDetail d, java.time.Instant now) {
        for (ContainerDetail c : d.containers()) {
            if (c.init()) {
                continue;
            }
            boolean justRestarted = c.restarts() > 0 && c.lastTermination().filter(t -> t.exitCode() != 0)
                    .flatMap(Termination::finishedAt).filter(f -> f.isAfter(now.minus(java.time.Duration.ofMinutes(2)))).isPresent();
            boolean crashed = "CrashLoopBackOff".equals(c.stateReason()) || justRestarted
                    || (!"Running".equals(c.state()) && c.lastTermination().isPresent() && c.restarts() > 0);
            if (crashed) {
                return LogOptions.previousRun(Optional.of(c.name()));
            }
        }
        Optional<String> first = d.containers().stream().filter(c -> !c.init()).map(ContainerDetail::name).findFirst();
        return LogOptions.live(first);
    }

    // ---- audit journal ----------------------------------------------------------------------------

    /** What the console did, newest first. */
    public ObservableList<AuditEntry> audit() {
        return audit;
    }

    /** Where the journal is, and how much of it could be read. */
    public ReadOnlyStringProperty auditTextProperty() {
        return auditText.getReadOnlyProperty();
    }

    /** Reads the journal again (in the background). */
    public void refreshAudit() {
        background.execute(() -> {
            try {
                PodsGateway.AuditContents contents = gateway.audit();
                List<AuditEntry> newestFirst = new ArrayList<>(contents.entries());
                newestFirst.sort(Comparator.comparing(AuditEntry::time).reversed());
                String text = contents.entries().size() + (contents.entries().size() == 1 ? " action" : " actions")
                        + " in " + contents.file()
                        + (contents.unreadableLines() > 0 ? " · " + contents.unreadableLines()
                        + " lines could not be read (left as they are)" : "");
                ui.execute(() -> {
                    audit.setAll(newestFirst);
                    auditText.set(text);
                });
            } catch (RuntimeException e) {
                String why = rootMessage(e);
                ui.execute(() -> auditText.set("Cannot read the audit journal: " + why));
            }
        });
    }

    private ZoneId zone() {
        return clock.getZone();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
