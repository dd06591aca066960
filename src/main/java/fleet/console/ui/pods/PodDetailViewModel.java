package fleet.console.ui.pods;

import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.events.EventRow;
import fleet.console.cluster.pods.ContainerDetail;
import fleet.console.cluster.pods.PodDetail;
import fleet.console.cluster.pods.PodRow;
import fleet.console.cluster.pods.Termination;
import fleet.console.ui.common.Ages;
import fleet.console.ui.common.Debouncer;
import fleet.console.ui.common.Severity;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The detail pane of the selected pod: containers with their state and last termination, readiness,
 * images, resources and probes, env (secrets by name only), the pod's events newest first, labels and
 * owner. Read on the background executor whenever the selection or the selected pod changes (bursts
 * joined); a pod deleted while shown says it is gone.
 */
public final class PodDetailViewModel {

    /** What the pane shows. */
    public enum State {
        /** Nothing selected. */
        EMPTY,
        LOADING,
        SHOWN,
        /** The pod was deleted while shown (or before it could be read). */
        GONE,
        FAILED
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PodsGateway gateway;
    private final Executor ui;
    private final Clock clock;
    private final Debouncer reader;

    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.EMPTY);
    private final ReadOnlyObjectWrapper<PodRow> pod = new ReadOnlyObjectWrapper<>(this, "pod");
    private final ReadOnlyObjectWrapper<PodDetail> detail = new ReadOnlyObjectWrapper<>(this, "detail");
    private final ReadOnlyStringWrapper headline = new ReadOnlyStringWrapper(this, "headline", "");
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note", "Select a pod to see its detail.");
    private final ReadOnlyStringWrapper owner = new ReadOnlyStringWrapper(this, "owner", "");
    private final ReadOnlyStringWrapper placement = new ReadOnlyStringWrapper(this, "placement", "");
    private final ObservableList<ContainerCard> containers = FXCollections.observableArrayList();
    private final ObservableList<EventLine> events = FXCollections.observableArrayList();
    private final ObservableList<String> labels = FXCollections.observableArrayList();
    private final ObservableList<String> conditions = FXCollections.observableArrayList();

    /** What the next read is for; touched on the UI thread, read by the reader. */
    private volatile Wanted wanted;
    private long asked;

    private record Wanted(long ticket, ClusterSession session, PodRow row) {
    }

    public PodDetailViewModel(PodsGateway gateway, ScheduledExecutorService background, Executor ui, Clock clock,
                              Duration quiet) {
        this.gateway = Objects.requireNonNull(gateway);
        this.ui = Objects.requireNonNull(ui);
        this.clock = Objects.requireNonNull(clock);
        this.reader = new Debouncer(background, quiet, this::read);
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State getState() {
        return state.get();
    }

    /** The pod shown (its row as last seen, also once it is gone). */
    public ReadOnlyObjectProperty<PodRow> podProperty() {
        return pod.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<PodDetail> detailProperty() {
        return detail.getReadOnlyProperty();
    }

    /** "CrashLoopBackOff · 1/2 ready · 4 restarts, last 40s ago". */
    public ReadOnlyStringProperty headlineProperty() {
        return headline.getReadOnlyProperty();
    }

    /** What the pane says instead of, or above, the detail: loading, gone, could not read. */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    /** "Deployment orchestrator (through ReplicaSet ...)": what owns it. */
    public ReadOnlyStringProperty ownerProperty() {
        return owner.getReadOnlyProperty();
    }

    /** "node sandbox-node-1 · pod IP 10.244.0.12 · QoS Burstable". */
    public ReadOnlyStringProperty placementProperty() {
        return placement.getReadOnlyProperty();
    }

    public ObservableList<ContainerCard> containers() {
        return containers;
    }

    /** Newest first. */
    public ObservableList<EventLine> events() {
        return events;
    }

    /** {@code key=value}, sorted. */
    public ObservableList<String> labels() {
        return labels;
    }

    public ObservableList<String> conditions() {
        return conditions;
    }

    /**
     * Shows this pod (read again if it is the one shown and changed). Call on the UI thread; null
     * clears the pane.
     */
    public void show(ClusterSession session, PodRow row) {
        if (row == null || session == null) {
            clear();
            return;
        }
        PodRow shown = pod.get();
        boolean same = shown != null && shown.uid().equals(row.uid()) && state.get() != State.GONE;
        if (same && shown.resourceVersion().equals(row.resourceVersion()) && state.get() != State.FAILED) {
            return;
        }
        pod.set(row);
        headline.set(headline(row));
        if (!same) {
            state.set(State.LOADING);
            note.set("Reading " + row.name() + "…");
            detail.set(null);
            containers.clear();
            events.clear();
            labels.clear();
            conditions.clear();
            owner.set(row.workload().kind() + " " + row.workload().name());
            placement.set("");
        }
        wanted = new Wanted(++asked, session, row);
        reader.signal();
    }

    /** Reads the shown pod again now (its events change without the pod changing). */
    public void refresh(ClusterSession session) {
        PodRow shown = pod.get();
        if (shown != null && session != null && state.get() != State.GONE) {
            wanted = new Wanted(++asked, session, shown);
            reader.signal();
        }
    }

    /** The shown pod was deleted: say so, keep what was read so the operator sees what it was. */
    public void gone(PodRow row, Instant at) {
        PodRow shown = pod.get();
        if (shown == null || !shown.uid().equals(row.uid())) {
            return;
        }
        asked++;
        state.set(State.GONE);
        note.set("Pod " + row.name() + " is gone: it was deleted at " + TIME.format(at.atZone(zone()))
                + ". What is shown is how it was before." + replacement(row));
    }

    public void clear() {
        asked++;
        wanted = null;
        pod.set(null);
        detail.set(null);
        state.set(State.EMPTY);
        note.set("Select a pod to see its detail.");
        headline.set("");
        owner.set("");
        placement.set("");
        containers.clear();
        events.clear();
        labels.clear();
        conditions.clear();
    }

    public void dispose() {
        reader.stop();
    }

    private static String replacement(PodRow row) {
        return switch (row.workload().kind()) {
            case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet" ->
                    " Its " + row.workload().kind() + " " + row.workload().name() + " starts a replacement.";
            default -> "";
        };
    }

    private void read() {
        Wanted w = wanted;
        if (w == null) {
            return;
        }
        try {
            Optional<PodDetail> read = gateway.inspect(w.session(), w.row().name());
            ui.execute(() -> apply(w, read));
        } catch (RuntimeException e) {
            String why = rootMessage(e);
            ui.execute(() -> failed(w, why));
        }
    }

    private void apply(Wanted w, Optional<PodDetail> read) {
        if (w.ticket() != asked) {
            return;
        }
        if (read.isEmpty()) {
            gone(w.row(), clock.instant());
            return;
        }
        PodDetail d = read.get();
        Instant now = clock.instant();
        detail.set(d);
        pod.set(d.row());
        headline.set(headline(d.row()));
        state.set(State.SHOWN);
        note.set("");
        List<ContainerCard> cards = d.containers().stream().map(c -> card(c, now)).toList();
        if (!cards.equals(containers)) {
            containers.setAll(cards);
        }
        List<EventLine> lines = d.events().stream()
                .sorted(Comparator.comparing(EventRow::lastSeen, Comparator.nullsLast(Comparator.reverseOrder())))
                .map(e -> new EventLine(e.type(), e.reason(), e.message(), e.count(),
                        e.lastSeen() == null ? "" : Ages.since(e.lastSeen(), now), e.warning()))
                .toList();
        if (!lines.equals(events)) {
            events.setAll(lines);
        }
        List<String> labelLines = new TreeMap<>(d.labels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        if (!labelLines.equals(labels)) {
            labels.setAll(labelLines);
        }
        if (!d.conditions().equals(conditions)) {
            conditions.setAll(d.conditions());
        }
        owner.set(ownerText(d.row()));
        List<String> where = new ArrayList<>();
        if (d.row().node() != null && !d.row().node().isEmpty()) {
            where.add("node " + d.row().node());
        } else {
            where.add("not scheduled");
        }
        if (d.podIp() != null && !d.podIp().isEmpty()) {
            where.add("pod IP " + d.podIp());
        }
        if (d.qosClass() != null && !d.qosClass().isEmpty()) {
            where.add("QoS " + d.qosClass());
        }
        where.add("created " + Ages.since(d.row().created(), now) + " ago");
        placement.set(String.join(" · ", where));
    }

    private void failed(Wanted w, String why) {
        if (w.ticket() != asked) {
            return;
        }
        state.set(detail.get() == null ? State.FAILED : State.SHOWN);
        note.set("Could not read " + w.row().name() + ": " + why
                + (detail.get() == null ? "." : ". What is shown was read earlier."));
    }

    static String ownerText(PodRow row) {
        return "Pod".equals(row.workload().kind()) ? "Nothing owns this pod: deleted, it does not come back."
                : row.workload().kind() + " " + row.workload().name();
    }

    String headline(PodRow row) {
        StringBuilder s = new StringBuilder(row.status()).append(" · ").append(row.readyText()).append(" ready");
        if (row.restarts() > 0) {
            s.append(" · ").append(row.restarts()).append(row.restarts() == 1 ? " restart" : " restarts");
            row.lastRestart().ifPresent(t -> s.append(", last ").append(Ages.since(t, clock.instant())).append(" ago"));
        }
        if (row.reason() != null && !row.reason().isEmpty()) {
            s.append(" · ").append(row.reason());
        }
        return s.toString();
    }

    ContainerCard card(ContainerDetail c, Instant now) {
        String stateText = c.stateReason() == null || c.stateReason().isEmpty() ? c.state()
                : c.state() + ": " + c.stateReason();
        Severity severity = switch (c.state()) {
            case "Running" -> c.ready() ? Severity.OK : Severity.WARNING;
            case "Terminated" -> "Completed".equals(c.stateReason()) ? Severity.IDLE : Severity.PROBLEM;
            default -> "ContainerCreating".equals(c.stateReason()) || "PodInitializing".equals(c.stateReason())
                    ? Severity.BUSY : Severity.PROBLEM;
        };
        return new ContainerCard(c.name(), c.init(), stateText, severity,
                c.stateMessage() == null ? "" : c.stateMessage(), c.ready(), c.restarts(),
                c.lastTermination().map(t -> terminationText(t, now)).orElse(""),
                c.image(), c.imageId() == null ? "" : c.imageId(), resources(c.requests(), c.limits()),
                c.probes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + ": " + e.getValue()).toList(),
                c.env());
    }

    String terminationText(Termination t, Instant now) {
        StringBuilder s = new StringBuilder(t.reason() == null || t.reason().isEmpty() ? "Terminated" : t.reason());
        s.append(", exit code ").append(t.exitCode());
        t.signal().filter(sig -> sig != 0).ifPresent(sig -> s.append(", signal ").append(sig));
        t.startedAt().ifPresent(at -> s.append(", started ").append(TIME.format(at.atZone(zone()))));
        t.finishedAt().ifPresent(at -> s.append(", finished ").append(TIME.format(at.atZone(zone())))
                .append(" (").append(Ages.since(at, now)).append(" ago)"));
        t.message().filter(m -> !m.isBlank()).ifPresent(m -> s.append(": ").append(m.strip()));
        return s.toString();
    }

    static String resources(Map<String, String> requests, Map<String, String> limits) {
        List<String> parts = new ArrayList<>();
        if (!requests.isEmpty()) {
            parts.add("requests " + join(requests));
        }
        if (!limits.isEmpty()) {
            parts.add("limits " + join(limits));
        }
        return parts.isEmpty() ? "no requests or limits" : String.join(" · ", parts);
    }

    private static String join(Map<String, String> m) {
        return new TreeMap<>(m).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .reduce((a, b) -> a + ", " + b).orElse("");
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
