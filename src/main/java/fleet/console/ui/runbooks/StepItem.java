package fleet.console.ui.runbooks;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One step of the plan as the wizard shows it: what the runbook says of it (title, why, what it does,
 * the equivalent commands) and, once the run starts, its state, what it is doing or why it failed, its
 * elapsed time and the lines it logged. Changed on the UI thread only.
 */
public final class StepItem {

    private final int number;
    private final String id;
    private final String title;
    private final String why;
    private final String does;
    private final List<String> commands;
    private final Optional<String> plannedSkip;
    private final List<String> touches;
    private final ReadOnlyObjectWrapper<StepState> state = new ReadOnlyObjectWrapper<>(this, "state", StepState.PENDING);
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper(this, "detail", "");
    private final ReadOnlyStringWrapper elapsed = new ReadOnlyStringWrapper(this, "elapsed", "");
    private final List<String> lines = new ArrayList<>();
    private Instant startedAt;
    private Duration took;

    StepItem(int number, String id, String title, String why, String does, List<String> commands, Optional<String> plannedSkip) {
        this(number, id, title, why, does, commands, plannedSkip, List.of());
    }

    StepItem(int number, String id, String title, String why, String does, List<String> commands, Optional<String> plannedSkip,
             List<String> touches) {
        this.touches = List.copyOf(touches);
        this.number = number;
        this.id = id;
        this.title = title;
        this.why = why;
        this.does = does;
        this.commands = List.copyOf(commands);
        this.plannedSkip = plannedSkip;
        plannedSkip.ifPresent(w -> detail.set("Will be skipped: " + w));
    }

    /** The workloads whose pods it acts on or waits for ({@code deployment/orchestrator}): the pods' log tail follows them. */
    public List<String> touches() {
        return touches;
    }

    /** 1-based position in the plan. */
    public int number() {
        return number;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String why() {
        return why;
    }

    public String does() {
        return does;
    }

    /** The equivalent shell commands, ready to paste. */
    public List<String> commands() {
        return commands;
    }

    /** Why the dry-run says this step will be skipped, if it will. */
    public Optional<String> plannedSkip() {
        return plannedSkip;
    }

    public ReadOnlyObjectProperty<StepState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public StepState getState() {
        return state.get();
    }

    /** What it is doing now, why it was skipped, or why it failed and what to do. */
    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    public String getDetail() {
        return detail.get();
    }

    /** "4.2 s": how long it ran (or runs so far). */
    public ReadOnlyStringProperty elapsedProperty() {
        return elapsed.getReadOnlyProperty();
    }

    public String getElapsed() {
        return elapsed.get();
    }

    /** How long it took, once it succeeded. */
    public Optional<Duration> took() {
        return Optional.ofNullable(took);
    }

    /** The lines it logged in this run, oldest first (a copy). */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    void start(Instant at) {
        startedAt = at;
        took = null;
        lines.clear();
        state.set(StepState.RUNNING);
        detail.set("");
        elapsed.set("0.0 s");
    }

    void progress(String message) {
        detail.set(message);
    }

    void log(String line) {
        lines.add(line);
    }

    void succeeded(Duration duration) {
        took = duration;
        state.set(StepState.SUCCEEDED);
        elapsed.set(seconds(duration));
        detail.set("");
    }

    void skipped(String why) {
        state.set(StepState.SKIPPED);
        detail.set("Skipped: " + why);
        elapsed.set("");
    }

    void failed(String reason, String whatToDo, Instant at) {
        state.set(StepState.FAILED);
        detail.set(reason + (whatToDo.isBlank() ? "" : "\nWhat to do: " + whatToDo));
        stopClock(at);
    }

    void cancelled(Instant at) {
        state.set(StepState.CANCELLED);
        detail.set("Cancelled by the operator.");
        stopClock(at);
    }

    /** A step the saved run had done already (a resumed run does not repeat it). */
    void doneBefore() {
        state.set(StepState.SUCCEEDED);
        detail.set("Done in an earlier attempt of this run.");
    }

    void reset() {
        state.set(StepState.PENDING);
        detail.set(plannedSkip.map(w -> "Will be skipped: " + w).orElse(""));
        elapsed.set("");
        lines.clear();
        startedAt = null;
        took = null;
    }

    /** The running step's clock, read again. */
    void tick(Instant now) {
        if (state.get() == StepState.RUNNING && startedAt != null) {
            elapsed.set(seconds(Duration.between(startedAt, now)));
        }
    }

    private void stopClock(Instant at) {
        if (startedAt != null) {
            elapsed.set(seconds(Duration.between(startedAt, at)));
        }
    }

    static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
