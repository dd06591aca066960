package fleet.console.ui.rollouts;

import fleet.console.cluster.rollouts.WorkloadStatus;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Modality;
import javafx.stage.Window;

import java.util.function.BiConsumer;

/** Asks which container gets which image ({@code kubectl set image}); the answer makes a new revision. */
final class SetImageDialog {

    private SetImageDialog() {
    }

    static Dialog<ButtonType> show(Window owner, WorkloadStatus w, BiConsumer<String, String> onSet) {
        Dialog<ButtonType> dialog = new Dialog<>();
        if (owner != null) {
            dialog.initOwner(owner);
            if (owner.getScene() != null) {
                dialog.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
            }
        }
        dialog.initModality(Modality.WINDOW_MODAL);
        dialog.setTitle("Set image");
        dialog.setHeaderText("Set an image of " + w.kubectlName() + ": a new revision rolls out, its change-cause says what changed.");
        ComboBox<String> container = new ComboBox<>();
        container.getItems().setAll(w.images().keySet().stream().sorted().toList());
        container.setId("setImageContainer");
        TextField image = new TextField();
        image.setId("setImageField");
        image.setPrefColumnCount(48);
        container.valueProperty().addListener((o, old, now) -> image.setText(now == null ? "" : w.images().get(now)));
        if (!container.getItems().isEmpty()) {
            container.setValue(container.getItems().get(0));
        }
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.addRow(0, new Label("Container"), container);
        grid.addRow(1, new Label("Image"), image);
        dialog.getDialogPane().setContent(grid);
        ButtonType set = new ButtonType("Set image", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, set);
        dialog.getDialogPane().lookupButton(set).setId("setImageButtonOk");
        dialog.getDialogPane().lookupButton(set).disableProperty().bind(image.textProperty().isEmpty().or(container.valueProperty().isNull()));
        dialog.resultProperty().addListener((o, old, result) -> {
            if (result == set) {
                onSet.accept(container.getValue(), image.getText());
            }
        });
        dialog.show();
        image.requestFocus();
        return dialog;
    }
}
