package fleet.console.ui.shell;

import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.ConnectionProblem;
import fleet.console.cluster.KubeconfigFile;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.FaultKind;
import fleet.console.ui.common.Theme;
import fleet.console.cluster.WorkloadHealth;
import fleet.console.ui.overview.OverviewViewModel;
import fleet.console.audit.AuditJournal;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.ui.common.FrameBatcher;
import fleet.console.ui.events.ClusterEventsGateway;
import fleet.console.ui.events.EventsViewModel;
import fleet.console.ui.events.ObjectNavigator;
import fleet.console.ui.pods.ClusterPodsGateway;
import fleet.console.ui.pods.PodsViewModel;
import fleet.console.ui.runbooks.RunSetup;
import fleet.console.ui.runbooks.RunbooksViewModel;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * State and commands of the console's main window, without a window: the connection (what to connect
 * to, how it stands, what went wrong and what to do), the areas, the theme and the sandbox's faults.
 * <p>
 * Every connection attempt runs on the background executor; only its result comes back, through the
 * UI executor. A newer attempt supersedes an older one (its late result is closed and dropped), and a
 * failed attempt leaves the previous connection open and shown: an operator who mistypes a context
 * keeps looking at the cluster they had, with the reason next to it.
 */
public final class MainViewModel {

    /** The fleet's namespace when no profile says otherwise. */
    public static final String DEFAULT_NAMESPACE = "swe-ai-fleet";

    private final ShellServices services;
    private final ShellOptions options;
    private final Executor background;
    private final Executor ui;
    private final OverviewViewModel overview;
    private final PodsViewModel pods;
    private final EventsViewModel events;
    private final RunbooksViewModel runbooks;

    private final ObservableList<ConnectionTarget> targets = FXCollections.observableArrayList(ConnectionTarget.SANDBOX);
    private final ReadOnlyObjectWrapper<ConnectionTarget> selectedTarget =
            new ReadOnlyObjectWrapper<>(this, "selectedTarget", ConnectionTarget.SANDBOX);
    private final StringProperty namespace = new SimpleStringProperty(this, "namespace", DEFAULT_NAMESPACE);
    private final ReadOnlyObjectWrapper<ConnectionState> state =
            new ReadOnlyObjectWrapper<>(this, "state", ConnectionState.IDLE);
    private final ReadOnlyStringWrapper stateText = new ReadOnlyStringWrapper(this, "stateText", "Not connected");
    private final ReadOnlyObjectWrapper<ShellMessage> message = new ReadOnlyObjectWrapper<>(this, "message");
    private final ReadOnlyObjectWrapper<ClusterSession> session = new ReadOnlyObjectWrapper<>(this, "session");
    private final ReadOnlyStringWrapper connectionLabel =
            new ReadOnlyStringWrapper(this, "connectionLabel", "Not connected");
    private final ReadOnlyStringWrapper serverVersion = new ReadOnlyStringWrapper(this, "serverVersion", "");
    private final ReadOnlyBooleanWrapper connectedToSandbox = new ReadOnlyBooleanWrapper(this, "connectedToSandbox");
    private final ReadOnlyObjectWrapper<LastConnection> lastConnection = new ReadOnlyObjectWrapper<>(this, "lastConnection");
    private final ObjectProperty<Area> area = new SimpleObjectProperty<>(this, "area", Area.OVERVIEW);
    private final ObjectProperty<Theme> theme;
    private final ObservableSet<String> productionContexts = FXCollections.observableSet();
    private final ReadOnlyBooleanWrapper connectedToProduction = new ReadOnlyBooleanWrapper(this, "connectedToProduction");
    private final javafx.beans.property.BooleanProperty readOnly = new javafx.beans.property.SimpleBooleanProperty(this, "readOnly");

    private final ReadOnlyBooleanWrapper faultsAvailable = new ReadOnlyBooleanWrapper(this, "faultsAvailable");
    private final ReadOnlyStringWrapper faultsNote = new ReadOnlyStringWrapper(this, "faultsNote",
            "Faults can be injected only while connected to the sandbox.");
    private final ObservableList<Fault> activeFaults = FXCollections.observableArrayList();
    private final ObservableList<String> workloadNames = FXCollections.observableArrayList();
    // Read-only views made once: a view made per call listens to its list only weakly, and listeners
    // added to it vanish when it is collected.
    private final ObservableList<ConnectionTarget> targetsView = FXCollections.unmodifiableObservableList(targets);
    private final ObservableList<Fault> activeFaultsView = FXCollections.unmodifiableObservableList(activeFaults);
    private final ObservableList<String> workloadNamesView = FXCollections.unmodifiableObservableList(workloadNames);

    private final AtomicLong attempts = new AtomicLong();
    private volatile SandboxHandle sandbox;

    public MainViewModel(ShellServices services, ShellOptions options) {
        this.services = Objects.requireNonNull(services);
        this.options = Objects.requireNonNull(options);
        this.background = services.background();
        this.ui = services.ui();
        this.theme = new SimpleObjectProperty<>(this, "theme", options.theme());
        this.namespace.set(options.defaultNamespace());
        this.productionContexts.addAll(options.productionContexts());
        this.readOnly.set(services.connector().isReadOnly());
        // Switching read-only mode reconnects: the new session's client refuses changes itself
        // (ReadOnlyGuard), so no area can change the cluster by an action it forgot to disable.
        readOnly.addListener((o, old, now) -> {
            if (session.get() != null || state.get() == ConnectionState.CONNECTING) {
                connect();
            }
        });
        productionContexts.addListener((javafx.collections.SetChangeListener<String>) c -> updateProduction());
        session.addListener((o, old, now) -> updateProduction());
        this.overview = new OverviewViewModel(services.health(), services.background(), services.ui(),
                Duration.ofMillis(250), services.clock());
        this.pods = new PodsViewModel(new ClusterPodsGateway(new AuditJournal(services.auditFile())),
                services.background(), services.ui(), services.clock(), FrameBatcher.fxFrames(), options.logBufferLines());
        this.events = new EventsViewModel(new ClusterEventsGateway(), services.background(), services.ui(), services.clock());
        events.setNavigator(new AreaNavigator());
        this.runbooks = new RunbooksViewModel(() -> RunSetup.standard(fleet.console.profile.FleetProfile.defaults(), RunSetup.userStore(),
                services.auditFile()), services.background(), services.ui(), services.clock(), FrameBatcher.fxFrames(),
                options.logBufferLines());
        // A run that did not finish (the console closed or crashed mid-run) is offered at once.
        runbooks.pendingRunProperty().addListener((o, old, now) -> {
            if (now != null && message.get() == null) {
                message.set(new ShellMessage(ShellMessage.Kind.NOTICE, RunbooksViewModel.describe(now),
                        "Open Runbooks (Ctrl+" + Area.RUNBOOKS.shortcutDigit() + ") to resume it or abandon it."));
            }
        });
        connectedToProduction.addListener((o, old, now) -> runbooks.wizard().productionProperty().set(now));
        session.addListener((o, old, now) -> {
            overview.show(now);
            pods.show(now);
            events.show(now);
            runbooks.show(now);
        });
        // An area's watches start the first time it is shown: a namespace of 10,000 pods costs nothing
        // to an operator who only looks at the overview.
        area.addListener((o, old, now) -> activate(now));
        overview.rows().addListener((ListChangeListener<WorkloadHealth>) c -> {
            workloadNames.setAll(overview.rows().stream().map(WorkloadHealth::name).sorted().toList());
            // Faults also arrive without the menu (--fault once the fleet is up): the fleet changing is
            // the moment to look at what the sandbox has active.
            refreshActiveFaults();
        });
        if (!options.notices().isEmpty()) {
            message.set(new ShellMessage(ShellMessage.Kind.NOTICE, String.join("\n", options.notices()), ""));
        }
    }

    // ---- connection --------------------------------------------------------------------------------

    /** Sandbox first, then the contexts of the kubeconfig. */
    public ObservableList<ConnectionTarget> targets() {
        return targetsView;
    }

    public ReadOnlyObjectProperty<ConnectionTarget> selectedTargetProperty() {
        return selectedTarget.getReadOnlyProperty();
    }

    public ConnectionTarget getSelectedTarget() {
        return selectedTarget.get();
    }

    public StringProperty namespaceProperty() {
        return namespace;
    }

    public ReadOnlyObjectProperty<ConnectionState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ConnectionState getState() {
        return state.get();
    }

    /** "Connected to sandbox / swe-ai-fleet", "Connecting to prod / swe-ai-fleet…". */
    public ReadOnlyStringProperty stateTextProperty() {
        return stateText.getReadOnlyProperty();
    }

    /** The banner: what was wrong and what to do; null when there is nothing to say. */
    public ReadOnlyObjectProperty<ShellMessage> messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ShellMessage getMessage() {
        return message.get();
    }

    /** The open session; the areas show what it sees. */
    public ReadOnlyObjectProperty<ClusterSession> sessionProperty() {
        return session.getReadOnlyProperty();
    }

    public ClusterSession getSession() {
        return session.get();
    }

    /** The open session in the status bar's words. */
    public ReadOnlyStringProperty connectionLabelProperty() {
        return connectionLabel.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty serverVersionProperty() {
        return serverVersion.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty connectedToSandboxProperty() {
        return connectedToSandbox.getReadOnlyProperty();
    }

    /** The last connection that worked: what the next start reopens. */
    public ReadOnlyObjectProperty<LastConnection> lastConnectionProperty() {
        return lastConnection.getReadOnlyProperty();
    }

    /**
     * Reads the kubeconfig's contexts and connects to the start target: the one asked for on the
     * command line, else the one of the previous run if it still exists, else the sandbox.
     */
    public void start() {
        background.execute(() -> {
            ContextList contexts = readContexts();
            ui.execute(() -> {
                setContexts(contexts.names());
                contexts.problem().ifPresent(p -> message.set(new ShellMessage(ShellMessage.Kind.NOTICE,
                        p.getMessage(), p.whatToDo() + " The sandbox needs no kubeconfig.")));
                options.namespace().or(() -> options.last().map(LastConnection::namespace))
                        .filter(ns -> !ns.isBlank()).ifPresent(namespace::set);
                // On a first run the welcome view asks where to go; nothing starts behind its back.
                if (!options.firstRun()) {
                    chooseTarget(startTarget(contexts.names()));
                }
            });
        });
    }

    private ConnectionTarget startTarget(List<String> contexts) {
        if (options.openOnSandbox()) {
            return ConnectionTarget.SANDBOX;
        }
        if (options.context().isPresent()) {
            String asked = options.context().get();
            if (asked.equalsIgnoreCase(ConnectionTarget.SANDBOX.context()) && !contexts.contains(asked)) {
                return ConnectionTarget.SANDBOX;
            }
            return ConnectionTarget.context(asked);
        }
        return options.last()
                .map(LastConnection::target)
                .filter(t -> t.sandbox() || contexts.contains(t.context()))
                .orElse(ConnectionTarget.SANDBOX);
    }

    /** The operator picked a target: connect to it with the namespace of the field. */
    public void chooseTarget(ConnectionTarget target) {
        Objects.requireNonNull(target);
        if (!targets.contains(target)) {
            // A context asked for by name that the file lacks: listed so the chooser can show it;
            // connecting says what the file does have.
            targets.add(target);
        }
        selectedTarget.set(target);
        connect();
    }

    /** Connects (or reconnects) to the selected target and namespace. */
    public void connect() {
        ConnectionTarget target = selectedTarget.get();
        String ns = namespace.get() == null ? "" : namespace.get().trim();
        if (ns.isEmpty()) {
            message.set(new ShellMessage(ShellMessage.Kind.CONNECTION_PROBLEM, "No namespace given.",
                    "Type the fleet's namespace, usually " + options.defaultNamespace() + "."));
            return;
        }
        long attempt = attempts.incrementAndGet();
        state.set(ConnectionState.CONNECTING);
        stateText.set("Connecting to " + target.context() + " / " + ns + "…");
        background.execute(() -> {
            try {
                ClusterSession opened = open(target, ns);
                ui.execute(() -> succeeded(attempt, target, opened));
            } catch (ConnectionProblem p) {
                ui.execute(() -> failed(attempt, p.getMessage(), p.whatToDo()));
            } catch (RuntimeException e) {
                ui.execute(() -> failed(attempt, "Connecting to '" + target.context() + "' failed: " + rootMessage(e) + ".",
                        "Try again; kubectl --context " + target.context() + " get namespaces shows whether the "
                                + "cluster answers kubectl."));
            }
        });
    }

    /** Hides the banner. */
    public void dismissMessage() {
        message.set(null);
    }

    private ClusterSession open(ConnectionTarget target, String ns) throws ConnectionProblem {
        if (target.sandbox()) {
            SandboxHandle running = sandbox();
            return services.connector().readOnly(readOnly.get()).connect(running.clientConfig(), ConnectionTarget.SANDBOX.context(), ns, true);
        }
        // Read again at each attempt: the operator may have renewed a token or added a context since.
        KubeconfigFile file = KubeconfigFile.read(services.kubeconfig());
        List<String> names = file.contexts();
        ui.execute(() -> setContexts(names));
        return services.connector().readOnly(readOnly.get()).connect(file, target.context(), ns, ns);
    }

    private SandboxHandle sandbox() throws ConnectionProblem {
        SandboxHandle running = sandbox;
        if (running != null) {
            return running;
        }
        try {
            running = services.sandbox().start();
        } catch (Exception e) {
            throw new ConnectionProblem(ConnectionProblem.Kind.UNREACHABLE,
                    "The embedded sandbox could not start: " + rootMessage(e) + ".",
                    "Restart the console; if it keeps failing, run it from a terminal and send its output.", e);
        }
        sandbox = running;
        return running;
    }

    private void succeeded(long attempt, ConnectionTarget target, ClusterSession opened) {
        if (attempt != attempts.get()) {
            background.execute(opened::close);
            return;
        }
        ClusterSession previous = session.get();
        session.set(opened);
        state.set(ConnectionState.CONNECTED);
        stateText.set("Connected to " + opened.label());
        connectionLabel.set(opened.label() + (opened.sandbox() ? " (embedded sandbox)" : " at " + opened.serverUrl()));
        serverVersion.set("Kubernetes " + opened.serverVersion());
        connectedToSandbox.set(opened.sandbox());
        lastConnection.set(new LastConnection(target, opened.namespace()));
        if (message.get() != null && message.get().kind() == ShellMessage.Kind.CONNECTION_PROBLEM) {
            message.set(null);
        }
        if (previous != null) {
            background.execute(previous::close);
        }
        updateFaults();
    }

    private void failed(long attempt, String whatWasWrong, String whatToDo) {
        if (attempt != attempts.get()) {
            return;
        }
        ClusterSession live = session.get();
        String advice = whatToDo;
        if (live != null) {
            state.set(ConnectionState.CONNECTED);
            stateText.set("Connected to " + live.label());
            advice = whatToDo + " Still connected to " + live.label() + ".";
        } else {
            state.set(ConnectionState.FAILED);
            stateText.set("Not connected");
        }
        message.set(new ShellMessage(ShellMessage.Kind.CONNECTION_PROBLEM, whatWasWrong, advice));
    }

    private void setContexts(List<String> names) {
        List<ConnectionTarget> wanted = new ArrayList<>();
        wanted.add(ConnectionTarget.SANDBOX);
        names.forEach(n -> wanted.add(ConnectionTarget.context(n)));
        ConnectionTarget selected = selectedTarget.get();
        if (selected != null && !wanted.contains(selected)) {
            wanted.add(selected);
        }
        // Left alone when nothing changed, so an open chooser popup does not flicker.
        if (!wanted.equals(targets)) {
            targets.setAll(wanted);
        }
    }

    private record ContextList(List<String> names, Optional<ConnectionProblem> problem) {
    }

    private ContextList readContexts() {
        try {
            return new ContextList(KubeconfigFile.read(services.kubeconfig()).contexts(), Optional.empty());
        } catch (ConnectionProblem p) {
            // No kubeconfig at all is the normal case on a demo laptop: nothing to tell.
            boolean absent = p.kind() == ConnectionProblem.Kind.KUBECONFIG_MISSING && !Files.exists(services.kubeconfig());
            return new ContextList(List.of(), absent ? Optional.empty() : Optional.of(p));
        }
    }

    // ---- areas and theme ---------------------------------------------------------------------------

    public ObjectProperty<Area> areaProperty() {
        return area;
    }

    public Area getArea() {
        return area.get();
    }

    public void selectArea(Area value) {
        area.set(Objects.requireNonNull(value));
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public Theme getTheme() {
        return theme.get();
    }

    public void toggleTheme() {
        theme.set(theme.get().other());
    }

    /** What the composition root gave the shell: the areas build their view-models on it. */
    ShellServices services() {
        return services;
    }

    /** The kubeconfig whose contexts are offered (it may not exist). */
    public java.nio.file.Path kubeconfig() {
        return services.kubeconfig();
    }

    /** True while connected to a context the operator marked as production. */
    public ReadOnlyBooleanProperty connectedToProductionProperty() {
        return connectedToProduction.getReadOnlyProperty();
    }

    /**
     * Read-only mode: every action that would change the cluster or NATS is disabled, and the session's
     * client refuses to send a change. Changing it reconnects.
     */
    public javafx.beans.property.BooleanProperty readOnlyProperty() {
        return readOnly;
    }

    public boolean isReadOnly() {
        return readOnly.get();
    }

    /** Marks or unmarks the connected context as production (the sandbox never is). */
    public void markProduction(boolean production) {
        ClusterSession live = session.get();
        if (live == null || live.sandbox()) {
            return;
        }
        if (production) {
            productionContexts.add(live.contextName());
        } else {
            productionContexts.remove(live.contextName());
        }
    }

    private void updateProduction() {
        ClusterSession live = session.get();
        connectedToProduction.set(live != null && !live.sandbox() && productionContexts.contains(live.contextName()));
    }

    /** How the shell was opened (first run, production contexts, the About text...). */
    public ShellOptions options() {
        return options;
    }

    /** Contexts the operator marked as production; the window says so while connected to one. */
    public ObservableSet<String> productionContexts() {
        return productionContexts;
    }

    /** The fleet's health for the open session. */
    public OverviewViewModel overview() {
        return overview;
    }

    /**
     * Turns the diagnosis on in the Pods area (badges, the Diagnosis panel). A fix's runbook comes back here
     * to be started by the shell, never by the panel. Call on the UI thread.
     */
    public void enableDiagnosis(fleet.console.ui.diagnosis.DiagnosisSource source, java.util.function.Consumer<String> clipboard) {
        this.clipboard = Objects.requireNonNull(clipboard);
        pods.enableDiagnosis(source, fix -> runbookStarter.accept(fix), clipboard);
    }

    /** Who starts a runbook a diagnosis offers (the runbook window, once the console has one). */
    public void setRunbookStarter(java.util.function.Consumer<fleet.console.diagnosis.Fix.RunbookFix> starter) {
        runbookStarter = Objects.requireNonNull(starter);
    }

    private java.util.function.Consumer<String> clipboard = text -> { };
    /** A fix's runbook opens in the Runbooks area with its plan; nothing runs before the operator says so. */
    private java.util.function.Consumer<fleet.console.diagnosis.Fix.RunbookFix> runbookStarter =
            fix -> openRunbook(fix.runbook(), fix.options());

    /** The Pods area. */
    public PodsViewModel pods() {
        return pods;
    }

    /** The Events area. */
    public EventsViewModel events() {
        return events;
    }

    /**
     * The Runbooks area; other areas start a runbook with {@code runbooks().open(name, options)} and
     * {@link #openRunbook}.
     */
    public RunbooksViewModel runbooks() {
        return runbooks;
    }

    /** Shows the Runbooks area with this runbook chosen and its plan (nothing runs before the operator says so). */
    public void openRunbook(String name, fleet.console.runbook.RunOptions options) {
        selectArea(Area.RUNBOOKS);
        runbooks.open(name, options);
    }

    private void activate(Area shown) {
        if (shown == Area.PODS) {
            pods.activate();
        } else if (shown == Area.EVENTS) {
            events.activate();
        }
    }

    /** Where other areas' links to a pod or a workload lead: the Pods area (the NATS area's "go to pod"). */
    public ObjectNavigator navigator() {
        return new AreaNavigator();
    }

    /** Where a click on an event's object leads: its pod, or its workload's pods, in the Pods area. */
    private final class AreaNavigator implements ObjectNavigator {
        @Override
        public boolean canShow(String kind) {
            return switch (kind) {
                case "Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet" -> true;
                default -> false;
            };
        }

        @Override
        public boolean show(String kind, String name) {
            if (!canShow(kind)) {
                return false;
            }
            selectArea(Area.PODS);
            switch (kind) {
                case "Pod" -> pods.reveal(name);
                // A ReplicaSet's pods are named after it; its Deployment is what the table groups by.
                case "ReplicaSet" -> {
                    pods.clearFilters();
                    pods.filterTextProperty().set(name);
                }
                default -> pods.showWorkload(new WorkloadRef(kind, name));
            }
            return true;
        }
    }

    /** Reads the fleet's health again now. */
    public void refreshHealth() {
        overview.refresh();
    }

    // ---- sandbox faults ----------------------------------------------------------------------------

    /** True while connected to a sandbox that can inject faults. */
    public ReadOnlyBooleanProperty faultsAvailableProperty() {
        return faultsAvailable.getReadOnlyProperty();
    }

    /** Why faults cannot be injected right now; empty when they can. */
    public ReadOnlyStringProperty faultsNoteProperty() {
        return faultsNote.getReadOnlyProperty();
    }

    public ObservableList<Fault> activeFaults() {
        return activeFaultsView;
    }

    /** The workloads of the open session, as targets for faults. */
    public ObservableList<String> workloadNames() {
        return workloadNamesView;
    }

    public void injectFault(FaultKind kind, String workload) {
        Fault fault = new Fault(kind, kind.needsTarget() ? Objects.requireNonNull(workload) : "");
        onFaults(f -> f.inject(fault), "Injected " + fault + ": " + kind.description() + ".",
                "Could not inject " + fault);
    }

    public void clearFault(Fault fault) {
        onFaults(f -> f.clear(fault), "Cleared " + fault + ".", "Could not clear " + fault);
    }

    public void clearAllFaults() {
        onFaults(f -> f.activeFaults().forEach(f::clear), "Cleared every fault.", "Could not clear the faults");
    }

    private interface FaultCommand {
        void run(SandboxFaults faults);
    }

    private void onFaults(FaultCommand command, String done, String failedText) {
        Optional<SandboxFaults> faults = currentFaults();
        if (faults.isEmpty()) {
            message.set(new ShellMessage(ShellMessage.Kind.PROBLEM, faultsNote.get(), ""));
            return;
        }
        SandboxFaults switchboard = faults.get();
        background.execute(() -> {
            try {
                command.run(switchboard);
                List<Fault> active = switchboard.activeFaults();
                ui.execute(() -> {
                    activeFaults.setAll(active);
                    message.set(new ShellMessage(ShellMessage.Kind.NOTICE, done,
                            "The overview shows its effect as the sandbox reacts."));
                });
            } catch (RuntimeException e) {
                ui.execute(() -> message.set(new ShellMessage(ShellMessage.Kind.PROBLEM,
                        failedText + ": " + rootMessage(e) + ".", "")));
            }
        });
    }

    private Optional<SandboxFaults> currentFaults() {
        ClusterSession live = session.get();
        SandboxHandle running = sandbox;
        if (live == null || !live.sandbox() || running == null) {
            return Optional.empty();
        }
        return running.faults();
    }

    private void updateFaults() {
        ClusterSession live = session.get();
        Optional<SandboxFaults> faults = currentFaults();
        faultsAvailable.set(faults.isPresent());
        if (live == null || !live.sandbox()) {
            faultsNote.set("Faults can be injected only while connected to the sandbox.");
        } else if (faults.isEmpty()) {
            faultsNote.set("This sandbox build cannot inject faults.");
        } else {
            faultsNote.set("");
        }
        refreshActiveFaults();
    }

    private void refreshActiveFaults() {
        Optional<SandboxFaults> faults = currentFaults();
        if (faults.isEmpty()) {
            activeFaults.clear();
            return;
        }
        SandboxFaults switchboard = faults.get();
        background.execute(() -> {
            List<Fault> active = switchboard.activeFaults();
            ui.execute(() -> {
                if (!activeFaults.equals(active)) {
                    activeFaults.setAll(active);
                }
            });
        });
    }

    /**
     * Drops pending results and closes the session (in the background). Touches no property, so it
     * may run after the FX toolkit has stopped.
     */
    public void dispose() {
        attempts.incrementAndGet();
        overview.dispose();
        pods.dispose();
        events.dispose();
        runbooks.dispose();
        ClusterSession live = session.get();
        if (live != null) {
            background.execute(live::close);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
