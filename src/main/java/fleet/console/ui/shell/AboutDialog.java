package fleet.console.ui.shell;

import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Window;

import java.util.List;

/** Help > About: the console's version, the libraries it runs on, where its files are; Copy for bug reports. */
final class AboutDialog {

    private AboutDialog() {
    }

    static Dialog<Void> create(Window owner, AboutInfo about, List<String> stylesheets, boolean dark) {
        Dialog<Void> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.initModality(Modality.WINDOW_MODAL);
        dialog.setTitle("About Fleet Console");
        dialog.setHeaderText(about.product() + " " + about.version());
        dialog.getDialogPane().setId("aboutDialog");
        dialog.getDialogPane().getStylesheets().setAll(stylesheets);
        if (dark) {
            dialog.getDialogPane().getStyleClass().add("dark");
        }

        GridPane libraries = table("aboutLibraries", about.libraries());
        GridPane facts = table("aboutFacts", about.facts());
        Label runsOn = new Label("Runs on");
        runsOn.getStyleClass().add("overlay-subtitle");
        Label files = new Label("Files");
        files.getStyleClass().add("overlay-subtitle");
        Button copy = new Button("Copy to clipboard");
        copy.setId("aboutCopy");
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(about.text());
            Clipboard.getSystemClipboard().setContent(content);
            copy.setText("Copied");
        });
        VBox body = new VBox(8, runsOn, libraries, files, facts, copy);
        dialog.getDialogPane().setContent(body);
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        return dialog;
    }

    private static GridPane table(String id, List<AboutInfo.Entry> entries) {
        GridPane grid = new GridPane();
        grid.setId(id);
        grid.setHgap(14);
        grid.setVgap(3);
        int row = 0;
        for (AboutInfo.Entry e : entries) {
            Label name = new Label(e.name());
            name.getStyleClass().add("about-name");
            Label value = new Label(e.value());
            value.getStyleClass().add("about-value");
            grid.add(name, 0, row);
            grid.add(value, 1, row++);
        }
        return grid;
    }
}
