package fleet.console.ui.shell;

import javafx.fxml.FXML;
import javafx.scene.control.Label;

/** FXML controller of fxml/shell/placeholder.fxml: an area not built yet, in honest words. */
public final class AreaPlaceholderView {

    private final Area area;

    @FXML
    private Label titleLabel;
    @FXML
    private Label comingLabel;

    public AreaPlaceholderView(Area area) {
        this.area = area;
    }

    @FXML
    private void initialize() {
        titleLabel.setText(area.title() + ": coming");
        comingLabel.setText(area.comingText());
    }
}
