package fleet.console.ui.nats;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.messaging.ConsumerHealth;
import fleet.console.messaging.ConsumerRow;
import fleet.console.messaging.ConsumerSamples;
import fleet.console.messaging.Impact;
import fleet.console.messaging.JetStreamInventory;
import fleet.console.messaging.NatsActions;
import fleet.console.messaging.NatsCliCommands;
import fleet.console.messaging.NatsContexts;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsProblem;
import fleet.console.messaging.NatsTarget;
import fleet.console.messaging.StoredMessage;
import fleet.console.messaging.StreamDrift;
import fleet.console.messaging.StreamRow;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;
import fleet.console.profile.WorkloadKind;
import fleet.console.ui.common.Severity;
import fleet.console.ui.events.ObjectNavigator;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The NATS area without a window: the link to the fleet's NATS (stale since when, reconnects), its
 * streams and every consumer of every stream (stale ones judged), the drift from the profile's
 * declared streams, and the actions (test publish, last messages, purge, delete), destructive ones
 * waiting for a {@link Confirmation} that states what they destroy in numbers.
 * <p>
 * JetStream has no watch for stream and consumer statistics, so while the area is shown a timer
 * re-reads them every few seconds on the background executor (one paged stream listing plus the
 * consumers of the streams that have any, asked in parallel); never on the FX thread, never per
 * second, and not at all while the area is hidden. Actions read again at once.
 * <p>
 * Work carries the generation of the source it was started for; a result for an older source is
 * dropped (and its link closed).
 */
public final class NatsViewModel {

    /** How often the statistics are read again while the area is shown. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(3);
    /** A link down this long is thrown away and opened again (a port-forward to a pod that is gone never comes back). */
    static final Duration REOPEN_AFTER = Duration.ofSeconds(10);
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(5);
    /** How far back each consumer's chart goes (readings are kept for this long, at most {@link ConsumerSamples#DEFAULT_CAPACITY}). */
    public static final Duration CHART_WINDOW = Duration.ofMinutes(10);
    /** How many messages "last messages" shows. */
    public static final int LAST_MESSAGES = 20;

    private final Supplier<FleetProfile> profileSupplier;
    private final Consumer<AuditEntry> journal;
    private final NatsContexts natsContexts;
    private final ScheduledExecutorService background;
    private final Executor ui;
    private final Clock clock;
    private final Duration period;

    private final ObservableList<StreamRow> streams = FXCollections.observableArrayList();
    private final FilteredList<StreamRow> filteredStreams = new FilteredList<>(streams);
    private final ObservableList<ConsumerHealth> consumers = FXCollections.observableArrayList();
    private final FilteredList<ConsumerHealth> filteredConsumers = new FilteredList<>(consumers);
    private final FilteredList<ConsumerHealth> streamConsumers = new FilteredList<>(consumers, c -> false);
    private final ObservableList<StreamDrift.Row> drift = FXCollections.observableArrayList();
    private final ObservableList<StoredMessage> messages = FXCollections.observableArrayList();
    private final ObservableList<String> sources = FXCollections.observableArrayList();

    private final StringProperty streamFilter = new SimpleStringProperty(this, "streamFilter", "");
    private final StringProperty consumerFilter = new SimpleStringProperty(this, "consumerFilter", "");
    private final BooleanProperty staleOnly = new SimpleBooleanProperty(this, "staleOnly", false);
    private final StringProperty selectedStream = new SimpleStringProperty(this, "selectedStream");
    private final StringProperty publishSubject = new SimpleStringProperty(this, "publishSubject", "planning.story.transitioned");
    private final StringProperty publishData = new SimpleStringProperty(this, "publishData", "{\"story_id\":\"test-001\"}");
    private final StringProperty messagesSubject = new SimpleStringProperty(this, "messagesSubject", "");

    private final ReadOnlyObjectWrapper<Severity> connectionSeverity = new ReadOnlyObjectWrapper<>(this, "connectionSeverity", Severity.IDLE);
    private final ReadOnlyStringWrapper connectionText = new ReadOnlyStringWrapper(this, "connectionText", "Not connected");
    private final ReadOnlyStringWrapper advice = new ReadOnlyStringWrapper(this, "advice", "");
    private final ReadOnlyObjectWrapper<Instant> staleSince = new ReadOnlyObjectWrapper<>(this, "staleSince");
    private final ReadOnlyBooleanWrapper stale = new ReadOnlyBooleanWrapper(this, "stale");
    private final ReadOnlyIntegerWrapper reconnects = new ReadOnlyIntegerWrapper(this, "reconnects");
    private final ReadOnlyBooleanWrapper connected = new ReadOnlyBooleanWrapper(this, "connected");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "Not connected.");
    private final ReadOnlyStringWrapper consumersSummary = new ReadOnlyStringWrapper(this, "consumersSummary", "");
    private final ReadOnlyStringWrapper driftSummary = new ReadOnlyStringWrapper(this, "driftSummary", "");
    private final ReadOnlyBooleanWrapper drifted = new ReadOnlyBooleanWrapper(this, "drifted");
    private final ReadOnlyStringWrapper publishResult = new ReadOnlyStringWrapper(this, "publishResult", "");
    private final ReadOnlyObjectWrapper<Severity> publishSeverity = new ReadOnlyObjectWrapper<>(this, "publishSeverity", Severity.IDLE);
    private final ReadOnlyStringWrapper messagesTitle = new ReadOnlyStringWrapper(this, "messagesTitle", "");
    private final ReadOnlyStringWrapper actionResult = new ReadOnlyStringWrapper(this, "actionResult", "");
    private final ReadOnlyObjectWrapper<Severity> actionSeverity = new ReadOnlyObjectWrapper<>(this, "actionSeverity", Severity.IDLE);
    private final ReadOnlyObjectWrapper<Confirmation> pendingConfirmation = new ReadOnlyObjectWrapper<>(this, "pendingConfirmation");
    private final ReadOnlyStringWrapper confirmationProblem = new ReadOnlyStringWrapper(this, "confirmationProblem", "");
    private final ReadOnlyStringWrapper sourceLabel = new ReadOnlyStringWrapper(this, "sourceLabel", "");
    /** How far a running recreate is, 0 to 1; -1 while nothing runs. */
    private final ReadOnlyDoubleWrapper actionProgress = new ReadOnlyDoubleWrapper(this, "actionProgress", -1);
    private final StringProperty selectedConsumer = new SimpleStringProperty(this, "selectedConsumer");
    private final ObservableList<ConsumerSamples.Sample> selectedSamples = FXCollections.observableArrayList();
    private final ObservableList<ConsumerSamples.Sample> selectedSamplesView = FXCollections.unmodifiableObservableList(selectedSamples);
    private final ReadOnlyStringWrapper chartTitle = new ReadOnlyStringWrapper(this, "chartTitle", "");
    private final NatsPermits permits = new NatsPermits();
    private ObjectNavigator navigator;

    private final ObservableList<StreamRow> streamsView = FXCollections.unmodifiableObservableList(filteredStreams);
    private final ObservableList<ConsumerHealth> consumersView = FXCollections.unmodifiableObservableList(filteredConsumers);
    private final ObservableList<ConsumerHealth> streamConsumersView = FXCollections.unmodifiableObservableList(streamConsumers);
    private final ObservableList<StreamDrift.Row> driftView = FXCollections.unmodifiableObservableList(drift);
    private final ObservableList<StoredMessage> messagesView = FXCollections.unmodifiableObservableList(messages);
    private final ObservableList<String> sourcesView = FXCollections.unmodifiableObservableList(sources);

    /** Changed on the UI thread (and by dispose); background work carries the one it was started for. */
    private volatile long generation;
    private Current current;
    private ClusterSession session;
    private boolean overridden;
    private volatile boolean active = true;
    private volatile FleetProfile profile;

    /** One source being shown: its link (opened and replaced on the background) and its samples. */
    private static final class Current {
        final long generation;
        final NatsSource source;
        final ConsumerSamples samples = new ConsumerSamples(CHART_WINDOW);
        final AtomicBoolean busy = new AtomicBoolean();
        volatile NatsLink link;
        volatile boolean closed;
        volatile boolean everOpened;
        volatile ScheduledFuture<?> timer;

        Current(long generation, NatsSource source) {
            this.generation = generation;
            this.source = source;
        }

        synchronized void close() {
            closed = true;
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
            NatsLink l = link;
            link = null;
            if (l != null) {
                l.close();
            }
        }
    }

    public NatsViewModel(Supplier<FleetProfile> profile, Consumer<AuditEntry> journal, NatsContexts natsContexts,
                         ScheduledExecutorService background, Executor ui, Clock clock, Duration period) {
        this.profileSupplier = Objects.requireNonNull(profile);
        this.journal = Objects.requireNonNull(journal);
        this.natsContexts = natsContexts;
        this.background = Objects.requireNonNull(background);
        this.ui = Objects.requireNonNull(ui);
        this.clock = Objects.requireNonNull(clock);
        this.period = Objects.requireNonNull(period);
        streamFilter.addListener((o, old, now) -> filteredStreams.setPredicate(s -> matches(s, now)));
        consumerFilter.addListener((o, old, now) -> updateConsumerFilter());
        staleOnly.addListener((o, old, now) -> updateConsumerFilter());
        selectedStream.addListener((o, old, now) -> streamConsumers.setPredicate(c -> now != null && now.equals(c.consumer().stream())));
        selectedConsumer.addListener((o, old, now) -> updateSamples(current));
        permits.update(null);
        sources.setAll(CLUSTER_SOURCE);
    }

    /** The first choice of the source list: the cluster's NATS by port-forward. */
    public static final String CLUSTER_SOURCE = "Cluster (port-forward to nats)";
    /** The prefix of a natscli context in the source list. */
    public static final String CONTEXT_PREFIX = "nats context ";

    // ---- what the view binds -------------------------------------------------------------------

    /** The streams that pass the filter. */
    public ObservableList<StreamRow> streams() {
        return streamsView;
    }

    /** Every consumer of every stream that passes the consumer filter (and "stale only"). */
    public ObservableList<ConsumerHealth> allConsumers() {
        return consumersView;
    }

    /** The consumers of the selected stream. */
    public ObservableList<ConsumerHealth> streamConsumers() {
        return streamConsumersView;
    }

    public ObservableList<StreamDrift.Row> drift() {
        return driftView;
    }

    /** The last messages read with {@link #showLastMessages()}, oldest first. */
    public ObservableList<StoredMessage> messages() {
        return messagesView;
    }

    /** The cluster, then each natscli context. */
    public ObservableList<String> sources() {
        return sourcesView;
    }

    public StringProperty streamFilterProperty() {
        return streamFilter;
    }

    public StringProperty consumerFilterProperty() {
        return consumerFilter;
    }

    public BooleanProperty staleOnlyProperty() {
        return staleOnly;
    }

    /** The stream whose consumers, messages and actions are shown; null for none. */
    public StringProperty selectedStreamProperty() {
        return selectedStream;
    }

    public StringProperty publishSubjectProperty() {
        return publishSubject;
    }

    public StringProperty publishDataProperty() {
        return publishData;
    }

    /** Restricts "last messages" to one subject when not blank. */
    public StringProperty messagesSubjectProperty() {
        return messagesSubject;
    }

    public ReadOnlyObjectProperty<Severity> connectionSeverityProperty() {
        return connectionSeverity.getReadOnlyProperty();
    }

    /** "Connected to NATS at …", "Stale since 12:03:04 (40s ago): lost the connection…; reconnecting". */
    public ReadOnlyStringProperty connectionTextProperty() {
        return connectionText.getReadOnlyProperty();
    }

    /** What to do about the connection problem; empty when there is none. */
    public ReadOnlyStringProperty adviceProperty() {
        return advice.getReadOnlyProperty();
    }

    /** When what is shown stopped being fresh; null while it is. */
    public ReadOnlyObjectProperty<Instant> staleSinceProperty() {
        return staleSince.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty staleProperty() {
        return stale.getReadOnlyProperty();
    }

    public boolean isStale() {
        return stale.get();
    }

    /** How many times the link came back after it was lost, for this source. */
    public ReadOnlyIntegerProperty reconnectsProperty() {
        return reconnects.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty connectedProperty() {
        return connected.getReadOnlyProperty();
    }

    public boolean isConnected() {
        return connected.get();
    }

    /** True once the current source was read at least once. */
    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public boolean isLoaded() {
        return loaded.get();
    }

    /** "5 streams, 1,234 messages, 14 consumers (1 stale), read at 12:03:04". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty consumersSummaryProperty() {
        return consumersSummary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty driftSummaryProperty() {
        return driftSummary.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty driftedProperty() {
        return drifted.getReadOnlyProperty();
    }

    /** Where the test message went, or why it did not. */
    public ReadOnlyStringProperty publishResultProperty() {
        return publishResult.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Severity> publishSeverityProperty() {
        return publishSeverity.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messagesTitleProperty() {
        return messagesTitle.getReadOnlyProperty();
    }

    /** What the last purge or delete did, or why it did not. */
    public ReadOnlyStringProperty actionResultProperty() {
        return actionResult.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Severity> actionSeverityProperty() {
        return actionSeverity.getReadOnlyProperty();
    }

    /** A destructive action waiting for a yes; null when none is. */
    public ReadOnlyObjectProperty<Confirmation> pendingConfirmationProperty() {
        return pendingConfirmation.getReadOnlyProperty();
    }

    public Confirmation getPendingConfirmation() {
        return pendingConfirmation.get();
    }

    /** Why the last {@link #confirm(String)} was refused (the name typed back did not match). */
    public ReadOnlyStringProperty confirmationProblemProperty() {
        return confirmationProblem.getReadOnlyProperty();
    }

    /** Where the data comes from, in words. */
    public ReadOnlyStringProperty sourceLabelProperty() {
        return sourceLabel.getReadOnlyProperty();
    }

    public Optional<StreamRow> stream(String name) {
        return streams.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The NATS changes refused in this session (read-only mode), with the reason; the view guards its buttons with it. */
    public NatsPermits permits() {
        return permits;
    }

    /** How far a running recreate is, 0 to 1; -1 while none runs. */
    public ReadOnlyDoubleProperty actionProgressProperty() {
        return actionProgress.getReadOnlyProperty();
    }

    /** The consumer whose chart is shown, as {@link ConsumerRow#key()} ({@code STREAM > durable}); null for none. */
    public StringProperty selectedConsumerProperty() {
        return selectedConsumer;
    }

    /**
     * The selected consumer's readings over the last minutes, oldest first: unprocessed and ack pending
     * as sampled by each read while the area was shown. A bounded ring per consumer
     * ({@link ConsumerSamples#DEFAULT_CAPACITY} readings, {@link #CHART_WINDOW}).
     */
    public ObservableList<ConsumerSamples.Sample> selectedSamples() {
        return selectedSamplesView;
    }

    /** "PLANNING_EVENTS > orch-…: 4,012 unprocessed, 3 ack pending; 40 readings over the last 2m". */
    public ReadOnlyStringProperty chartTitleProperty() {
        return chartTitle.getReadOnlyProperty();
    }

    /** Where "go to pod" leads (the shell's navigation to the Pods area); null: nowhere. */
    public void setNavigator(ObjectNavigator value) {
        navigator = value;
    }

    // ---- where from ----------------------------------------------------------------------------

    /** The window's cluster session changed: its NATS is shown, unless the operator chose another source. */
    public void show(ClusterSession session) {
        this.session = session;
        permits.update(session);
        if (!overridden) {
            connectTo(session == null ? null : NatsSource.cluster(session));
        }
    }

    /** Back to the cluster's NATS by port-forward. */
    public void useCluster() {
        overridden = false;
        connectTo(session == null ? null : NatsSource.cluster(session));
    }

    /** A NATS URL the workstation can reach, instead of the cluster's. */
    public void useUrl(String url) {
        if (url == null || url.isBlank()) {
            return;
        }
        overridden = true;
        String ns = session == null ? "" : session.namespace();
        connectTo(new NatsSource(new NatsTarget.Url(url.trim()), null, url.trim(), ns));
    }

    /** A source of {@link #sources()}: the cluster, or a natscli context. */
    public void useSource(String choice) {
        if (choice == null || choice.equals(CLUSTER_SOURCE)) {
            useCluster();
            return;
        }
        if (!choice.startsWith(CONTEXT_PREFIX) || natsContexts == null) {
            return;
        }
        String name = choice.substring(CONTEXT_PREFIX.length());
        overridden = true;
        String ns = session == null ? "" : session.namespace();
        background.execute(() -> {
            try {
                NatsSource source = new NatsSource(new NatsTarget.Context(natsContexts.read(name)), null, "nats context " + name, ns);
                ui.execute(() -> connectTo(source));
            } catch (NatsProblem p) {
                ui.execute(() -> {
                    connectionSeverity.set(Severity.PROBLEM);
                    connectionText.set(p.getMessage());
                    advice.set(p.whatToDo());
                });
            }
        });
    }

    /** Reads the natscli contexts of the operator (on the background) into {@link #sources()}. */
    public void loadSources() {
        if (natsContexts == null) {
            return;
        }
        background.execute(() -> {
            List<String> names = natsContexts.names();
            ui.execute(() -> {
                List<String> all = new ArrayList<>();
                all.add(CLUSTER_SOURCE);
                names.forEach(n -> all.add(CONTEXT_PREFIX + n));
                if (!all.equals(sources)) {
                    sources.setAll(all);
                }
            });
        });
    }

    /** Shows this source from now on (null: nothing). Call on the UI thread. */
    public void connectTo(NatsSource source) {
        stopCurrent();
        long gen = ++generation;
        streams.clear();
        consumers.clear();
        drift.clear();
        messages.clear();
        messagesTitle.set("");
        loaded.set(false);
        connected.set(false);
        stale.set(false);
        staleSince.set(null);
        reconnects.set(0);
        advice.set("");
        pendingConfirmation.set(null);
        selectedSamples.clear();
        chartTitle.set("");
        if (source == null) {
            current = null;
            sourceLabel.set("");
            connectionSeverity.set(Severity.IDLE);
            connectionText.set("Not connected");
            summary.set("Not connected to a cluster. Connect to one, or give a NATS URL.");
            return;
        }
        Current c = new Current(gen, source);
        current = c;
        sourceLabel.set(source.label());
        connectionSeverity.set(Severity.BUSY);
        connectionText.set("Connecting to NATS at " + source.label() + "…");
        summary.set("Reading the streams…");
        c.timer = background.scheduleWithFixedDelay(() -> tick(c), 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Shown or hidden: the statistics are read only while the area is shown. */
    public void setActive(boolean value) {
        boolean was = active;
        active = value;
        if (value && !was) {
            refresh();
        }
    }

    /** Reads again now (F5, and after every action). */
    public void refresh() {
        Current c = current;
        if (c != null) {
            background.execute(() -> tick(c));
        }
    }

    /**
     * Stops reading and closes the link (in the background). Touches no property, so it may run after
     * the FX toolkit has stopped.
     */
    public void dispose() {
        generation++;
        stopCurrent();
        current = null;
    }

    private void stopCurrent() {
        Current previous = current;
        if (previous != null) {
            // Closing a link talks to the server (and the port-forward): never on the FX thread.
            background.execute(previous::close);
        }
    }

    // ---- the timer (background) ----------------------------------------------------------------

    private void tick(Current c) {
        if (c.closed || c.generation != generation || !active) {
            return;
        }
        if (!c.busy.compareAndSet(false, true)) {
            return;   // the previous read is still running: this one joins it
        }
        try {
            NatsLink link = ensureLink(c);
            if (link == null) {
                return;
            }
            read(c, link);
        } finally {
            c.busy.set(false);
        }
    }

    /** The open link, opened (again) when there is none or it has been down too long. */
    private NatsLink ensureLink(Current c) {
        NatsLink link = c.link;
        if (link != null) {
            NatsLink.State s = link.state();
            if (s.connected() || s.staleSince().map(t -> Duration.between(t, clock.instant()).compareTo(REOPEN_AFTER) < 0).orElse(true)) {
                return link;
            }
            // Down for long: the server moved, or the port-forward's pod is gone. A fresh link is made.
            c.link = null;
            link.close();
        }
        try {
            NatsLink opened = NatsLink.open(c.source.target(), c.source.client(), OPEN_TIMEOUT);
            synchronized (c) {
                if (c.closed) {
                    opened.close();
                    return null;
                }
                c.link = opened;
            }
            boolean again = c.everOpened;
            c.everOpened = true;
            opened.onStateChange(state -> ui.execute(() -> linkChanged(c, state)));
            ui.execute(() -> opened(c, again));
            return opened;
        } catch (NatsProblem p) {
            Instant now = clock.instant();
            ui.execute(() -> openFailed(c, p, now));
            return null;
        } catch (RuntimeException e) {
            Instant now = clock.instant();
            ui.execute(() -> openFailed(c, new NatsProblem(NatsProblem.Kind.UNREACHABLE, "Cannot reach NATS at " + c.source.label()
                    + ": " + rootMessage(e) + ".", "It is tried again every few seconds.", e), now));
            return null;
        }
    }

    private record Snapshot(List<StreamRow> streams, List<ConsumerHealth> consumers, List<StreamDrift.Row> drift, Instant at) {
    }

    private void read(Current c, NatsLink link) {
        try {
            JetStreamInventory inventory = new JetStreamInventory(link.management());
            List<StreamRow> s = inventory.streams();
            List<ConsumerRow> all = inventory.allConsumers(s);
            Instant now = clock.instant();
            c.samples.record(now, all);
            c.samples.retainOnly(all);
            FleetProfile p = profile();
            List<ConsumerHealth> judged = all.stream().map(x -> ConsumerHealth.judge(x, p, c.samples, now)).toList();
            List<StreamDrift.Row> d = StreamDrift.compare(p, s);
            Snapshot snapshot = new Snapshot(s, judged, d, now);
            ui.execute(() -> apply(c, snapshot));
        } catch (NatsProblem e) {
            Instant now = clock.instant();
            ui.execute(() -> readFailed(c, e, now));
        } catch (RuntimeException e) {
            Instant now = clock.instant();
            ui.execute(() -> readFailed(c, new NatsProblem(NatsProblem.Kind.UNREACHABLE, "Could not read the streams: " + rootMessage(e),
                    "It is tried again every few seconds.", e), now));
        }
    }

    private FleetProfile profile() {
        FleetProfile p = profile;
        if (p == null) {
            p = profileSupplier.get();
            profile = p;
        }
        return p;
    }

    // ---- results (UI thread) -------------------------------------------------------------------

    private boolean isCurrent(Current c) {
        return c == current && c.generation == generation;
    }

    private void opened(Current c, boolean again) {
        if (!isCurrent(c)) {
            return;
        }
        if (again) {
            reconnects.set(reconnects.get() + 1);
        }
        connected.set(true);
        advice.set("");
        showConnection(c);
    }

    private void linkChanged(Current c, NatsLink.State state) {
        if (!isCurrent(c)) {
            return;
        }
        boolean was = connected.get();
        connected.set(state.connected());
        if (!state.connected()) {
            markStale(state.staleSince().orElse(clock.instant()));
            advice.set("It reconnects by itself; the data shown is the last read, not current.");
        } else if (!was) {
            reconnects.set(reconnects.get() + 1);
            advice.set("");
            refresh();
        }
        showConnection(c);
    }

    private void openFailed(Current c, NatsProblem p, Instant at) {
        if (!isCurrent(c)) {
            return;
        }
        connected.set(false);
        if (loaded.get()) {
            markStale(at);
        }
        advice.set(p.whatToDo() + " Trying again every " + everyPeriod() + ".");
        if (!loaded.get()) {
            connectionSeverity.set(Severity.PROBLEM);
            connectionText.set(p.getMessage());
            summary.set("Nothing read yet from " + c.source.label() + ".");
        } else {
            showConnection(c, p.getMessage());
        }
    }

    private void readFailed(Current c, NatsProblem p, Instant at) {
        if (!isCurrent(c)) {
            return;
        }
        if (loaded.get()) {
            markStale(at);
            showConnection(c, p.getMessage());
        } else {
            connectionSeverity.set(Severity.PROBLEM);
            connectionText.set(p.getMessage());
        }
        advice.set(p.whatToDo());
    }

    private void markStale(Instant since) {
        if (staleSince.get() == null) {
            staleSince.set(since);
        }
        stale.set(true);
    }

    private void apply(Current c, Snapshot s) {
        if (!isCurrent(c)) {
            return;
        }
        // Replacing equal rows would reset the tables' selection and scroll position every read.
        if (!new ArrayList<>(streams).equals(s.streams())) {
            streams.setAll(s.streams());
        }
        if (!new ArrayList<>(consumers).equals(s.consumers())) {
            consumers.setAll(s.consumers());
        }
        if (!new ArrayList<>(drift).equals(s.drift())) {
            drift.setAll(s.drift());
        }
        stale.set(false);
        staleSince.set(null);
        connected.set(c.link != null && c.link.state().connected());
        long msgs = s.streams().stream().mapToLong(StreamRow::messages).sum();
        long staleCount = s.consumers().stream().filter(ConsumerHealth::stale).count();
        summary.set(String.format("%s, %s, %s%s; read at %s, every %s while shown.",
                plural(s.streams().size(), "stream"), plural(msgs, "message"), plural(s.consumers().size(), "consumer"),
                staleCount == 0 ? "" : " (" + staleCount + " stale)", NatsFormat.time(s.at(), clock), everyPeriod()));
        consumersSummary.set(staleCount == 0 ? s.consumers().size() + " consumers across " + s.streams().size() + " streams, none stale."
                : String.format("%d consumers across %d streams; %d stale (no interest for long, or work piling up unacknowledged).",
                s.consumers().size(), s.streams().size(), staleCount));
        boolean d = StreamDrift.drifted(s.drift());
        drifted.set(d);
        long differ = s.drift().stream().filter(r -> r.kind() != StreamDrift.Kind.SAME).count();
        driftSummary.set(d ? differ + " of " + s.drift().size() + " streams differ from the profile's declared streams."
                : "The server has exactly the " + s.drift().size() + " declared streams, as declared.");
        if (selectedStream.get() != null && s.streams().stream().noneMatch(x -> x.name().equals(selectedStream.get()))) {
            selectedStream.set(null);
        }
        showConnection(c);
        updateSamples(c);
        // Last: whoever waits for "loaded" finds everything else of this read in place.
        loaded.set(true);
    }

    private void showConnection(Current c) {
        showConnection(c, "");
    }

    /** The selected consumer's series, copied from the ring (UI thread). */
    private void updateSamples(Current c) {
        String key = selectedConsumer.get();
        if (c == null || key == null || !isCurrent(c)) {
            selectedSamples.clear();
            chartTitle.set(key == null ? "Choose a consumer to see its unprocessed and ack pending counts over the last minutes." : "");
            return;
        }
        List<ConsumerSamples.Sample> series = c.samples.series(key);
        if (!series.equals(selectedSamples)) {
            selectedSamples.setAll(series);
        }
        if (series.isEmpty()) {
            chartTitle.set(key + ": no readings yet; one is taken every " + everyPeriod() + " while this area is shown.");
            return;
        }
        ConsumerSamples.Sample last = series.get(series.size() - 1);
        Duration span = Duration.between(series.get(0).time(), last.time());
        chartTitle.set(String.format("%s: %,d unprocessed, %,d ack pending; %s over the last %s (every %s while shown).",
                key, last.unprocessed(), last.ackPending(), plural(series.size(), "reading"), ConsumerHealth.human(span), everyPeriod()));
    }

    private void showConnection(Current c, String problem) {
        Instant since = staleSince.get();
        String again = reconnects.get() == 0 ? "" : ", reconnected " + reconnects.get() + (reconnects.get() == 1 ? " time" : " times");
        if (since != null) {
            connectionSeverity.set(Severity.WARNING);
            String why = !problem.isEmpty() ? problem
                    : c.link != null ? c.link.state().why() : "lost the connection to " + c.source.label();
            connectionText.set("Stale since " + NatsFormat.when(Optional.of(since), clock) + ": " + why + again);
        } else if (connected.get()) {
            connectionSeverity.set(Severity.OK);
            connectionText.set("Connected to NATS at " + c.source.label() + again);
        } else {
            connectionSeverity.set(Severity.BUSY);
            connectionText.set("Connecting to NATS at " + c.source.label() + "…" + again);
        }
    }

    // ---- actions -------------------------------------------------------------------------------

    /** The equivalent {@code nats} commands for the current source. */
    public NatsCliCommands commands() {
        Current c = current;
        NatsTarget target = c != null ? c.source.target()
                : NatsTarget.InCluster.fleet(session == null ? "swe-ai-fleet" : session.namespace());
        return NatsCliCommands.forTarget(target);
    }

    public String publishCommand() {
        return commands().publish(nullToEmpty(publishSubject.get()), nullToEmpty(publishData.get()));
    }

    public String lastMessagesCommand() {
        return commands().view(nullToEmpty(selectedStream.get()), Optional.ofNullable(messagesSubject.get()), LAST_MESSAGES);
    }

    /** The workload that owns a consumer, by the profile's durables; empty for a durable no service claims. */
    public Optional<WorkloadRef> ownerWorkload(ConsumerHealth consumer) {
        FleetProfile p = profile;
        if (consumer == null || consumer.owner().isEmpty() || p == null) {
            return Optional.empty();
        }
        return p.service(consumer.owner().get()).map(NatsViewModel::workloadOf);
    }

    private static WorkloadRef workloadOf(ServiceSpec s) {
        return new WorkloadRef(s.kind() == WorkloadKind.STATEFULSET ? "StatefulSet" : "Deployment", s.name());
    }

    /** The consumer of {@link #allConsumers()} with this key, whatever the filters. */
    public Optional<ConsumerHealth> consumer(String key) {
        return key == null ? Optional.empty() : consumers.stream().filter(h -> h.consumer().key().equals(key)).findFirst();
    }

    /**
     * Opens the Pods area on the pods of the workload that owns the consumer. Says why not, in the
     * action line, when no service of the profile owns it or the console has nowhere to go.
     */
    public boolean goToOwner(ConsumerHealth consumer) {
        if (consumer == null) {
            return false;
        }
        Optional<WorkloadRef> owner = ownerWorkload(consumer);
        if (owner.isEmpty()) {
            actionSeverity.set(Severity.WARNING);
            actionResult.set("No service of the profile owns " + consumer.consumer().key()
                    + ": its durable name is not among any service's durables, so there is no pod to go to.");
            return false;
        }
        if (navigator == null || !navigator.show(owner.get().kind(), owner.get().name())) {
            actionSeverity.set(Severity.WARNING);
            actionResult.set(consumer.consumer().key() + " belongs to " + owner.get().kubectlName()
                    + ", but the Pods area is not available here.");
            return false;
        }
        return true;
    }

    /** Says why a NATS change is refused (read-only mode) in the line of its kind; true when it is. */
    private boolean refused(String action, Consumer<String> say) {
        String why = permits.refusalNow(action);
        if (why != null) {
            say.accept(why);
            return true;
        }
        return false;
    }

    private void refusedAction(String why) {
        actionSeverity.set(Severity.PROBLEM);
        actionResult.set(why);
    }

    /** The test publish of the runbook; says which stream took it at which sequence, and which consumers moved. */
    public void publish() {
        if (refused(NatsPermits.PUBLISH, why -> {
            publishSeverity.set(Severity.PROBLEM);
            publishResult.set("Not published. " + why);
        })) {
            return;
        }
        String subject = nullToEmpty(publishSubject.get()).trim();
        String data = nullToEmpty(publishData.get());
        withActions("publish", actions -> {
            NatsActions.PublishResult r = actions.publish(subject, data);
            String text = r.stream().isEmpty()
                    ? "Published to " + subject + ": no stream captures it, so only live core subscribers got it."
                    : "Published to " + subject + ": stream " + r.stream().get() + ", sequence " + r.sequence() + ". "
                    + (r.consumersMoved().isEmpty() ? "No consumer's count moved (none filters on this subject)."
                    : "Consumers that got it: " + String.join(", ", r.consumersMoved()) + ".");
            Severity level = r.stream().isEmpty() ? Severity.WARNING : Severity.OK;
            return () -> {
                publishSeverity.set(level);
                publishResult.set(text);
            };
        }, p -> {
            publishSeverity.set(Severity.PROBLEM);
            publishResult.set("Not published: " + p.getMessage() + " " + p.whatToDo());
        });
    }

    /** The last messages of the selected stream (of one subject when given), read without leaving state on the server. */
    public void showLastMessages() {
        String stream = selectedStream.get();
        if (stream == null) {
            messagesTitle.set("Choose a stream first.");
            return;
        }
        Optional<String> subject = Optional.ofNullable(messagesSubject.get()).map(String::trim).filter(s -> !s.isEmpty());
        messagesTitle.set("Reading the last messages of " + stream + "…");
        withActions("last messages", actions -> {
            List<StoredMessage> read = actions.lastMessages(stream, subject, LAST_MESSAGES);
            String title = read.isEmpty() ? "No messages in " + stream + subject.map(s -> " on " + s).orElse("") + "."
                    : "The last " + read.size() + " messages of " + stream + subject.map(s -> " on " + s).orElse("")
                    + ", newest last (read directly; no consumer created).";
            return () -> {
                messages.setAll(read);
                messagesTitle.set(title);
            };
        }, p -> messagesTitle.set("Could not read the messages of " + stream + ": " + p.getMessage()));
    }

    /** Asks what purging the stream destroys; the answer waits in {@link #pendingConfirmationProperty()}. */
    public void requestPurge(String stream) {
        prepare(Confirmation.Kind.PURGE_STREAM, stream, Optional.empty());
    }

    /** Asks what deleting the stream destroys; confirming needs its name typed back. */
    public void requestDeleteStream(String stream) {
        prepare(Confirmation.Kind.DELETE_STREAM, stream, Optional.empty());
    }

    /** Asks what deleting the consumer loses. */
    public void requestDeleteConsumer(String stream, String consumer) {
        prepare(Confirmation.Kind.DELETE_CONSUMER, stream, Optional.of(consumer));
    }

    /**
     * Asks what recreating the profile's declared streams destroys and creates: the streams that exist
     * are deleted with their messages and consumers, then every declared one is created as declared.
     */
    public void requestRecreate() {
        if (refused(NatsPermits.RECREATE, this::refusedAction)) {
            return;
        }
        NatsCliCommands commands = commands();
        confirmationProblem.set("");
        withActions("recreate the declared streams", actions -> {
            FleetProfile p = profile();
            List<Impact> parts = actions.recreateImpact(p);
            java.util.Set<String> existing = new java.util.HashSet<>();
            parts.stream().filter(i -> !"create stream".equals(i.action())).forEach(i -> existing.add(i.target()));
            Confirmation confirmation = Confirmation.recreate(parts, commands.recreate(p.streams(), existing));
            return () -> pendingConfirmation.set(confirmation);
        }, p -> {
            actionSeverity.set(Severity.PROBLEM);
            actionResult.set("Cannot recreate the declared streams: " + p.getMessage());
        });
    }

    private static String permitOf(Confirmation.Kind kind) {
        return switch (kind) {
            case PURGE_STREAM -> NatsPermits.PURGE;
            case DELETE_STREAM -> NatsPermits.DELETE_STREAM;
            case DELETE_CONSUMER -> NatsPermits.DELETE_CONSUMER;
            case RECREATE_DECLARED -> NatsPermits.RECREATE;
        };
    }

    private void prepare(Confirmation.Kind kind, String stream, Optional<String> consumer) {
        if (stream == null || refused(permitOf(kind), this::refusedAction)) {
            return;
        }
        NatsCliCommands commands = commands();
        confirmationProblem.set("");
        withActions(kind.title().toLowerCase(Locale.ROOT), actions -> {
            Impact impact = switch (kind) {
                case PURGE_STREAM -> actions.purgeImpact(stream);
                case DELETE_STREAM -> actions.deleteStreamImpact(stream);
                case DELETE_CONSUMER -> actions.deleteConsumerImpact(stream, consumer.orElseThrow());
                case RECREATE_DECLARED -> throw new IllegalArgumentException("recreate is asked by requestRecreate");
            };
            String command = switch (kind) {
                case PURGE_STREAM -> commands.purge(stream);
                case DELETE_STREAM -> commands.deleteStream(stream);
                case DELETE_CONSUMER -> commands.deleteConsumer(stream, consumer.orElseThrow());
                case RECREATE_DECLARED -> throw new IllegalArgumentException("recreate is asked by requestRecreate");
            };
            Confirmation confirmation = new Confirmation(kind, stream, consumer, impact,
                    kind == Confirmation.Kind.DELETE_STREAM ? Optional.of(stream) : Optional.empty(), command);
            return () -> pendingConfirmation.set(confirmation);
        }, p -> {
            actionSeverity.set(Severity.PROBLEM);
            actionResult.set("Cannot " + kind.title().toLowerCase(Locale.ROOT) + " " + stream + ": " + p.getMessage());
        });
    }

    /**
     * The operator said yes. For a deletion, {@code typed} must be the stream's name; otherwise the
     * confirmation stays and says why. Returns whether the action was started.
     */
    public boolean confirm(String typed) {
        Confirmation c = pendingConfirmation.get();
        if (c == null) {
            return false;
        }
        String why = permits.refusalNow(permitOf(c.kind()));
        if (why != null) {
            // Read-only mode came on while the dialog was open.
            pendingConfirmation.set(null);
            refusedAction(why);
            return false;
        }
        if (c.typeBack().isPresent() && !c.typeBack().get().equals(typed == null ? "" : typed.trim())) {
            confirmationProblem.set(c.typeBackProblem());
            return false;
        }
        confirmationProblem.set("");
        pendingConfirmation.set(null);
        actionSeverity.set(Severity.BUSY);
        actionResult.set(c.title() + "…");
        if (c.kind() == Confirmation.Kind.RECREATE_DECLARED) {
            actionProgress.set(0);
        }
        withActions(c.kind().title().toLowerCase(Locale.ROOT), actions -> {
            String done = switch (c.kind()) {
                case PURGE_STREAM -> {
                    actions.purge(c.stream());
                    yield String.format("Purged %s: %,d messages (%s) destroyed; its %d consumers kept.", c.stream(),
                            c.impact().messages(), NatsFormat.bytes(c.impact().bytes()), c.impact().consumers());
                }
                case DELETE_STREAM -> {
                    actions.deleteStream(c.stream());
                    yield String.format("Deleted stream %s with %,d messages (%s) and %d consumers.", c.stream(),
                            c.impact().messages(), NatsFormat.bytes(c.impact().bytes()), c.impact().consumers());
                }
                case DELETE_CONSUMER -> {
                    actions.deleteConsumer(c.stream(), c.consumer().orElseThrow());
                    yield "Deleted consumer " + c.stream() + " > " + c.consumer().orElseThrow() + ".";
                }
                case RECREATE_DECLARED -> {
                    List<String> created = actions.recreateDeclared(profile(), (step, total, what) -> ui.execute(() -> {
                        if (actionProgress.get() >= 0) {
                            actionProgress.set(total == 0 ? 1 : (double) step / total);
                            actionResult.set(String.format("Recreating the declared streams: %d of %d steps done; %s…", step, total, what));
                        }
                    }));
                    yield String.format("Recreated the declared streams: %d created as declared (%s); %,d messages and %d consumers "
                            + "were destroyed with the %d that existed.", created.size(), String.join(", ", created),
                            c.impact().messages(), c.impact().consumers(),
                            c.parts().stream().filter(i -> !"create stream".equals(i.action())).count());
                }
            };
            return () -> {
                actionProgress.set(-1);
                actionSeverity.set(Severity.OK);
                actionResult.set(done + " Recorded in the audit journal.");
            };
        }, p -> {
            actionProgress.set(-1);
            actionSeverity.set(Severity.PROBLEM);
            actionResult.set(c.title() + " failed: " + p.getMessage() + " " + p.whatToDo());
        });
        return true;
    }

    /** The operator said no: nothing is done. */
    public void cancelConfirmation() {
        pendingConfirmation.set(null);
        confirmationProblem.set("");
    }

    /** Work with the server's actions, off the FX thread; the result is applied on the UI thread and the data read again. */
    @FunctionalInterface
    private interface ActionWork {
        Runnable run(NatsActions actions) throws NatsProblem;
    }

    private void withActions(String what, ActionWork work, Consumer<NatsProblem> failed) {
        Current c = current;
        if (c == null) {
            failed.accept(new NatsProblem(NatsProblem.Kind.UNREACHABLE, "Not connected to NATS.", "Connect to a cluster, or give a NATS URL."));
            return;
        }
        background.execute(() -> {
            NatsLink link = c.link;
            if (link == null || !link.state().connected()) {
                NatsProblem p = new NatsProblem(NatsProblem.Kind.UNREACHABLE, "NATS at " + c.source.label() + " is not connected right now.",
                        "Wait for the reconnect (the connection line says when), then try again.");
                ui.execute(() -> {
                    if (isCurrent(c)) {
                        failed.accept(p);
                    }
                });
                return;
            }
            try {
                Runnable apply = work.run(new NatsActions(link, c.source.context(), c.source.namespace(), journal, clock));
                ui.execute(() -> {
                    if (isCurrent(c)) {
                        apply.run();
                    }
                });
            } catch (NatsProblem p) {
                ui.execute(() -> {
                    if (isCurrent(c)) {
                        failed.accept(p);
                    }
                });
            } catch (RuntimeException e) {
                NatsProblem p = new NatsProblem(NatsProblem.Kind.UNREACHABLE, "Could not " + what + ": " + rootMessage(e), "Try again.", e);
                ui.execute(() -> {
                    if (isCurrent(c)) {
                        failed.accept(p);
                    }
                });
            }
            tick(c);
        });
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void updateConsumerFilter() {
        String text = nullToEmpty(consumerFilter.get()).trim().toLowerCase(Locale.ROOT);
        boolean onlyStale = staleOnly.get();
        filteredConsumers.setPredicate(h -> (!onlyStale || h.stale()) && (text.isEmpty()
                || h.consumer().durable().toLowerCase(Locale.ROOT).contains(text)
                || h.consumer().stream().toLowerCase(Locale.ROOT).contains(text)
                || h.owner().map(o -> o.toLowerCase(Locale.ROOT).contains(text)).orElse(false)
                || h.consumer().filterSubjects().stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).contains(text))));
    }

    private static String plural(long n, String word) {
        return String.format("%,d %s%s", n, word, n == 1 ? "" : "s");
    }

    private String everyPeriod() {
        return period.toMillis() % 1000 == 0 ? period.toSeconds() + " s" : period.toMillis() + " ms";
    }

    private static boolean matches(StreamRow s, String filter) {
        String text = nullToEmpty(filter).trim().toLowerCase(Locale.ROOT);
        return text.isEmpty() || s.name().toLowerCase(Locale.ROOT).contains(text)
                || s.subjects().stream().anyMatch(x -> x.toLowerCase(Locale.ROOT).contains(text));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
