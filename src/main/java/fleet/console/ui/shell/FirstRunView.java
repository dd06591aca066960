package fleet.console.ui.shell;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The welcome view of a first run: each area in three lines, then the two ways to start. Bindings
 * only; {@link FirstRunViewModel} decides.
 */
final class FirstRunView {

    private final VBox card = new VBox(12);
    private final Button sandboxButton = new Button("Open the sandbox");

    FirstRunView(FirstRunViewModel model) {
        card.setId("firstRunView");
        card.getStyleClass().add("overlay-card");
        card.setPadding(new Insets(20, 24, 20, 24));
        card.setPrefWidth(900);

        Label title = new Label("Welcome to Fleet Console");
        title.getStyleClass().add("overlay-title");
        Label intro = new Label("It shows what is wrong in the SWE AI Fleet and runs the operations runbook for you. "
                + "The areas, on the left of the window:");
        intro.setWrapText(true);

        GridPane areas = new GridPane();
        areas.setHgap(16);
        areas.setVgap(10);
        int i = 0;
        for (Area area : Area.values()) {
            VBox box = new VBox(2);
            box.setId("guide-" + area.name().toLowerCase(java.util.Locale.ROOT));
            box.getStyleClass().add("area-guide");
            Label name = new Label(area.title() + "   " + new KeyCodeCombination(KeyCode.valueOf("DIGIT" + area.shortcutDigit()),
                    KeyCombination.SHORTCUT_DOWN).getDisplayText());
            name.getStyleClass().add("area-guide-title");
            box.getChildren().add(name);
            for (String line : AreaGuide.lines(area)) {
                Label l = new Label(line);
                l.getStyleClass().add("area-guide-line");
                l.setWrapText(true);
                box.getChildren().add(l);
            }
            areas.add(box, i % 2, i / 2);
            i++;
        }
        ScrollPane areaScroll = new ScrollPane(areas);
        areaScroll.setFitToWidth(true);
        areaScroll.setPrefViewportHeight(330);
        areaScroll.getStyleClass().add("overlay-scroll");

        Label start = new Label("Where to start");
        start.getStyleClass().add("overlay-subtitle");

        ComboBox<String> contexts = new ComboBox<>(model.contexts());
        contexts.setId("firstRunContexts");
        contexts.setPrefWidth(280);
        contexts.valueProperty().bindBidirectional(model.chosenContextProperty());
        contexts.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(model.contexts()));
        Button connect = new Button("Connect to this context");
        connect.setId("firstRunConnect");
        connect.disableProperty().bind(model.canConnectProperty().not());
        connect.setOnAction(e -> model.connectToContext());
        Label contextsNote = new Label();
        contextsNote.setId("firstRunContextsNote");
        contextsNote.getStyleClass().add("overlay-hint");
        contextsNote.setWrapText(true);
        contextsNote.textProperty().bind(model.contextsNoteProperty());
        VBox cluster = new VBox(6, new Label("A cluster of your kubeconfig"), new HBox(8, contexts, connect), contextsNote);

        sandboxButton.setId("firstRunSandbox");
        sandboxButton.setDefaultButton(true);
        sandboxButton.setOnAction(e -> model.openSandbox());
        Label sandboxNote = new Label("An embedded cluster with the fleet deployed, on this computer: safe to break "
                + "(the Sandbox menu injects the runbook's faults).");
        sandboxNote.getStyleClass().add("overlay-hint");
        sandboxNote.setWrapText(true);
        VBox sandbox = new VBox(6, new Label("Or try it first"), sandboxButton, sandboxNote);
        HBox.setHgrow(cluster, Priority.ALWAYS);
        HBox.setHgrow(sandbox, Priority.ALWAYS);
        cluster.setPrefWidth(440);
        sandbox.setPrefWidth(400);
        HBox choices = new HBox(24, cluster, sandbox);

        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        Button later = new Button("Later");
        later.setId("firstRunLater");
        later.setOnAction(e -> model.close());
        Label footer = new Label("Help > Welcome shows this again; ? lists every shortcut.");
        footer.getStyleClass().add("overlay-hint");
        HBox bottom = new HBox(8, footer, gap, later);
        bottom.setAlignment(Pos.CENTER_LEFT);

        card.getChildren().addAll(title, intro, areaScroll, start, choices, bottom);
    }

    VBox card() {
        return card;
    }

    /** What gets the keyboard when the view opens. */
    Button initialFocus() {
        return sandboxButton;
    }
}
