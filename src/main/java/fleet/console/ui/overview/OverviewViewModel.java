package fleet.console.ui.overview;

import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.WorkloadHealth;
import fleet.console.ui.common.Debouncer;
import fleet.console.ui.common.Severity;
import fleet.console.ui.common.WatchSlot;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The fleet's live health for the session the console is connected to. Informers signal changes, a
 * debouncer turns bursts into one read, the read runs on the background executor and its rows are
 * handed to the UI executor. Results of a previous session are dropped: each session gets a
 * generation number and only the current one may touch the rows.
 */
public final class OverviewViewModel {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final WorkloadHealthSource source;
    private final ScheduledExecutorService background;
    private final Executor ui;
    private final Duration quiet;
    private final Clock clock;

    private final ObservableList<WorkloadHealth> rows = FXCollections.observableArrayList();
    // One read-only view, kept: a view made per call listens to the rows only weakly, and listeners
    // added to it vanish when it is collected.
    private final ObservableList<WorkloadHealth> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "Not connected.");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(this, "emptyText", "Not connected.");
    private final fleet.console.ui.common.Freshness freshness;

    /**
     * Changed on the UI thread (and by dispose, possibly after the toolkit stopped); background work
     * carries the generation it was started for and is dropped when that is no longer current.
     */
    private volatile long generation;
    private Current current;

    private record Current(long generation, ClusterSession session, Debouncer refresher, WatchSlot<NamespaceChangeWatch> watch, AutoCloseable reachability) {
    }


    public OverviewViewModel(WorkloadHealthSource source, ScheduledExecutorService background, Executor ui,
                             Duration quiet, Clock clock) {
        this.source = Objects.requireNonNull(source);
        this.background = Objects.requireNonNull(background);
        this.ui = Objects.requireNonNull(ui);
        this.quiet = Objects.requireNonNull(quiet);
        this.clock = Objects.requireNonNull(clock);
        this.freshness = new fleet.console.ui.common.Freshness(this, "the last health read", this.ui, this.clock);
    }

    public ObservableList<WorkloadHealth> rows() {
        return rowsView;
    }

    /** True once the current session's health has been read at least once. */
    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public boolean isLoaded() {
        return loaded.get();
    }

    /** "7 of 8 workloads healthy in swe-ai-fleet on sandbox, at 12:03:04". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Why the health could not be read or watched; empty when all is well. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /**
     * True while the overview follows changes by itself (its watches run); false means what is shown
     * is only as fresh as the last read.
     */
    public ReadOnlyBooleanProperty liveProperty() {
        return freshness.liveProperty();
    }

    public boolean isLive() {
        return freshness.liveProperty().get();
    }

    /**
     * True while the API server does not answer (the session's client found it away): the rows are the
     * last ones read, kept, until a read after its return makes them true again.
     */
    public ReadOnlyBooleanProperty staleProperty() {
        return freshness.staleProperty();
    }

    public boolean isStale() {
        return freshness.staleProperty().get();
    }

    /** "Following changes", or "Stale since 12:03:04 — the API does not answer…", for the live badge. */
    public ReadOnlyStringProperty freshnessProperty() {
        return freshness.textProperty();
    }

    public ReadOnlyObjectProperty<Severity> freshnessSeverityProperty() {
        return freshness.severityProperty();
    }

    /** What the table says when it has no rows: connecting, empty namespace... */
    public ReadOnlyStringProperty emptyTextProperty() {
        return emptyText.getReadOnlyProperty();
    }

    /** Shows the health of this session from now on (null: of nothing). Call on the UI thread. */
    public void show(ClusterSession session) {
        stopCurrent();
        long gen = ++generation;
        rows.clear();
        loaded.set(false);
        problem.set("");
        freshness.reset();
        if (session == null) {
            current = null;
            summary.set("Not connected.");
            emptyText.set("Not connected.");
            return;
        }
        summary.set("Reading the health of " + session.label() + "…");
        emptyText.set("Reading the workloads of " + session.namespace() + "…");
        Debouncer refresher = new Debouncer(background, quiet, () -> readFor(gen, session));
        WatchSlot<NamespaceChangeWatch> holder = new WatchSlot<>();
        AutoCloseable reach = freshness.follow(session, () -> gen == generation, refresher::signal);
        current = new Current(gen, session, refresher, holder, reach);
        // The first read goes through the debouncer like every later one, so reads never overlap and
        // their results arrive in the order they were taken.
        refresher.signal();
        background.execute(() -> {
            boolean[] failed = {false};
            NamespaceChangeWatch watch = NamespaceChangeWatch.start(session.client(), session.namespace(),
                    refresher::signal, message -> {
                        failed[0] = true;
                        ui.execute(() -> watchFailed(gen, message));
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

    /** Reads again now, as the operator asked for it (F5). */
    public void refresh() {
        if (current != null) {
            current.refresher().signal();
        }
    }

    /**
     * Stops following the cluster. Touches no property, so it may run after the FX toolkit has
     * stopped (the application disposes last, from its launching thread).
     */
    public void dispose() {
        generation++;
        stopCurrent();
        current = null;
    }

    private void stopCurrent() {
        Current previous = current;
        if (previous != null) {
            previous.refresher().stop();
            // Closing informers talks to the API server: never on the FX thread.
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

    private void readFor(long gen, ClusterSession session) {
        long epoch = freshness.readStarting();
        try {
            List<WorkloadHealth> read = source.read(session.client(), session.namespace());
            ui.execute(() -> apply(gen, session, read, epoch));
        } catch (RuntimeException e) {
            String why = rootMessage(e);
            ui.execute(() -> readFailed(gen, session, why));
        }
    }

    private void apply(long gen, ClusterSession session, List<WorkloadHealth> read, long epoch) {
        if (gen != generation) {
            return;
        }
        // Replacing equal rows would reset the table's selection and scroll position every refresh.
        if (!new ArrayList<>(rows).equals(read)) {
            rows.setAll(read);
        }
        long healthy = read.stream().filter(WorkloadHealth::healthy).count();
        String at = LocalTime.now(clock).format(TIME);
        summary.set(read.isEmpty()
                ? "No workloads in " + session.label() + ", at " + at + "."
                : healthy + " of " + read.size() + " workloads healthy in " + session.namespace() + " on "
                        + session.contextName() + ", at " + at + ".");
        emptyText.set("No Deployments or StatefulSets in namespace " + session.namespace()
                + ". The initial deployment runbook creates the fleet.");
        if (problem.get().startsWith("Could not read")) {
            problem.set("");
        }
        // Read after the API server came back: the rows are true again.
        freshness.readDone(epoch);
        loaded.set(true);
    }

    private void readFailed(long gen, ClusterSession session, String why) {
        if (gen != generation) {
            return;
        }
        problem.set("Could not read the health of " + session.label() + ": " + why
                + (loaded.get() ? ". The rows show the last successful read." : "."));
        if (!loaded.get()) {
            emptyText.set("Could not read the workloads of " + session.namespace() + ".");
        }
    }

    private void watchFailed(long gen, String message) {
        if (gen != generation) {
            return;
        }
        problem.set(message + ". The overview will not update by itself; press F5 to read again.");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
