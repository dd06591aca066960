package fleet.console.ui.common;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;

import java.util.Arrays;
import java.util.Locale;

/**
 * A status told three ways at once: an icon whose shape names the level, its colour, and words. Used
 * for the connection state and for every health row, so one look means the same everywhere.
 */
public final class StatusBadge extends Label {

    private final Region icon = new Region();
    private final ObjectProperty<Severity> severity = new SimpleObjectProperty<>(this, "severity", Severity.IDLE);

    public StatusBadge() {
        getStyleClass().add(StyleClasses.STATUS_BADGE);
        icon.getStyleClass().add(StyleClasses.ICON);
        setGraphic(icon);
        severity.addListener((o, old, now) -> applySeverity(now));
        applySeverity(severity.get());
        // Screen readers get the level in words too, since the icon alone says nothing to them.
        accessibleTextProperty().bind(Bindings.createStringBinding(
                () -> severity.get().name().toLowerCase(Locale.ROOT) + ": " + getText(), severity, textProperty()));
    }

    public StatusBadge(Severity severity, String text) {
        this();
        show(severity, text);
    }

    public void show(Severity level, String text) {
        setSeverity(level);
        setText(text);
    }

    public ObjectProperty<Severity> severityProperty() {
        return severity;
    }

    public Severity getSeverity() {
        return severity.get();
    }

    public void setSeverity(Severity value) {
        severity.set(value == null ? Severity.IDLE : value);
    }

    /** The icon node: tests and screen readers can ask it which level it shows. */
    public Region icon() {
        return icon;
    }

    private void applySeverity(Severity level) {
        Severity shown = level == null ? Severity.IDLE : level;
        for (Region node : new Region[] {this, icon}) {
            node.getStyleClass().removeAll(Arrays.stream(Severity.values()).map(Severity::styleClass).toList());
            node.getStyleClass().add(shown.styleClass());
        }
    }
}
