package fleet.console.ui.events;

import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.events.EventRow;
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
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The Events area without a window: the namespace's events kept current by a watch, newest first,
 * Warnings marked, filtered by object and reason; a click on an event's object leads to it.
 */
public final class EventsViewModel {

    /** The reason filter's "no filter" choice. */
    public static final String ALL_REASONS = "All reasons";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final Duration TICK = Duration.ofSeconds(5);

    private final EventsGateway gateway;
    private final ScheduledExecutorService background;
    private final Executor ui;
    private final Clock clock;
    private ObjectNavigator navigator;

    private final ObservableList<EventRow> rows = FXCollections.observableArrayList();
    private final Map<String, Integer> indexByUid = new HashMap<>();
    private final Map<String, Integer> reasonCounts = new HashMap<>();
    private int warnings;
    private final FilteredList<EventRow> filtered = new FilteredList<>(rows);
    private final SortedList<EventRow> sorted = new SortedList<>(filtered);

    private final StringProperty objectFilter = new SimpleStringProperty(this, "objectFilter", "");
    private final ObjectProperty<String> reasonFilter = new SimpleObjectProperty<>(this, "reasonFilter", ALL_REASONS);
    private final BooleanProperty warningsOnly = new SimpleBooleanProperty(this, "warningsOnly");
    private final ObjectProperty<Comparator<EventRow>> columnOrder = new SimpleObjectProperty<>(this, "columnOrder");
    private final ObservableList<String> reasons = FXCollections.observableArrayList(ALL_REASONS);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "Not connected.");
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(this, "emptyText", "Not connected.");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyBooleanWrapper live = new ReadOnlyBooleanWrapper(this, "live");
    private final ReadOnlyObjectWrapper<Instant> now;

    private volatile long generation;
    private ClusterSession session;
    private boolean active;
    private boolean started;
    private boolean stale;
    private Holder holder;
    private ScheduledFuture<?> ticker;

    /** The watch of a session, started and closed on the background executor. */
    private static final class Holder {
        private AutoCloseable watch;
        private boolean closed;

        synchronized boolean set(AutoCloseable w) {
            if (closed) {
                return false;
            }
            watch = w;
            return true;
        }

        void close() {
            AutoCloseable w;
            synchronized (this) {
                closed = true;
                w = watch;
                watch = null;
            }
            if (w != null) {
                try {
                    w.close();
                } catch (Exception e) {
                    java.util.logging.Logger.getLogger(EventsViewModel.class.getName())
                            .log(java.util.logging.Level.FINE, "Closing the event watch failed", e);
                }
            }
        }
    }

    public EventsViewModel(EventsGateway gateway, ScheduledExecutorService background, Executor ui, Clock clock) {
        this.gateway = Objects.requireNonNull(gateway);
        this.background = Objects.requireNonNull(background);
        this.ui = Objects.requireNonNull(ui);
        this.clock = Objects.requireNonNull(clock);
        this.now = new ReadOnlyObjectWrapper<>(this, "now", clock.instant());
        reasonFilter.addListener((o, old, now) -> {
            if (now == null) {
                reasonFilter.set(ALL_REASONS);
            }
        });
        filtered.predicateProperty().bind(Bindings.createObjectBinding(this::predicate, objectFilter, reasonFilter, warningsOnly));
        sorted.comparatorProperty().bind(Bindings.createObjectBinding(this::comparator, columnOrder));
        filtered.predicateProperty().addListener((o, old, now) -> updateTexts());
    }

    /** Where clicks on objects lead (set by the shell). */
    public void setNavigator(ObjectNavigator value) {
        navigator = value;
    }

    // ---- session ----------------------------------------------------------------------------------

    public void show(ClusterSession value) {
        stopCurrent();
        long gen = ++generation;
        session = value;
        rows.clear();
        indexByUid.clear();
        reasonCounts.clear();
        warnings = 0;
        updateReasons();
        loaded.set(false);
        live.set(false);
        stale = false;
        problem.set("");
        started = false;
        holder = value == null ? null : new Holder();
        if (value == null) {
            summary.set("Not connected.");
            emptyText.set("Not connected.");
            return;
        }
        summary.set("Events of " + value.label() + " are read when this area is opened.");
        emptyText.set("Reading the events of " + value.namespace() + "…");
        if (active) {
            start(gen);
        }
    }

    public void activate() {
        if (active) {
            return;
        }
        active = true;
        if (session != null && !started) {
            start(generation);
        }
        if (ticker == null) {
            ticker = background.scheduleAtFixedRate(() -> ui.execute(() -> now.set(clock.instant())),
                    TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void start(long gen) {
        started = true;
        ClusterSession s = session;
        Holder h = holder;
        summary.set("Reading the events of " + s.label() + "…");
        background.execute(() -> {
            try {
                AutoCloseable w = gateway.watch(s, new EventsGateway.Listener() {
                    @Override
                    public void changed(List<EventRow> upserted, List<String> removedUids) {
                        ui.execute(() -> apply(gen, upserted, removedUids));
                    }

                    @Override
                    public void connection(boolean isStale, Instant since, String why) {
                        ui.execute(() -> connectionChanged(gen, isStale, since, why));
                    }
                });
                if (!h.set(w)) {
                    w.close();
                }
            } catch (Exception e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                ui.execute(() -> {
                    if (gen == generation) {
                        problem.set("Cannot watch the events of " + s.namespace() + ": " + why + ".");
                    }
                });
            }
        });
    }

    public void dispose() {
        generation++;
        stopCurrent();
        if (ticker != null) {
            ticker.cancel(false);
        }
    }

    private void stopCurrent() {
        Holder h = holder;
        if (h != null) {
            background.execute(h::close);
        }
    }

    // ---- rows -------------------------------------------------------------------------------------

    /** The events shown: filtered, newest first unless a column says otherwise. */
    public SortedList<EventRow> shownRows() {
        return sorted;
    }

    public ObservableList<EventRow> rows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    void apply(long gen, List<EventRow> upserted, List<String> removedUids) {
        if (gen != generation) {
            return;
        }
        if (!removedUids.isEmpty()) {
            Set<String> gone = new HashSet<>(removedUids);
            List<EventRow> leaving = rows.stream().filter(r -> gone.contains(r.uid())).toList();
            if (!leaving.isEmpty()) {
                leaving.forEach(r -> count(r, -1));
                rows.removeIf(r -> gone.contains(r.uid()));
                indexByUid.clear();
                for (int i = 0; i < rows.size(); i++) {
                    indexByUid.put(rows.get(i).uid(), i);
                }
            }
        }
        List<EventRow> added = new ArrayList<>();
        for (EventRow row : upserted) {
            Integer at = indexByUid.get(row.uid());
            if (at == null) {
                if (indexByUid.putIfAbsent(row.uid(), rows.size() + added.size()) == null) {
                    added.add(row);
                    count(row, 1);
                }
            } else if (!rows.get(at).equals(row)) {
                count(rows.get(at), -1);
                count(row, 1);
                rows.set(at, row);
            }
        }
        rows.addAll(added);
        loaded.set(true);
        if (!stale) {
            live.set(true);
        }
        updateReasons();
        updateTexts();
    }

    private void count(EventRow row, int sign) {
        if (reasonCounts.merge(row.reason(), sign, Integer::sum) <= 0) {
            reasonCounts.remove(row.reason());
        }
        if (row.warning()) {
            warnings += sign;
        }
    }

    private void updateReasons() {
        List<String> wanted = new ArrayList<>();
        wanted.add(ALL_REASONS);
        wanted.addAll(new TreeSet<>(reasonCounts.keySet()));
        String chosen = reasonFilter.get();
        if (chosen != null && !wanted.contains(chosen)) {
            wanted.add(chosen);
        }
        if (!wanted.equals(reasons)) {
            // Changed in place rather than replaced: a combo box whose items are all replaced drops its value.
            reasons.removeIf(r -> !wanted.contains(r));
            for (int i = 0; i < wanted.size(); i++) {
                if (i >= reasons.size() || !reasons.get(i).equals(wanted.get(i))) {
                    reasons.remove(wanted.get(i));
                    reasons.add(i, wanted.get(i));
                }
            }
        }
    }

    // ---- filter -----------------------------------------------------------------------------------

    /** Matches the object's kind and name ("pod/ray", "ray-executor"), ignoring case. */
    public StringProperty objectFilterProperty() {
        return objectFilter;
    }

    public ObjectProperty<String> reasonFilterProperty() {
        return reasonFilter;
    }

    public BooleanProperty warningsOnlyProperty() {
        return warningsOnly;
    }

    public ObjectProperty<Comparator<EventRow>> columnOrderProperty() {
        return columnOrder;
    }

    /** All reasons, then each reason present. */
    public ObservableList<String> reasons() {
        return reasons;
    }

    private Predicate<EventRow> predicate() {
        String text = objectFilter.get() == null ? "" : objectFilter.get().trim().toLowerCase(Locale.ROOT);
        String reason = reasonFilter.get();
        boolean anyReason = reason == null || ALL_REASONS.equals(reason);
        boolean onlyWarnings = warningsOnly.get();
        if (text.isEmpty() && anyReason && !onlyWarnings) {
            return null;
        }
        return row -> (!onlyWarnings || row.warning()) && (anyReason || reason.equals(row.reason()))
                && (text.isEmpty() || objectText(row).toLowerCase(Locale.ROOT).contains(text));
    }

    private Comparator<EventRow> comparator() {
        Comparator<EventRow> newestFirst = Comparator.comparing(EventRow::lastSeen,
                Comparator.nullsLast(Comparator.reverseOrder()));
        Comparator<EventRow> base = columnOrder.get() == null ? newestFirst : columnOrder.get().thenComparing(newestFirst);
        return base.thenComparing(EventRow::uid);
    }

    /** {@code pod/ray-executor-7d9f-x}, as kubectl names objects. */
    public static String objectText(EventRow row) {
        return row.objectKind().toLowerCase(Locale.ROOT) + "/" + row.objectName();
    }

    // ---- navigation -------------------------------------------------------------------------------

    /** Whether a click on this event's object leads somewhere. */
    public boolean canOpen(EventRow row) {
        return navigator != null && navigator.canShow(row.objectKind());
    }

    /** Shows the event's object in its area. */
    public void open(EventRow row) {
        if (navigator == null || !navigator.show(row.objectKind(), row.objectName())) {
            notice.set("The console has no view of " + objectText(row) + " yet.");
        } else {
            notice.set("");
        }
    }

    // ---- texts ------------------------------------------------------------------------------------

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty emptyTextProperty() {
        return emptyText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty liveProperty() {
        return live.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Instant> nowProperty() {
        return now.getReadOnlyProperty();
    }

    private void updateTexts() {
        if (session == null || !loaded.get()) {
            return;
        }
        int total = rows.size();
        StringBuilder s = new StringBuilder().append(total).append(total == 1 ? " event" : " events")
                .append(" in ").append(session.namespace()).append(" · ").append(warnings)
                .append(warnings == 1 ? " warning" : " warnings");
        if (filtered.size() != total) {
            s.append(" · showing ").append(filtered.size()).append(" (filtered)");
        }
        summary.set(s.toString());
        emptyText.set(total == 0
                ? "No events in namespace " + session.namespace() + ". Kubernetes keeps events for about an hour; "
                        + "a quiet namespace has none."
                : "No event matches the filter; " + total + (total == 1 ? " event is" : " events are") + " hidden.");
    }

    private void connectionChanged(long gen, boolean isStale, Instant since, String why) {
        if (gen != generation) {
            return;
        }
        stale = isStale;
        live.set(!isStale);
        problem.set(isStale ? "Lost the watch of the events at " + TIME.format(since.atZone(clock.getZone())) + ": " + why
                + ". The table shows the events as they were then and catches up by itself." : "");
    }
}
