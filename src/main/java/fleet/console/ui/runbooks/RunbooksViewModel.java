package fleet.console.ui.runbooks;

import fleet.console.cluster.ClusterSession;
import fleet.console.profile.ServiceSpec;
import fleet.console.runbook.RunOptions;
import fleet.console.runbook.RunRecord;
import fleet.console.runbook.Runbooks;
import fleet.console.ui.common.FrameBatcher;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The Runbooks area without a window: the list of runbooks with what each does (filtered by a text),
 * the chosen one's options (service, skip parts, via-job, revision, tag...), its plan and run in the
 * {@link RunWizardViewModel}, and the saved runs that did not finish, offered for resume or abandon.
 * Other areas start a runbook with {@link #open(String, RunOptions)}.
 */
public final class RunbooksViewModel {

    /** The options a runbook takes, by the CLI's names. */
    public enum Option { SERVICE, SKIP_BUILD, NO_WAIT, VIA_JOB, TO_REVISION, TAG, SKIP_STREAMS, SKIP_COUNCILS, SKIP_BACKUP, MANIFESTS,
        BACKUP_TO, SOURCE }

    private static final Map<String, Set<Option>> OPTIONS = Map.of(
            "deploy-all", Set.of(Option.MANIFESTS, Option.SKIP_STREAMS, Option.SKIP_COUNCILS),
            "redeploy", Set.of(Option.SERVICE, Option.SKIP_BUILD, Option.NO_WAIT, Option.TAG, Option.SOURCE),
            "rebuild-and-deploy", Set.of(Option.SKIP_BUILD, Option.NO_WAIT, Option.TAG, Option.SOURCE),
            "rollback", Set.of(Option.SERVICE, Option.TO_REVISION),
            "nats-clean-slate", Set.of(Option.VIA_JOB),
            "backup", Set.of(Option.BACKUP_TO),
            "system-reset", Set.of(Option.SKIP_BACKUP, Option.SKIP_STREAMS, Option.SKIP_COUNCILS, Option.MANIFESTS, Option.BACKUP_TO));

    private final Executor background;
    private final Executor ui;
    private volatile java.util.function.Supplier<RunSetup> setup;
    private final RunWizardViewModel wizard;

    private final ObservableList<Runbooks.Entry> runbooks = FXCollections.observableArrayList(Runbooks.all());
    private final FilteredList<Runbooks.Entry> shown = new FilteredList<>(runbooks);
    private final StringProperty filterText = new SimpleStringProperty(this, "filterText", "");
    private final ObjectProperty<Runbooks.Entry> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObservableList<String> services = FXCollections.observableArrayList();

    private final StringProperty service = new SimpleStringProperty(this, "service");
    private final BooleanProperty skipBuild = new SimpleBooleanProperty(this, "skipBuild");
    private final BooleanProperty noWait = new SimpleBooleanProperty(this, "noWait");
    private final BooleanProperty viaJob = new SimpleBooleanProperty(this, "viaJob");
    private final StringProperty toRevision = new SimpleStringProperty(this, "toRevision", "");
    private final StringProperty tag = new SimpleStringProperty(this, "tag", "");
    private final BooleanProperty skipStreams = new SimpleBooleanProperty(this, "skipStreams");
    private final BooleanProperty skipCouncils = new SimpleBooleanProperty(this, "skipCouncils");
    private final BooleanProperty skipBackup = new SimpleBooleanProperty(this, "skipBackup");
    private final StringProperty manifests = new SimpleStringProperty(this, "manifests", "");
    private final StringProperty backupTo = new SimpleStringProperty(this, "backupTo", "");
    private final StringProperty source = new SimpleStringProperty(this, "source", "");
    private final StringProperty optionProblem = new SimpleStringProperty(this, "optionProblem", "");

    private final ObservableList<RunRecord> unfinished = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<RunRecord> pendingRun = new ReadOnlyObjectWrapper<>(this, "pendingRun");

    private ClusterSession session;
    private boolean settingOptions;

    /**
     * @param setup how runs are set up; asked on the background executor the first time it is needed (the
     *              profile is read then, not on the UI thread)
     */
    public RunbooksViewModel(java.util.function.Supplier<RunSetup> setup, Executor background, Executor ui, Clock clock,
                             FrameBatcher.Frames frames, int logLines) {
        this.setup = memoized(Objects.requireNonNull(setup));
        this.background = Objects.requireNonNull(background);
        this.ui = Objects.requireNonNull(ui);
        this.wizard = new RunWizardViewModel(() -> this.setup.get(), background, ui, clock, frames, logLines);
        filterText.addListener((o, old, now) -> {
            String f = now == null ? "" : now.trim().toLowerCase(Locale.ROOT);
            shown.setPredicate(e -> f.isEmpty() || e.name().contains(f) || e.summary().toLowerCase(Locale.ROOT).contains(f));
        });
        selected.addListener((o, old, now) -> replan());
        for (var p : List.of(service, toRevision, tag, manifests, backupTo, source)) {
            p.addListener((o, old, now) -> replan());
        }
        for (var p : List.of(skipBuild, noWait, viaJob, skipStreams, skipCouncils, skipBackup)) {
            p.addListener((o, old, now) -> replan());
        }
    }

    /** The application's setup (its profile, run folder and image builder); tests give their own. */
    public void useSetup(RunSetup value) {
        Objects.requireNonNull(value);
        setup = () -> value;
        services.setAll(value.profile().services().stream().map(ServiceSpec::name).toList());
    }

    private static java.util.function.Supplier<RunSetup> memoized(java.util.function.Supplier<RunSetup> source) {
        return new java.util.function.Supplier<>() {
            private RunSetup made;

            @Override
            public synchronized RunSetup get() {
                if (made == null) {
                    made = Objects.requireNonNull(source.get());
                }
                return made;
            }
        };
    }

    // ---- the list ---------------------------------------------------------------------------------

    /** Every runbook, with what it does; filtered by {@link #filterTextProperty()}. */
    public ObservableList<Runbooks.Entry> shownRunbooks() {
        return shown;
    }

    public StringProperty filterTextProperty() {
        return filterText;
    }

    public ObjectProperty<Runbooks.Entry> selectedProperty() {
        return selected;
    }

    public Runbooks.Entry getSelected() {
        return selected.get();
    }

    public void select(String name) {
        selected.set(Runbooks.named(name).orElseThrow(() -> new IllegalArgumentException("no runbook " + name)));
    }

    /** The chosen runbook's plan and run. */
    public RunWizardViewModel wizard() {
        return wizard;
    }

    // ---- options ----------------------------------------------------------------------------------

    /** Whether the chosen runbook takes this option (the view shows only those). */
    public boolean takes(Option option) {
        Runbooks.Entry e = selected.get();
        return e != null && OPTIONS.getOrDefault(e.name(), Set.of()).contains(option);
    }

    public static Set<Option> optionsOf(String runbook) {
        return OPTIONS.getOrDefault(runbook, Set.of());
    }

    /** The fleet's services, for redeploy and rollback. */
    public ObservableList<String> services() {
        return services;
    }

    public StringProperty serviceProperty() {
        return service;
    }

    public BooleanProperty skipBuildProperty() {
        return skipBuild;
    }

    public BooleanProperty noWaitProperty() {
        return noWait;
    }

    public BooleanProperty viaJobProperty() {
        return viaJob;
    }

    public StringProperty toRevisionProperty() {
        return toRevision;
    }

    public StringProperty tagProperty() {
        return tag;
    }

    public BooleanProperty skipStreamsProperty() {
        return skipStreams;
    }

    public BooleanProperty skipCouncilsProperty() {
        return skipCouncils;
    }

    public BooleanProperty skipBackupProperty() {
        return skipBackup;
    }

    public StringProperty manifestsProperty() {
        return manifests;
    }

    public StringProperty backupToProperty() {
        return backupTo;
    }

    public StringProperty sourceProperty() {
        return source;
    }

    /** Why an option as typed cannot be used ("revision must be a number"); empty when they all can. */
    public StringProperty optionProblemProperty() {
        return optionProblem;
    }

    /** The options as chosen, for the chosen runbook (options it does not take are left out). */
    public RunOptions options() {
        RunOptions o = RunOptions.none();
        if (takes(Option.SERVICE) && service.get() != null && !service.get().isBlank()) {
            o = o.withService(service.get());
        }
        if (takes(Option.SKIP_BUILD)) {
            o = o.withSkipBuild(skipBuild.get());
        }
        if (takes(Option.NO_WAIT)) {
            o = o.withNoWait(noWait.get());
        }
        if (takes(Option.VIA_JOB)) {
            o = o.withViaJob(viaJob.get());
        }
        if (takes(Option.TO_REVISION) && !toRevision.get().isBlank()) {
            try {
                o = o.withToRevision(Long.parseLong(toRevision.get().trim()));
            } catch (NumberFormatException e) {
                // said by optionProblem; planned without it meanwhile
            }
        }
        if (takes(Option.TAG) && !tag.get().isBlank()) {
            o = o.withTag(tag.get().trim());
        }
        Set<String> skip = new LinkedHashSet<>();
        if (takes(Option.SKIP_STREAMS) && skipStreams.get()) {
            skip.add("streams");
        }
        if (takes(Option.SKIP_COUNCILS) && skipCouncils.get()) {
            skip.add("councils");
        }
        if (takes(Option.SKIP_BACKUP) && skipBackup.get()) {
            skip.add("backup");
        }
        if (!skip.isEmpty()) {
            o = o.withSkip(skip);
        }
        if (takes(Option.MANIFESTS) && !manifests.get().isBlank()) {
            o = o.withManifests(Path.of(manifests.get().trim()).toAbsolutePath());
        }
        if (takes(Option.BACKUP_TO) && !backupTo.get().isBlank()) {
            o = o.withBackupTo(Path.of(backupTo.get().trim()).toAbsolutePath());
        }
        if (takes(Option.SOURCE) && !source.get().isBlank()) {
            o = o.withSource(Path.of(source.get().trim()).toAbsolutePath());
        }
        return o;
    }

    /** The options as the command line spells them ({@code --service orchestrator --skip-build}). */
    public String commandLine() {
        Runbooks.Entry e = selected.get();
        if (e == null) {
            return "";
        }
        RunOptions o = options();
        StringBuilder out = new StringBuilder("fleet-console runbook ").append(e.name());
        o.service().ifPresent(v -> out.append(" --service ").append(v));
        if (o.skipBuild()) {
            out.append(" --skip-build");
        }
        if (o.noWait()) {
            out.append(" --no-wait");
        }
        if (o.viaJob()) {
            out.append(" --via-job");
        }
        o.toRevision().ifPresent(v -> out.append(" --to-revision ").append(v));
        o.tag().ifPresent(v -> out.append(" --tag ").append(v));
        if (!o.skip().isEmpty()) {
            out.append(" --skip ").append(String.join(",", new java.util.TreeSet<>(o.skip())));
        }
        o.manifests().ifPresent(v -> out.append(" --manifests ").append(v));
        o.backupTo().ifPresent(v -> out.append(" --to ").append(v));
        o.source().ifPresent(v -> out.append(" --source ").append(v));
        if (session != null) {
            out.append(session.sandbox() ? " --sandbox" : " --context " + session.contextName());
            out.append(" -n ").append(session.namespace());
        }
        return out.toString();
    }

    /**
     * Selects a runbook with these options and shows its plan: what the diagnosis' "fix" buttons and the
     * rollouts area call. Nothing runs until the operator presses Run.
     */
    public void open(String runbook, RunOptions options) {
        Runbooks.Entry entry = Runbooks.named(runbook).orElseThrow(() -> new IllegalArgumentException("no runbook " + runbook));
        settingOptions = true;
        try {
            filterText.set("");
            service.set(options.service().orElse(null));
            skipBuild.set(options.skipBuild());
            noWait.set(options.noWait());
            viaJob.set(options.viaJob());
            toRevision.set(options.toRevision().isPresent() ? Long.toString(options.toRevision().getAsLong()) : "");
            tag.set(options.tag().orElse(""));
            skipStreams.set(options.skips("streams"));
            skipCouncils.set(options.skips("councils"));
            skipBackup.set(options.skips("backup"));
            manifests.set(options.manifests().map(Path::toString).orElse(""));
            backupTo.set(options.backupTo().map(Path::toString).orElse(""));
            source.set(options.source().map(Path::toString).orElse(""));
            selected.set(entry);
        } finally {
            settingOptions = false;
        }
        replan();
    }

    /** Plans again with fresh numbers and says what a run would do; changes nothing. */
    public void dryRun() {
        Runbooks.Entry e = selected.get();
        if (e != null) {
            wizard.dryRun(session, e.name(), options());
        }
    }

    private void replan() {
        if (settingOptions) {
            return;
        }
        optionProblem.set(optionProblemNow());
        Runbooks.Entry e = selected.get();
        if (e != null && wizard.getPhase() != RunWizardViewModel.Phase.RUNNING) {
            wizard.plan(session, e.name(), options());
        }
    }

    private String optionProblemNow() {
        if (takes(Option.TO_REVISION) && !toRevision.get().isBlank()) {
            try {
                Long.parseLong(toRevision.get().trim());
            } catch (NumberFormatException e) {
                return "The revision must be a number (the plan goes back to the previous revision meanwhile).";
            }
        }
        if (takes(Option.SERVICE) && (service.get() == null || service.get().isBlank())) {
            return "Choose the service.";
        }
        return "";
    }

    // ---- the session and saved runs ---------------------------------------------------------------

    /** The open session (null: none). Saved runs of this context and namespace that did not finish are offered. */
    public void show(ClusterSession now) {
        session = now;
        wizard.sessionChanged(now);
        unfinished.clear();
        pendingRun.set(null);
        if (now == null) {
            replan();
            return;
        }
        var current = setup;
        background.execute(() -> {
            RunSetup s = current.get();
            List<String> names = s.profile().services().stream().map(ServiceSpec::name).toList();
            List<RunRecord> runs = s.store().unfinished().stream()
                    .filter(r -> r.context().equals(now.contextName()) && r.namespace().equals(now.namespace())).toList();
            ui.execute(() -> {
                if (!services.equals(names)) {
                    services.setAll(names);
                }
                if (session == now) {
                    unfinished.setAll(runs);
                    pendingRun.set(runs.isEmpty() ? null : runs.get(0));
                }
            });
        });
        replan();
    }

    /** The newest saved run of this cluster that did not finish: offered for resume or abandon. */
    public ReadOnlyObjectProperty<RunRecord> pendingRunProperty() {
        return pendingRun.getReadOnlyProperty();
    }

    public RunRecord getPendingRun() {
        return pendingRun.get();
    }

    /** "NATS clean slate run 1a2b3c4d stopped at step wait-gone-orchestrator (cancelled), recorded orchestrator 2". */
    public static String describe(RunRecord r) {
        String counts = r.values().entrySet().stream().filter(e -> e.getKey().startsWith("replicas."))
                .map(e -> e.getKey().substring("replicas.".length()) + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("");
        return "Run " + r.id() + " of " + r.runbook() + " (started " + r.started().toString().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z")
                + ") did not finish: " + r.status().name().toLowerCase(Locale.ROOT)
                + r.stoppedAt().map(s -> " at step " + s).orElse("") + r.reason().map(s -> " - " + s).orElse("")
                + (counts.isEmpty() ? "." : ". Recorded replica counts: " + counts + ".");
    }

    /** Resumes the offered run from where it stopped. */
    public void resumePending() {
        RunRecord r = pendingRun.get();
        if (r == null) {
            return;
        }
        settingOptions = true;
        try {
            selected.set(Runbooks.named(r.runbook()).orElse(null));
        } finally {
            settingOptions = false;
        }
        takePending(r);
        wizard.resume(session, r);
    }

    /** Gives the offered run up: what it stopped is scaled back to the counts it recorded (the engine does it). */
    public void abandonPending() {
        RunRecord r = pendingRun.get();
        if (r != null) {
            takePending(r);
            wizard.abandon(session, r, done -> { });
        }
    }

    private void takePending(RunRecord r) {
        unfinished.remove(r);
        pendingRun.set(unfinished.isEmpty() ? null : unfinished.get(0));
    }

    public Optional<RunRecord> pending() {
        return Optional.ofNullable(pendingRun.get());
    }

    public void dispose() {
        wizard.dispose();
    }
}
