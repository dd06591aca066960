package fleet.console.ui.common;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.stage.Modality;
import javafx.stage.Window;

import java.util.Objects;

/**
 * The console's one confirmation for destructive actions: it names what is destroyed and where
 * (sandbox or which context), the safe choice is the default (Enter cancels), and the action runs only
 * on an explicit yes. Shown without blocking the FX thread; the answer arrives as a callback.
 */
public final class ConfirmDialog {

    /** The dialog's style class (and the window a test looks for). */
    public static final String STYLE_CLASS = "confirm-dialog";

    private ConfirmDialog() {
    }

    /**
     * @param what         the question ("Delete pod orchestrator-6d8f-abcde?")
     * @param consequences what it destroys, in full sentences
     * @param confirmLabel the button that does it ("Delete pod"): a verb, never "OK"
     */
    public static Alert ask(Window owner, String what, String consequences, String confirmLabel, Runnable onConfirm) {
        Objects.requireNonNull(onConfirm);
        ButtonType confirm = new ButtonType(confirmLabel, ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(Alert.AlertType.WARNING, "", cancel, confirm);
        alert.initOwner(owner);
        alert.initModality(Modality.WINDOW_MODAL);
        alert.setTitle(confirmLabel);
        alert.setHeaderText(what);
        Label text = new Label(consequences);
        text.setWrapText(true);
        text.setMaxWidth(520);
        text.getStyleClass().add("confirm-consequences");
        alert.getDialogPane().setContent(text);
        alert.getDialogPane().getStyleClass().add(STYLE_CLASS);
        if (owner != null && owner.getScene() != null) {
            alert.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
            if (owner.getScene().getRoot().getStyleClass().contains(StyleClasses.DARK)) {
                alert.getDialogPane().getStyleClass().add(StyleClasses.DARK);
            }
        }
        // A stray Enter must not destroy anything: the default button is Cancel.
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(confirm)).setDefaultButton(false);
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(cancel)).setDefaultButton(true);
        alert.getDialogPane().lookupButton(confirm).getStyleClass().add("danger-button");
        alert.resultProperty().addListener((o, old, result) -> {
            if (result == confirm) {
                onConfirm.run();
            }
        });
        alert.show();
        return alert;
    }
}
