package fleet.console.ui.shell;

import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The list of keyboard shortcuts ({@code ?} or F1), grouped by where they are, read from the menus. */
final class HelpOverlay {

    private final Supplier<List<Shortcut>> shortcuts;
    private final VBox card = new VBox(10);
    private final GridPane grid = new GridPane();

    HelpOverlay(Supplier<List<Shortcut>> shortcuts) {
        this.shortcuts = shortcuts;
        card.setId("helpOverlay");
        card.getStyleClass().add("overlay-card");
        card.setPadding(new Insets(18, 22, 18, 22));
        card.setPrefWidth(560);
        Label title = new Label("Keyboard shortcuts");
        title.getStyleClass().add("overlay-title");
        Label hint = new Label("Press ? or F1 to show this list, Esc to close it.");
        hint.getStyleClass().add("overlay-hint");
        grid.setId("shortcutList");
        grid.setHgap(18);
        grid.setVgap(4);
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(460);
        scroll.getStyleClass().add("overlay-scroll");
        card.getChildren().addAll(title, hint, scroll);
        card.setFocusTraversable(true);
    }

    /** Fills the list anew (menus change: the Sandbox menu is rebuilt as faults come and go). */
    VBox card() {
        grid.getChildren().clear();
        Map<String, List<Shortcut>> byPlace = new LinkedHashMap<>();
        for (Shortcut s : shortcuts.get()) {
            byPlace.computeIfAbsent(s.where(), k -> new java.util.ArrayList<>()).add(s);
        }
        int row = 0;
        for (Map.Entry<String, List<Shortcut>> place : byPlace.entrySet()) {
            Label heading = new Label(place.getKey());
            heading.getStyleClass().add("shortcut-group");
            grid.add(heading, 0, row++, 2, 1);
            for (Shortcut s : place.getValue()) {
                Label keys = new Label(s.keys());
                keys.getStyleClass().add("shortcut-keys");
                Label action = new Label(s.action());
                action.getStyleClass().add("shortcut-action");
                grid.add(keys, 0, row);
                grid.add(action, 1, row++);
            }
        }
        return card;
    }
}
