package fleet.console.ui.councils;

import fleet.console.cluster.Cancellation;
import fleet.console.cluster.ClusterSession;
import fleet.console.councils.ActionReport;
import fleet.console.councils.Agent;
import fleet.console.councils.Council;
import fleet.console.councils.CouncilConfiguration;
import fleet.console.councils.CouncilJobs;
import fleet.console.councils.CouncilRequest;
import fleet.console.councils.CouncilsProblem;
import fleet.console.councils.CouncilsSnapshot;
import fleet.console.councils.CouncilsTable;
import fleet.console.councils.Disagreement;
import fleet.console.councils.OrchestratorCouncils;
import fleet.console.councils.ReplicaCouncils;
import fleet.console.councils.RoleOutcome;
import fleet.console.ui.common.Debouncer;
import fleet.console.ui.common.Severity;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The Councils area without a window: every orchestrator replica's councils side by side, the
 * disagreements between replicas, the configuration in force, and the runbook's two procedures (direct on
 * every replica, or through its Jobs with their log followed live), one council at a time too.
 * <p>
 * Reads and actions run on the background executor, one at a time; results reach the properties through
 * the UI executor. Pod changes of the orchestrator (a restart empties a replica) bring a fresh read by
 * themselves. Results of a previous session are dropped by generation, as in the overview.
 */
public final class CouncilsViewModel {

    /** The councils gateway for a session (opened on the background executor: it may read files). */
    @FunctionalInterface
    public interface CouncilsSource {
        OrchestratorCouncils open(ClusterSession session);
    }

    /**
     * One council on one replica, or its absence where another replica has it.
     *
     * @param agents        every agent as {@code id status (capabilities)}, for the detail column and tooltip
     * @param disagreement  what is wrong between replicas for this role; empty when they agree
     */
    public record CouncilRow(String role, String replica, String councilId, String agentCount, String agents, String model,
                             String status, boolean present, String disagreement) {

        public Severity severity() {
            return !present ? Severity.PROBLEM : disagreement.isEmpty() ? Severity.OK : Severity.WARNING;
        }

        /** What the status column says, in words that do not need the colour. */
        public String statusText() {
            if (!present) {
                return "missing here";
            }
            return status + (disagreement.isEmpty() ? "" : disagreement.contains(" missing on ") ? ", not on every replica" : ", differs");
        }
    }

    /** One orchestrator replica: how it stands and how many councils it holds. */
    public record ReplicaRow(String pod, Severity severity, String state, int councils) {
    }

    private final CouncilsSource source;
    private final ScheduledExecutorService background;
    private final Executor ui;
    private final Duration quiet;

    private final ObservableList<CouncilRow> rows = FXCollections.observableArrayList();
    private final ObservableList<CouncilRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<ReplicaRow> replicas = FXCollections.observableArrayList();
    private final ObservableList<ReplicaRow> replicasView = FXCollections.unmodifiableObservableList(replicas);
    private final ObservableList<String> disagreements = FXCollections.observableArrayList();
    private final ObservableList<String> disagreementsView = FXCollections.unmodifiableObservableList(disagreements);
    private final ObservableList<String> results = FXCollections.observableArrayList();
    private final ObservableList<String> resultsView = FXCollections.unmodifiableObservableList(results);
    private final ObservableList<String> jobLog = FXCollections.observableArrayList();
    private final ObservableList<String> jobLogView = FXCollections.unmodifiableObservableList(jobLog);
    private final ObservableList<String> roles = FXCollections.observableArrayList();
    private final ObservableList<String> rolesView = FXCollections.unmodifiableObservableList(roles);

    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "Not connected.");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(this, "emptyText", "Not connected.");
    private final ReadOnlyStringWrapper configuration = new ReadOnlyStringWrapper(this, "configuration", "");
    private final ReadOnlyStringWrapper resultSummary = new ReadOnlyStringWrapper(this, "resultSummary", "");
    private final ReadOnlyStringWrapper advice = new ReadOnlyStringWrapper(this, "advice", "");
    private final ReadOnlyBooleanWrapper reinitOffered = new ReadOnlyBooleanWrapper(this, "reinitOffered");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyIntegerWrapper agentsInForce = new ReadOnlyIntegerWrapper(this, "agentsInForce", 3);
    private final ReadOnlyStringWrapper modelInForce = new ReadOnlyStringWrapper(this, "modelInForce", "");

    private volatile long generation;
    private Current current;
    private CouncilsSnapshot snapshot;

    /** When the read now shown began (System.nanoTime), on the UI executor. */
    private long shownReadStarted;
    private boolean readShown;

    private record Current(long generation, ClusterSession session, Debouncer reader, Holder holder) {
    }

    /** The gateway and the replica watch of a session, made and closed on the background executor. */
    private static final class Holder {
        private OrchestratorCouncils councils;
        private AutoCloseable watch;
        private boolean closed;

        synchronized OrchestratorCouncils councils(Supplier<OrchestratorCouncils> open) {
            if (councils == null) {
                councils = open.get();
            }
            return councils;
        }

        synchronized Optional<OrchestratorCouncils> opened() {
            return Optional.ofNullable(councils);
        }

        synchronized boolean watching() {
            return watch != null;
        }

        synchronized void watch(AutoCloseable started) throws Exception {
            if (closed) {
                started.close();
            } else {
                watch = started;
            }
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
                    // The session is going away; its watch dies with its client either way.
                }
            }
        }
    }

    public CouncilsViewModel(CouncilsSource source, ScheduledExecutorService background, Executor ui, Duration quiet) {
        this.source = Objects.requireNonNull(source);
        this.background = Objects.requireNonNull(background);
        this.ui = Objects.requireNonNull(ui);
        this.quiet = Objects.requireNonNull(quiet);
        // gRPC to each replica goes through a port-forward (a read-only client would let it through:
        // the refusal here is what keeps read-only mode from changing councils); the Jobs are created.
        this.permits = new fleet.console.ui.common.ActionPermits(background, ui)
                .define(CHANGE, ns -> fleet.console.cluster.Access.Permission.of("create", "", "pods", ns).sub("portforward"))
                .define(RUN_JOB, ns -> fleet.console.cluster.Access.Permission.of("create", "batch", "jobs", ns));
    }

    /** The action names of {@link #permits()}: councils changed over gRPC, or through the runbook's Jobs. */
    public static final String CHANGE = "change councils";
    public static final String RUN_JOB = "run council Jobs";

    private final fleet.console.ui.common.ActionPermits permits;

    /** Whether councils may be changed in this session (read-only mode, RBAC). */
    public fleet.console.ui.common.ActionPermits permits() {
        return permits;
    }

    /** Refused: says so where results are said and returns true. */
    private boolean refused(String action, String doing) {
        String why = permits.refusalNow(action);
        if (why == null) {
            return false;
        }
        resultSummary.set(doing + ": refused, " + why);
        return true;
    }

    // ---- what is shown -------------------------------------------------------------------------------

    /** Every council per replica, and a "missing here" row where another replica holds the role. */
    public ObservableList<CouncilRow> rows() {
        return rowsView;
    }

    public ObservableList<ReplicaRow> replicas() {
        return replicasView;
    }

    /** "DEV exists on orchestrator-7d9f-abc, missing on orchestrator-7d9f-def", one per disputed role. */
    public ObservableList<String> disagreements() {
        return disagreementsView;
    }

    /** What the last action did, per role and replica. */
    public ObservableList<String> results() {
        return resultsView;
    }

    /** The log of the last council Job the console ran, line by line as it was written. */
    public ObservableList<String> jobLog() {
        return jobLogView;
    }

    /** The profile's roles, for creating or deleting one council. */
    public ObservableList<String> roles() {
        return rolesView;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty emptyTextProperty() {
        return emptyText.getReadOnlyProperty();
    }

    /** The configuration in force, each part with where it comes from. */
    public ReadOnlyStringProperty configurationProperty() {
        return configuration.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty resultSummaryProperty() {
        return resultSummary.getReadOnlyProperty();
    }

    /** Why a change of model or agent count needs a re-init (or that it does not). */
    public ReadOnlyStringProperty adviceProperty() {
        return advice.getReadOnlyProperty();
    }

    /** True when the last advice says the councils must be re-initialised for the change to take effect. */
    public ReadOnlyBooleanProperty reinitOfferedProperty() {
        return reinitOffered.getReadOnlyProperty();
    }

    /** True while a read or an action runs; actions are refused meanwhile. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public boolean isBusy() {
        return busy.get();
    }

    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public boolean isLoaded() {
        return loaded.get();
    }

    public ReadOnlyIntegerProperty agentsInForceProperty() {
        return agentsInForce.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty modelInForceProperty() {
        return modelInForce.getReadOnlyProperty();
    }

    public List<String> agentTypes() {
        return CouncilRequest.AGENT_TYPES;
    }

    // ---- session ---------------------------------------------------------------------------------------

    /** Shows the councils of this session from now on (null: of nothing). Call on the UI thread. */
    public void show(ClusterSession session) {
        stopCurrent();
        long gen = ++generation;
        rows.clear();
        replicas.clear();
        disagreements.clear();
        results.clear();
        jobLog.clear();
        resultSummary.set("");
        advice.set("");
        reinitOffered.set(false);
        problem.set("");
        loaded.set(false);
        snapshot = null;
        readShown = false;
        permits.update(session);
        if (session == null) {
            current = null;
            summary.set("Not connected.");
            emptyText.set("Not connected.");
            return;
        }
        summary.set("Asking every orchestrator replica of " + session.label() + "…");
        emptyText.set("Asking every orchestrator replica…");
        Holder holder = new Holder();
        Debouncer reader = new Debouncer(background, quiet, () -> readFor(gen, session, holder));
        current = new Current(gen, session, reader, holder);
        reader.signal();
    }

    /** Asks every replica again now. */
    public void refresh() {
        if (current != null) {
            current.reader().signal();
        }
    }

    /** Stops following. Touches no property, so it may run after the FX toolkit stopped. */
    public void dispose() {
        generation++;
        stopCurrent();
        current = null;
    }

    private void stopCurrent() {
        Current previous = current;
        if (previous != null) {
            previous.reader().stop();
            // Closing an informer talks to the API server: never on the FX thread.
            background.execute(previous.holder()::close);
        }
    }

    private OrchestratorCouncils councils(Current c) {
        return c.holder().councils(() -> source.open(c.session()));
    }

    private void readFor(long gen, ClusterSession session, Holder holder) {
        Current c = current;
        if (c == null || c.generation() != gen) {
            return;
        }
        try {
            OrchestratorCouncils councils = councils(c);
            if (!holder.watching()) {
                holder.watch(councils.watchReplicas(c.reader()::signal));
            }
            long started = System.nanoTime();
            CouncilsSnapshot read = councils.read();
            CouncilConfiguration config = councils.configuration();
            ui.execute(() -> apply(gen, session, read, config, started));
        } catch (CouncilsProblem p) {
            ui.execute(() -> failed(gen, p.getMessage() + " " + p.whatToDo()));
        } catch (Exception e) {
            String why = rootMessage(e);
            ui.execute(() -> failed(gen, "Could not ask the orchestrator replicas of " + session.label() + ": " + why + "."));
        }
    }

    private void apply(long gen, ClusterSession session, CouncilsSnapshot read, CouncilConfiguration config, long started) {
        // A read begun before the one shown (an action's own read overtook it) would show an older state.
        if (gen != generation || readShown && started - shownReadStarted < 0) {
            return;
        }
        shownReadStarted = started;
        readShown = true;
        snapshot = read;
        List<CouncilRow> fresh = rowsOf(read);
        // Replacing equal rows would reset the table's selection and scroll position at every read.
        if (!new ArrayList<>(rows).equals(fresh)) {
            rows.setAll(fresh);
        }
        replicas.setAll(read.replicas().stream().map(CouncilsViewModel::replicaRow).toList());
        disagreements.setAll(read.disagreements().stream().map(Disagreement::text).toList());
        if (!roles.equals(config.roles())) {
            roles.setAll(config.roles());
        }
        agentsInForce.set(config.agentsPerCouncil());
        modelInForce.set(config.model());
        configuration.set(CouncilsTable.configuration(config).lines().skip(1).map(String::strip).collect(Collectors.joining("\n")));
        long answering = read.answering().size();
        summary.set(read.replicas().isEmpty() ? "The orchestrator runs no pod in " + session.label() + "."
                : read.councilCount() + " councils on " + answering + " of " + read.replicas().size() + " replicas answering, "
                + (disagreements.isEmpty() ? "in agreement." : disagreements.size() + " disagreements."));
        emptyText.set(answering == 0 ? "No replica answered; see each replica's state above."
                : "No councils on any replica. Initialise creates " + String.join(", ", config.roles()) + " with "
                        + config.agentsPerCouncil() + " agents each on every replica.");
        if (problem.get().startsWith("Could not ask") || problem.get().startsWith("There is no deployment")) {
            problem.set("");
        }
        loaded.set(true);
    }

    private void failed(long gen, String why) {
        if (gen != generation) {
            return;
        }
        problem.set(why);
        if (!loaded.get()) {
            summary.set("The councils could not be read.");
            emptyText.set("The councils could not be read.");
        }
    }

    static List<CouncilRow> rowsOf(CouncilsSnapshot read) {
        Map<String, String> disputed = read.disagreements().stream()
                .collect(Collectors.toMap(Disagreement::role, Disagreement::text, (a, b) -> a + "; " + b));
        List<CouncilRow> out = new ArrayList<>();
        for (String role : read.roles()) {
            String why = disputed.getOrDefault(role, "");
            for (ReplicaCouncils r : read.answering()) {
                Optional<Council> c = r.council(role);
                if (c.isPresent()) {
                    Council council = c.get();
                    out.add(new CouncilRow(role, r.replica().pod(), council.id(), String.valueOf(council.agentCount()),
                            council.agents().stream().map(CouncilsViewModel::agentText).collect(Collectors.joining("; ")),
                            council.model(), council.status(), true, why));
                } else if (!why.isEmpty()) {
                    out.add(new CouncilRow(role, r.replica().pod(), "", "", "", "", "", false, why));
                }
            }
        }
        return out;
    }

    private static String agentText(Agent a) {
        return a.id() + " " + a.status() + (a.capabilities().isEmpty() ? "" : " (" + String.join(", ", a.capabilities()) + ")");
    }

    private static ReplicaRow replicaRow(ReplicaCouncils r) {
        if (!r.answered()) {
            return new ReplicaRow(r.replica().pod(), Severity.PROBLEM, r.problem().orElse(""), 0);
        }
        var s = r.status().orElseThrow();
        return new ReplicaRow(r.replica().pod(), "healthy".equals(s.status()) ? Severity.OK : Severity.WARNING,
                s.status() + ", up " + uptime(s.uptime()), r.councils().size());
    }

    private static String uptime(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min" : (s / 3600) + " h " + (s % 3600) / 60 + " min";
    }

    // ---- actions -------------------------------------------------------------------------------------

    /** What deleting destroys, for the confirmation: councils, replicas, agents, the connection. */
    public String deleteConsequences(Optional<String> role) {
        Current c = current;
        CouncilsSnapshot seen = snapshot;
        Optional<OrchestratorCouncils> councils = c == null ? Optional.empty() : c.holder().opened();
        if (seen == null || councils.isEmpty()) {
            return "The councils have not been read yet.";
        }
        return councils.get().deleteConsequences(seen, role);
    }

    /** The runbook's init on every replica, with the agents and model in force. */
    public void initialise() {
        act("Initialising the councils on every replica", OrchestratorCouncils::initialise);
    }

    /** The runbook's delete on every replica (confirmed by the operator before). */
    public void deleteAll() {
        act("Deleting the councils on every replica", OrchestratorCouncils::deleteAll);
    }

    public void createCouncil(String role, int agents, String model, String agentType) {
        act("Creating council " + role + " on every replica", g -> g.create(new CouncilRequest(role, agents, model, agentType)));
    }

    /** One role's council on every replica (confirmed by the operator before). */
    public void deleteCouncil(String role) {
        act("Deleting council " + role + " on every replica", g -> g.delete(role));
    }

    /** Says whether the new agents and model need a re-init, and why; offers it when they do. */
    public void adviseChange(int agents, String model) {
        Current c = current;
        if (c == null || busy.get()) {
            return;
        }
        long gen = c.generation();
        busy.set(true);
        background.execute(() -> {
            try {
                OrchestratorCouncils.ChangeAdvice a = councils(c).adviseChange(agents, model);
                ui.execute(() -> {
                    if (gen == generation) {
                        advice.set(a.explanation());
                        reinitOffered.set(a.reinitNeeded());
                        busy.set(false);
                    }
                });
            } catch (CouncilsProblem p) {
                ui.execute(() -> actionFailed(gen, p.getMessage() + " " + p.whatToDo()));
            } catch (RuntimeException e) {
                ui.execute(() -> actionFailed(gen, rootMessage(e)));
            }
        });
    }

    /** Deletes and creates again every council with the new agents and model, on every replica. */
    public void reinitialise(int agents, String model) {
        reinitOffered.set(false);
        act("Re-initialising every council with " + agents + " agents and " + model, g -> g.reinitialise(agents, model));
    }

    /** Runs the runbook's init or delete Job and follows its log into {@link #jobLog()}. */
    public void runJob(CouncilJobs.Kind kind) {
        Current c = current;
        if (c == null || busy.get() || refused(RUN_JOB, "Running Job " + kind.jobName())) {
            return;
        }
        long gen = c.generation();
        busy.set(true);
        jobLog.clear();
        results.clear();
        resultSummary.set("Running Job " + kind.jobName() + "…");
        background.execute(() -> {
            try {
                CouncilJobs.JobRun run = new CouncilJobs(councils(c), CouncilJobs.DEFAULT_TIMEOUT).run(kind,
                        line -> ui.execute(() -> {
                            if (gen == generation) {
                                jobLog.add(line);
                            }
                        }), Cancellation.none());
                ui.execute(() -> {
                    if (gen != generation) {
                        return;
                    }
                    busy.set(false);
                    resultSummary.set("Job " + run.job() + ": " + run.condition() + ". " + run.verdict());
                    c.reader().signal();
                });
            } catch (CouncilsProblem p) {
                ui.execute(() -> actionFailed(gen, p.getMessage() + " " + p.whatToDo()));
            } catch (Exception e) {
                ui.execute(() -> actionFailed(gen, "Job " + kind.jobName() + " could not be run: " + rootMessage(e)));
            }
        });
    }

    private interface Action {
        ActionReport run(OrchestratorCouncils councils) throws CouncilsProblem, InterruptedException;
    }

    private void act(String doing, Action action) {
        Current c = current;
        if (c == null || busy.get() || refused(CHANGE, doing)) {
            return;
        }
        long gen = c.generation();
        busy.set(true);
        results.clear();
        resultSummary.set(doing + "…");
        background.execute(() -> {
            try {
                ActionReport report = action.run(councils(c));
                // What the action left, read before it is said done: a delete confirmed right after an init counts
                // every council, not those of a read made while the init was under way.
                CouncilsSnapshot after = null;
                CouncilConfiguration config = null;
                long started = System.nanoTime();
                try {
                    after = councils(c).read();
                    config = councils(c).configuration();
                } catch (CouncilsProblem | RuntimeException e) {
                    // The reader asks again once the action is done.
                }
                CouncilsSnapshot read = after;
                CouncilConfiguration inForce = config;
                ui.execute(() -> {
                    if (read != null && inForce != null) {
                        apply(gen, c.session(), read, inForce, started);
                    }
                    done(gen, c, report);
                });
            } catch (CouncilsProblem p) {
                ui.execute(() -> actionFailed(gen, p.getMessage() + " " + p.whatToDo()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ui.execute(() -> actionFailed(gen, doing + " was interrupted."));
            } catch (RuntimeException e) {
                ui.execute(() -> actionFailed(gen, doing + " failed: " + rootMessage(e)));
            }
        });
    }

    private void done(long gen, Current c, ActionReport report) {
        if (gen != generation) {
            return;
        }
        busy.set(false);
        results.setAll(report.outcomes().stream().map(RoleOutcome::describe).toList());
        resultSummary.set((report.ok() ? "Done: " : "Not everything worked: ") + String.join(" | ", report.summaryByReplica()));
        c.reader().signal();
    }

    private void actionFailed(long gen, String why) {
        if (gen != generation) {
            return;
        }
        busy.set(false);
        resultSummary.set(why);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
