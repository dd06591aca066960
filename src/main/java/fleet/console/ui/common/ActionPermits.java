package fleet.console.ui.common;

import fleet.console.cluster.Access;
import fleet.console.cluster.ClusterSession;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanExpression;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Whether an area's mutating actions may be offered in this session: read-only mode, else the API
 * server's answer to "may I?" (a SelfSubjectAccessReview, asked once per session on the background
 * executor). An action not allowed is disabled with the reason in words, never offered to fail later.
 *
 * <p>Each action is named and mapped to the permission it needs in a namespace. {@link #refusal(String)}
 * is null while the action is allowed (or not yet known: the action itself still meets the server's
 * 403), else the reason. Its values change on the UI executor only.
 */
public final class ActionPermits {

    /** Said of every action while nothing is connected. */
    public static final String NOT_CONNECTED = "Not connected: choose a context or open the sandbox first.";

    private final Executor background;
    private final Executor ui;
    private final Map<String, Function<String, Access.Permission>> actions = new LinkedHashMap<>();
    private final Map<String, ReadOnlyStringWrapper> refusals = new LinkedHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", null);

    public ActionPermits(Executor background, Executor ui) {
        this.background = background;
        this.ui = ui;
    }

    /** Names an action (in words: the area shows the name) and the permission it needs in a namespace. Call before the first {@link #update}. */
    public ActionPermits define(String action, Function<String, Access.Permission> permission) {
        actions.put(action, permission);
        ReadOnlyStringWrapper w = new ReadOnlyStringWrapper(this, action, NOT_CONNECTED);
        w.addListener((o, was, now) -> summarize());
        refusals.put(action, w);
        return this;
    }

    /**
     * One line for the area: which of its actions are disabled and why (null while all are allowed or
     * nothing is connected). Read-only mode is said once, not per action.
     */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    private void summarize() {
        Map<String, String> refused = new LinkedHashMap<>();
        refusals.forEach((action, w) -> {
            if (w.get() != null && !NOT_CONNECTED.equals(w.get())) {
                refused.put(action, w.get());
            }
        });
        if (refused.isEmpty()) {
            summary.set(null);
        } else if (refused.values().stream().allMatch(r -> r.startsWith(fleet.console.cluster.ReadOnlyGuard.MESSAGE))) {
            summary.set("Read-only mode: " + String.join(", ", refused.keySet()) + " disabled.");
        } else {
            summary.set("Disabled: " + refused.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(java.util.stream.Collectors.joining("; ")));
        }
    }

    private static javafx.scene.Node lock() {
        javafx.scene.layout.Region lock = new javafx.scene.layout.Region();
        lock.getStyleClass().addAll(StyleClasses.ICON, StyleClasses.LOCK);
        return lock;
    }

    /** Why the action may not be taken now; null while it may. */
    public ReadOnlyStringProperty refusal(String action) {
        ReadOnlyStringWrapper w = refusals.get(action);
        if (w == null) {
            throw new IllegalArgumentException("no action named " + action + " was defined");
        }
        return w.getReadOnlyProperty();
    }

    /** The current reason, for the view model's own guard before it acts (null: go ahead). */
    public String refusalNow(String action) {
        return refusal(action).get();
    }

    /** Asks again for this session (null: not connected). Call on the UI thread. */
    public void update(ClusterSession session) {
        long gen = generation.incrementAndGet();
        if (session == null) {
            refusals.values().forEach(w -> w.set(NOT_CONNECTED));
            return;
        }
        Map<String, Function<String, Access.Permission>> asked = new LinkedHashMap<>(actions);
        background.execute(() -> {
            Map<String, String> answers = new LinkedHashMap<>();
            for (Map.Entry<String, Function<String, Access.Permission>> e : asked.entrySet()) {
                String why;
                try {
                    why = session.refusal(e.getValue().apply(session.namespace())).orElse(null);
                } catch (RuntimeException ex) {
                    why = null; // could not be asked: the action is tried and the server answers
                }
                answers.put(e.getKey(), why);
            }
            ui.execute(() -> {
                if (generation.get() == gen) {
                    answers.forEach((action, why) -> refusals.get(action).set(why));
                }
            });
        });
    }

    /**
     * Disables a control while its action is refused or {@code otherwise} holds, and says why in its
     * tooltip (the reason, or {@code help} while allowed) and its accessible help.
     */
    public static void guard(Control control, ObservableValue<String> refusal, BooleanExpression otherwise, String help) {
        control.disableProperty().bind(Bindings.createBooleanBinding(() -> refusal.getValue() != null, refusal)
                .or(otherwise == null ? javafx.beans.binding.Bindings.createBooleanBinding(() -> false) : otherwise));
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(Bindings.createStringBinding(
                () -> refusal.getValue() != null ? refusal.getValue() : help, refusal));
        tip.setWrapText(true);
        tip.setMaxWidth(420);
        control.setTooltip(tip);
        control.accessibleHelpProperty().bind(tip.textProperty());
        // A disabled control shows no tooltip in JavaFX: a refused one wears a lock and a style class, and
        // the area says why in words ({@link #summaryProperty()}).
        Runnable mark = () -> {
            boolean refused = refusal.getValue() != null;
            control.getStyleClass().remove(StyleClasses.REFUSED);
            if (refused) {
                control.getStyleClass().add(StyleClasses.REFUSED);
            }
            if (control instanceof javafx.scene.control.Labeled labeled) {
                labeled.setGraphic(refused ? lock() : null);
            }
        };
        mark.run();
        refusal.addListener((o, was, now) -> mark.run());
    }
}
