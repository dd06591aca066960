package fleet.console.ui.diagnosis;

import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.diagnosis.Diagnosis;
import fleet.console.diagnosis.DiagnosisReport;
import fleet.console.diagnosis.Evidence;
import fleet.console.diagnosis.EvidenceSource;
import fleet.console.diagnosis.Fix;
import fleet.console.ui.common.Severity;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The Diagnosis panel of one pod: its causes (and what blocks them, shown first), the evidence of the
 * chosen cause with where each piece was read, and its fix. The panel never runs a runbook itself: the
 * fix button hands the runbook, with its service and options filled in, to the callback the shell gives
 * (the runbook wizard, which says what it stops and asks first); a fix without a runbook, and every
 * piece of evidence, is copied as the command that does or shows the same in a terminal.
 *
 * <p>Reads run on the background executor; results reach the properties on the UI executor. A result for
 * a pod that is no longer selected is dropped.
 */
public final class DiagnosisViewModel {

    /**
     * Reads the diagnoses of one pod now, with those of its workload as a whole (its NATS subscriptions)
     * and what blocks them (blocking; called on the background executor).
     */
    @FunctionalInterface
    public interface PodDiagnoser {
        DiagnosisReport diagnose(String pod) throws Exception;
    }

    /** The runbook's test publish for a diagnosis with a NATS path: the diagnosis with the result as more evidence (blocking). */
    @FunctionalInterface
    public interface Prover {
        Diagnosis prove(Diagnosis diagnosis) throws Exception;
    }

    /** What the panel shows as a whole. */
    public enum State {
        /** No pod chosen. */
        EMPTY,
        /** Reading the pod's evidence. */
        READING,
        /** The pod has one or more causes. */
        DIAGNOSED,
        /** Nothing wrong found. */
        HEALTHY,
        /** The read failed; the message says why. */
        FAILED
    }

    /** A cause in the list: the diagnosis, and whether it belongs to another object and blocks the pod's own. */
    public record CauseRow(Diagnosis diagnosis, boolean blocker) {

        /** {@code NATS not ready - pod/nats-0 (fix first)}. */
        public String title() {
            return diagnosis.cause() + (blocker ? " - " + diagnosis.subject().label() + " (fix first)" : "");
        }

        public Severity level() {
            return level(diagnosis);
        }

        static Severity level(Diagnosis d) {
            return d.severity() == fleet.console.diagnosis.Severity.WARNING ? Severity.WARNING : Severity.PROBLEM;
        }
    }

    /**
     * One piece of evidence as the panel lists it.
     *
     * @param what    the kind, as the rule says it ({@code previous log}, {@code event Failed x3})
     * @param text    what it says, quoted
     * @param origin  where it came from, in words ({@code log line}, {@code event}, {@code status field},
     *                {@code registry answer}, ...)
     * @param where   the object (and field, or URL) it was read from
     * @param command the command that shows the same in a terminal
     */
    public record EvidenceRow(String what, String text, String origin, String where, String command, EvidenceSource source) {

        static EvidenceRow of(Evidence e) {
            EvidenceSource s = e.source();
            String origin;
            String where;
            if (s instanceof EvidenceSource.PodLog l) {
                origin = "log line";
                where = "pod/" + l.pod() + " container " + l.container() + (l.previous() ? ", run before the last restart" : "");
            } else if (s instanceof EvidenceSource.KubeEvent k) {
                origin = "event";
                where = k.reason() + " on " + k.objectKind().toLowerCase(Locale.ROOT) + "/" + k.objectName();
            } else if (s instanceof EvidenceSource.ObjectField f) {
                origin = f.field().startsWith("status") ? "status field" : "spec field";
                where = f.kind().toLowerCase(Locale.ROOT) + "/" + f.name() + " " + f.field();
            } else if (s instanceof EvidenceSource.Registry r) {
                origin = "registry answer";
                where = r.url();
            } else if (s instanceof EvidenceSource.NatsConsumer c) {
                origin = "NATS consumer";
                where = c.stream() + " / " + c.durable();
            } else if (s instanceof EvidenceSource.NatsStreams n) {
                origin = "NATS streams";
                where = "the server's streams";
            } else if (s instanceof EvidenceSource.NatsPublish p) {
                origin = "test publish";
                where = p.subject() + (p.stream().isEmpty() ? "" : " -> " + p.stream() + " #" + p.sequence());
            } else if (s instanceof EvidenceSource.Profile p) {
                origin = "fleet profile";
                where = "services[" + p.service() + "]." + p.field();
            } else {
                origin = "evidence";
                where = "";
            }
            return new EvidenceRow(e.what(), e.text(), origin, where, s.command(), s);
        }
    }

    private final PodDiagnoser diagnoser;
    private final Executor background;
    private final Executor ui;
    private final Consumer<Fix.RunbookFix> runbookStarter;
    private final Consumer<String> clipboard;
    private Prover prover;
    private Consumer<EvidenceSource> sourceOpener;
    private Optional<WorkloadRef> workload = Optional.empty();

    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.EMPTY);
    private final ReadOnlyStringWrapper pod = new ReadOnlyStringWrapper(this, "pod", "");
    private final ReadOnlyStringWrapper headline = new ReadOnlyStringWrapper(this, "headline", "Choose a pod to see why it fails.");
    private final ObservableList<CauseRow> causes = FXCollections.observableArrayList();
    private final ObservableList<CauseRow> causesView = FXCollections.unmodifiableObservableList(causes);
    private final ReadOnlyObjectWrapper<CauseRow> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private final ReadOnlyStringWrapper cause = new ReadOnlyStringWrapper(this, "cause", "");
    private final ReadOnlyObjectWrapper<Severity> level = new ReadOnlyObjectWrapper<>(this, "level", Severity.IDLE);
    private final ReadOnlyStringWrapper explanation = new ReadOnlyStringWrapper(this, "explanation", "");
    private final ReadOnlyStringWrapper confidence = new ReadOnlyStringWrapper(this, "confidence", "");
    private final ReadOnlyStringWrapper blockedBy = new ReadOnlyStringWrapper(this, "blockedBy", "");
    private final ReadOnlyStringWrapper section = new ReadOnlyStringWrapper(this, "section", "");
    private final ObservableList<EvidenceRow> evidence = FXCollections.observableArrayList();
    private final FilteredList<EvidenceRow> evidenceShown = new FilteredList<>(evidence, r -> true);
    private final StringProperty evidenceFilter = new SimpleStringProperty(this, "evidenceFilter", "");
    private final ReadOnlyStringWrapper fixSummary = new ReadOnlyStringWrapper(this, "fixSummary", "");
    private final ReadOnlyStringWrapper fixCommand = new ReadOnlyStringWrapper(this, "fixCommand", "");
    private final ReadOnlyStringWrapper fixAction = new ReadOnlyStringWrapper(this, "fixAction", "");
    private final ReadOnlyBooleanWrapper hasFix = new ReadOnlyBooleanWrapper(this, "hasFix");
    private final ReadOnlyBooleanWrapper runbookFix = new ReadOnlyBooleanWrapper(this, "runbookFix");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final ReadOnlyBooleanWrapper provable = new ReadOnlyBooleanWrapper(this, "provable");
    private final ReadOnlyBooleanWrapper proving = new ReadOnlyBooleanWrapper(this, "proving");

    /** Changed on the UI thread only; a read carries the one it was started for. */
    private long generation;

    /**
     * @param diagnoser      reads a pod's diagnoses ({@code DiagnosisService::podNow})
     * @param runbookStarter the shell's way to start a runbook (its wizard); the panel only hands the fix over
     * @param clipboard      puts text on the clipboard (the system clipboard in the app)
     */
    public DiagnosisViewModel(PodDiagnoser diagnoser, Executor background, Executor ui, Consumer<Fix.RunbookFix> runbookStarter,
                              Consumer<String> clipboard) {
        this.diagnoser = Objects.requireNonNull(diagnoser);
        this.background = Objects.requireNonNull(background);
        this.ui = Objects.requireNonNull(ui);
        this.runbookStarter = Objects.requireNonNull(runbookStarter);
        this.clipboard = Objects.requireNonNull(clipboard);
        evidenceFilter.addListener((o, old, now) -> {
            String f = now == null ? "" : now.strip().toLowerCase(Locale.ROOT);
            evidenceShown.setPredicate(r -> f.isEmpty() || (r.what() + " " + r.text() + " " + r.origin() + " " + r.where())
                    .toLowerCase(Locale.ROOT).contains(f));
        });
    }

    /**
     * Where the test publish goes ({@code DiagnosisService::prove}); without one the panel offers none.
     * Call before the panel is shown.
     */
    public void setProver(Prover value) {
        prover = value;
    }

    /**
     * Opens a piece of evidence at its source (the shell's log viewer at the line, the events list at the
     * event); without one, a click copies the command that shows it. Call before the panel is shown.
     */
    public void setSourceOpener(Consumer<EvidenceSource> value) {
        sourceOpener = value;
    }

    /** Shows a pod's diagnosis, read now off the UI thread; {@code null} or blank clears the panel. */
    public void select(String podName) {
        select(podName, Optional.empty());
    }

    /**
     * Shows a pod's diagnosis with its workload's (the Pods table knows each pod's owner): a cause of the
     * workload as a whole, such as a durable it no longer has, is a cause of each of its pods too.
     */
    public void select(String podName, Optional<WorkloadRef> owner) {
        workload = podName == null || podName.isBlank() ? Optional.empty() : owner;
        long mine = ++generation;
        if (podName == null || podName.isBlank()) {
            pod.set("");
            state.set(State.EMPTY);
            headline.set("Choose a pod to see why it fails.");
            notice.set("");
            setCauses(List.of());
            return;
        }
        boolean samePod = podName.equals(pod.get());
        pod.set(podName);
        state.set(State.READING);
        headline.set("Reading the evidence of pod/" + podName + "...");
        notice.set("");
        if (!samePod) {
            setCauses(List.of());
        }
        background.execute(() -> {
            DiagnosisReport report;
            try {
                report = diagnoser.diagnose(podName);
            } catch (Exception e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                ui.execute(() -> {
                    if (mine == generation) {
                        state.set(State.FAILED);
                        headline.set("Could not diagnose pod/" + podName + ": " + why);
                    }
                });
                return;
            }
            ui.execute(() -> {
                if (mine == generation) {
                    show(report);
                }
            });
        });
    }

    /**
     * Shows a pod's diagnosis out of a report already made (the live one the Pods table's badges come from),
     * without a read of its own: the panel then says what the pod's badge says. A read of its own, made while a
     * crash-looping pod ran between two crashes, found nothing wrong, and the live diagnosis, which tells only
     * of changes, had nothing new to tell: the panel said "nothing wrong found" beside a row badged with the
     * cause. Call on the UI thread.
     */
    public void select(String podName, Optional<WorkloadRef> owner, DiagnosisReport report) {
        workload = owner;
        ++generation; // a read still under way is dropped
        if (!podName.equals(pod.get())) {
            setCauses(List.of());
        }
        pod.set(podName);
        notice.set("");
        show(report);
    }

    /** Reads the selected pod again (F5). */
    public void refresh() {
        if (!pod.get().isEmpty()) {
            select(pod.get());
        }
    }

    /**
     * A newer report of the namespace (the shell's live diagnosis): shown for the selected pod without a
     * read of its own. Call on the UI thread.
     */
    public void update(DiagnosisReport report) {
        if (!pod.get().isEmpty() && state.get() != State.READING) {
            show(report);
        }
    }

    private void show(DiagnosisReport report) {
        String name = pod.get();
        List<Diagnosis> own = new ArrayList<>(report.forPod(name));
        workload.ifPresent(w -> report.diagnoses().stream().filter(d -> !d.subject().isPod() && d.subject().belongsTo(w))
                .forEach(own::add));
        List<CauseRow> rows = new ArrayList<>();
        // What blocks the pod's causes comes first, in the report's order (blockers before what they block).
        for (Diagnosis d : report.diagnoses()) {
            boolean blocks = own.stream().anyMatch(o -> o.blockedBy().contains(d.id()));
            if (blocks && !own.contains(d)) {
                rows.add(new CauseRow(d, true));
            }
        }
        own.forEach(d -> rows.add(new CauseRow(d, false)));
        if (own.isEmpty()) {
            state.set(State.HEALTHY);
            headline.set("pod/" + name + ": nothing wrong found" + report.natsNote().map(n -> " (NATS not checked: " + n + ")").orElse("."));
            setCauses(List.of());
            return;
        }
        state.set(State.DIAGNOSED);
        headline.set("pod/" + name + ": " + own.size() + (own.size() == 1 ? " cause" : " causes")
                + (rows.size() > own.size() ? ", blocked by " + (rows.size() - own.size()) + " elsewhere" : ""));
        setCauses(rows);
    }

    private void setCauses(List<CauseRow> rows) {
        String keep = Optional.ofNullable(selected.get()).map(r -> r.diagnosis().id()).orElse(null);
        causes.setAll(rows);
        CauseRow again = rows.stream().filter(r -> r.diagnosis().id().equals(keep)).findFirst()
                .orElse(rows.stream().filter(r -> !r.blocker()).findFirst().orElse(null));
        String said = notice.get();
        choose(again);
        if (again != null && again.diagnosis().id().equals(keep)) {
            // The same cause, newer: what the operator just did (started its fix) still stands.
            notice.set(said);
        }
    }

    /** Shows a cause's evidence and fix (a click in the cause list). */
    public void choose(CauseRow row) {
        selected.set(row);
        notice.set("");
        if (row == null) {
            cause.set("");
            level.set(Severity.IDLE);
            explanation.set("");
            confidence.set("");
            blockedBy.set("");
            section.set("");
            evidence.clear();
            fixSummary.set("");
            fixCommand.set("");
            fixAction.set("");
            hasFix.set(false);
            runbookFix.set(false);
            provable.set(false);
            return;
        }
        Diagnosis d = row.diagnosis();
        provable.set(prover != null && d.path().isPresent());
        cause.set(d.cause());
        level.set(row.level());
        explanation.set(d.explanation());
        // The confidence matters when another cause competes for the same symptom; otherwise it is said only when not certain.
        confidence.set(d.contested() ? "Confidence: " + d.confidence().label() + " (" + d.confidence().percent() + "%), "
                + d.competing().size() + " other cause(s) possible"
                : d.confidence() == fleet.console.diagnosis.Confidence.CERTAIN ? "" : "Confidence: " + d.confidence().label());
        blockedBy.set(d.blockedBy().isEmpty() ? "" : "Fix first: " + String.join(", ", d.blockedBy().stream()
                .map(id -> causes.stream().filter(c -> c.diagnosis().id().equals(id)).findFirst()
                        .map(c -> c.diagnosis().cause() + " (" + c.diagnosis().subject().label() + ")").orElse(id)).toList()));
        section.set("From the runbook: " + d.section().title());
        evidence.setAll(d.evidence().stream().map(EvidenceRow::of).toList());
        Optional<Fix> fix = d.fix();
        hasFix.set(fix.isPresent());
        runbookFix.set(fix.filter(Fix.RunbookFix.class::isInstance).isPresent());
        fixSummary.set(fix.map(Fix::summary).orElse("No fix is known for this cause; the evidence shows where to look."));
        fixCommand.set(fix.map(f -> String.join("\n", f.commands())).orElse(""));
        fixAction.set(fix.map(DiagnosisViewModel::actionText).orElse(""));
    }

    /** {@code Run redeploy for orchestrator}, or {@code Copy the commands} where no runbook applies. */
    static String actionText(Fix fix) {
        if (fix instanceof Fix.RunbookFix r) {
            return "Run " + r.runbook() + r.options().service().map(s -> " for " + s).orElse("");
        }
        return fix.commands().size() == 1 ? "Copy the command" : "Copy the " + fix.commands().size() + " commands";
    }

    /**
     * The fix button: a runbook fix is handed to the shell to start (the panel runs nothing itself); a
     * command fix is copied.
     */
    public void applyFix() {
        Optional<Fix> fix = Optional.ofNullable(selected.get()).flatMap(r -> r.diagnosis().fix());
        if (fix.isEmpty()) {
            return;
        }
        if (fix.get() instanceof Fix.RunbookFix r) {
            runbookStarter.accept(r);
            notice.set("Started the " + r.runbook() + " runbook" + r.options().service().map(s -> " for " + s).orElse("")
                    + "; this diagnosis goes away once it cures the cause.");
        } else {
            copyFixCommand();
        }
    }

    /** Copies the fix as commands: {@code fleet-console runbook ...} for a runbook, the kubectl commands otherwise. */
    public void copyFixCommand() {
        if (!fixCommand.get().isEmpty()) {
            clipboard.accept(fixCommand.get());
            notice.set("Copied: " + fixCommand.get().lines().findFirst().orElse("")
                    + (fixCommand.get().lines().count() > 1 ? " (and " + (fixCommand.get().lines().count() - 1) + " more)" : ""));
        }
    }

    /**
     * The runbook's test publish for the chosen cause, when it is about a NATS subscription: publishes a
     * test message on its subject, waits for the durables that should take it, and shows who did and who
     * could not as more evidence. The publish is journaled by the diagnosis service.
     */
    public void prove() {
        CauseRow row = selected.get();
        if (row == null || prover == null || row.diagnosis().path().isEmpty() || proving.get()) {
            return;
        }
        long mine = generation;
        String subject = row.diagnosis().path().get().subject();
        proving.set(true);
        notice.set("Publishing a test message on " + subject + "...");
        background.execute(() -> {
            Diagnosis proved;
            try {
                proved = prover.prove(row.diagnosis());
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                ui.execute(() -> {
                    proving.set(false);
                    notice.set("The test publish on " + subject + " failed: " + why);
                });
                return;
            }
            ui.execute(() -> {
                proving.set(false);
                if (mine != generation || selected.get() != row) {
                    return;
                }
                CauseRow updated = new CauseRow(proved, row.blocker());
                int at = causes.indexOf(row);
                if (at >= 0) {
                    causes.set(at, updated);
                }
                choose(updated);
                notice.set("Test message published on " + subject + ": " + (proved.evidence().size() - row.diagnosis().evidence().size())
                        + " more piece(s) of evidence, marked \"test publish\".");
            });
        });
    }

    /** A click on a piece of evidence: opened at its source when the shell can, else its command copied. */
    public void openSource(EvidenceRow row) {
        if (row == null) {
            return;
        }
        if (sourceOpener != null) {
            sourceOpener.accept(row.source());
            notice.set("Opened " + row.where());
        } else {
            copyEvidenceCommand(row);
        }
    }

    /** Copies the command that shows a piece of evidence in a terminal. */
    public void copyEvidenceCommand(EvidenceRow row) {
        if (row != null) {
            clipboard.accept(row.command());
            notice.set("Copied: " + row.command());
        }
    }

    /** The badge of a pod in a table: the most severe cause in words, and how many more; empty when none. */
    public static Optional<Badge> badgeFor(List<Diagnosis> diagnoses) {
        if (diagnoses.isEmpty()) {
            return Optional.empty();
        }
        Diagnosis first = diagnoses.stream().min(java.util.Comparator.comparing(Diagnosis::severity)).orElseThrow();
        return Optional.of(new Badge(CauseRow.level(first), first.cause() + (diagnoses.size() > 1 ? " +" + (diagnoses.size() - 1) : "")));
    }

    /** A diagnosis badge: level (icon and colour) and words. */
    public record Badge(Severity level, String text) {
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State getState() {
        return state.get();
    }

    public ReadOnlyStringProperty podProperty() {
        return pod.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty headlineProperty() {
        return headline.getReadOnlyProperty();
    }

    public ObservableList<CauseRow> causes() {
        return causesView;
    }

    public ReadOnlyObjectProperty<CauseRow> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty causeProperty() {
        return cause.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Severity> levelProperty() {
        return level.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty explanationProperty() {
        return explanation.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty confidenceProperty() {
        return confidence.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty blockedByProperty() {
        return blockedBy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty sectionProperty() {
        return section.getReadOnlyProperty();
    }

    /** The chosen cause's evidence, as the filter box lets through. */
    public ObservableList<EvidenceRow> evidence() {
        return evidenceShown;
    }

    public StringProperty evidenceFilterProperty() {
        return evidenceFilter;
    }

    public ReadOnlyStringProperty fixSummaryProperty() {
        return fixSummary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty fixCommandProperty() {
        return fixCommand.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty fixActionProperty() {
        return fixAction.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty hasFixProperty() {
        return hasFix.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runbookFixProperty() {
        return runbookFix.getReadOnlyProperty();
    }

    /** Whether the chosen cause can be proved by a test publish (a NATS subscription, and a prover given). */
    public ReadOnlyBooleanProperty provableProperty() {
        return provable.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty provingProperty() {
        return proving.getReadOnlyProperty();
    }

    /** What the last action did, in words. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }
}
