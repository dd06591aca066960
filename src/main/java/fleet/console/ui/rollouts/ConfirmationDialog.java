package fleet.console.ui.rollouts;

import fleet.console.ui.common.StyleClasses;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Window;

import java.util.function.Consumer;

/**
 * Asks for the operator's yes to a {@link Confirmation}: what it destroys in numbers, the details (a
 * rollback's diff, steps and the pods it replaces) and the equivalent commands with a copy button.
 * Cancel is the default button (a stray Enter changes nothing); shown without blocking the FX thread.
 */
final class ConfirmationDialog {

    static final String STYLE_CLASS = "rollout-confirmation";

    private ConfirmationDialog() {
    }

    static Alert show(Window owner, Confirmation c, Runnable onConfirm, Runnable onCancel, Consumer<String> copy) {
        ButtonType confirm = new ButtonType(c.confirmLabel(), ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(Alert.AlertType.WARNING, "", cancel, confirm);
        if (owner != null) {
            alert.initOwner(owner);
        }
        alert.initModality(Modality.WINDOW_MODAL);
        alert.setTitle(c.confirmLabel());
        alert.setHeaderText(c.title());
        Label consequences = new Label(c.consequences());
        consequences.setWrapText(true);
        consequences.setMaxWidth(640);
        consequences.getStyleClass().add("confirm-consequences");
        consequences.setId("confirmConsequences");
        VBox content = new VBox(8, consequences);
        if (!c.details().isEmpty()) {
            TextArea details = new TextArea(String.join("\n", c.details()));
            details.setEditable(false);
            details.setWrapText(true);
            details.setPrefRowCount(Math.min(14, c.details().size() + 1));
            details.setPrefColumnCount(70);
            details.setId("confirmDetails");
            content.getChildren().add(details);
        }
        Label commands = new Label("$ " + c.commands());
        commands.setWrapText(true);
        commands.setMaxWidth(640);
        commands.getStyleClass().add("command-text");
        Button copyButton = new Button("Copy command");
        copyButton.setOnAction(e -> copy.accept(c.commands()));
        HBox commandRow = new HBox(8, commands, copyButton);
        HBox.setHgrow(commands, Priority.ALWAYS);
        content.getChildren().add(commandRow);
        alert.getDialogPane().setContent(content);
        alert.getDialogPane().getStyleClass().add(STYLE_CLASS);
        if (owner != null && owner.getScene() != null) {
            alert.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
            if (owner.getScene().getRoot().getStyleClass().contains(StyleClasses.DARK)) {
                alert.getDialogPane().getStyleClass().add(StyleClasses.DARK);
            }
        }
        ((Button) alert.getDialogPane().lookupButton(confirm)).setDefaultButton(false);
        ((Button) alert.getDialogPane().lookupButton(cancel)).setDefaultButton(true);
        alert.getDialogPane().lookupButton(confirm).setId("confirmButton");
        alert.getDialogPane().lookupButton(confirm).getStyleClass().add("danger-button");
        alert.resultProperty().addListener((o, old, result) -> {
            if (result == confirm) {
                onConfirm.run();
            } else {
                onCancel.run();
            }
        });
        alert.show();
        return alert;
    }
}
