package fleet.console.ui.runbooks;

import fleet.console.runbook.RunRecord;
import fleet.console.runbook.Runbooks;
import fleet.console.ui.common.Fxml;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.Map;

/**
 * FXML controller of fxml/runbooks/runbooks.fxml: the list of runbooks (filter with {@code /}), the
 * chosen one's options (only those it takes), Dry-run and the command line to copy, the offer to resume
 * or abandon a run that did not finish, and the wizard of fxml/runbooks/run-wizard.fxml.
 */
public final class RunbooksView {

    private final RunbooksViewModel model;

    @FXML
    private VBox root;
    @FXML
    private Label summaryLabel;
    @FXML
    private HBox pendingBar;
    @FXML
    private Label pendingLabel;
    @FXML
    private Button resumePendingButton;
    @FXML
    private Button abandonPendingButton;
    @FXML
    private TextField filterField;
    @FXML
    private ListView<Runbooks.Entry> runbookList;
    @FXML
    private Label chooseLabel;
    @FXML
    private FlowPane optionsPane;
    @FXML
    private HBox serviceBox;
    @FXML
    private ComboBox<String> serviceChooser;
    @FXML
    private CheckBox skipBuildCheck;
    @FXML
    private CheckBox noWaitCheck;
    @FXML
    private CheckBox viaJobCheck;
    @FXML
    private CheckBox skipStreamsCheck;
    @FXML
    private CheckBox skipCouncilsCheck;
    @FXML
    private CheckBox skipBackupCheck;
    @FXML
    private HBox revisionBox;
    @FXML
    private TextField revisionField;
    @FXML
    private HBox tagBox;
    @FXML
    private TextField tagField;
    @FXML
    private HBox manifestsBox;
    @FXML
    private TextField manifestsField;
    @FXML
    private HBox backupToBox;
    @FXML
    private TextField backupToField;
    @FXML
    private HBox sourceBox;
    @FXML
    private TextField sourceField;
    @FXML
    private Label optionProblemLabel;
    @FXML
    private HBox planBar;
    @FXML
    private Button dryRunButton;
    @FXML
    private Button copyCommandLineButton;
    @FXML
    private Tooltip commandLineTip;
    @FXML
    private StackPane wizardPane;

    public RunbooksView(RunbooksViewModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        summaryLabel.setText(Runbooks.all().size() + " procedures of the operations runbook; each step says why and shows its commands");

        pendingBar.visibleProperty().bind(model.pendingRunProperty().isNotNull());
        pendingBar.managedProperty().bind(pendingBar.visibleProperty());
        pendingLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            RunRecord r = model.getPendingRun();
            return r == null ? "" : RunbooksViewModel.describe(r) + " Resume it from there, or abandon it (what it stopped is scaled back).";
        }, model.pendingRunProperty()));
        resumePendingButton.setOnAction(e -> model.resumePending());
        abandonPendingButton.setOnAction(e -> model.abandonPending());

        filterField.textProperty().bindBidirectional(model.filterTextProperty());
        runbookList.setItems(model.shownRunbooks());
        runbookList.setCellFactory(l -> new EntryCell());
        runbookList.getSelectionModel().selectedItemProperty().addListener((o, old, now) -> {
            if (now != null && now != model.getSelected()) {
                model.selectedProperty().set(now);
            }
        });
        model.selectedProperty().addListener((o, old, now) -> {
            if (now != null && runbookList.getSelectionModel().getSelectedItem() != now) {
                runbookList.getSelectionModel().select(now);
            }
            showOptions();
        });

        serviceChooser.setItems(model.services());
        serviceChooser.valueProperty().bindBidirectional(model.serviceProperty());
        skipBuildCheck.selectedProperty().bindBidirectional(model.skipBuildProperty());
        noWaitCheck.selectedProperty().bindBidirectional(model.noWaitProperty());
        viaJobCheck.selectedProperty().bindBidirectional(model.viaJobProperty());
        skipStreamsCheck.selectedProperty().bindBidirectional(model.skipStreamsProperty());
        skipCouncilsCheck.selectedProperty().bindBidirectional(model.skipCouncilsProperty());
        skipBackupCheck.selectedProperty().bindBidirectional(model.skipBackupProperty());
        // Typed fields plan again when the operator is done typing (Enter or leaving the field).
        committed(revisionField, model.toRevisionProperty());
        committed(tagField, model.tagProperty());
        committed(manifestsField, model.manifestsProperty());
        committed(backupToField, model.backupToProperty());
        committed(sourceField, model.sourceProperty());
        optionProblemLabel.textProperty().bind(model.optionProblemProperty());
        optionProblemLabel.visibleProperty().bind(model.optionProblemProperty().isNotEmpty());
        optionProblemLabel.managedProperty().bind(optionProblemLabel.visibleProperty());

        dryRunButton.setOnAction(e -> model.dryRun());
        dryRunButton.disableProperty().bind(model.selectedProperty().isNull()
                .or(model.wizard().phaseProperty().isEqualTo(RunWizardViewModel.Phase.RUNNING)));
        copyCommandLineButton.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(model.commandLine());
            Clipboard.getSystemClipboard().setContent(content);
        });
        copyCommandLineButton.setOnMouseEntered(e -> commandLineTip.setText(model.commandLine()));
        copyCommandLineButton.disableProperty().bind(model.selectedProperty().isNull());

        Node wizard = Fxml.load("/fxml/runbooks/run-wizard.fxml", new RunWizardView(model.wizard()));
        wizardPane.getChildren().setAll(wizard);
        showOptions();

        root.addEventFilter(KeyEvent.KEY_TYPED, e -> {
            if ("/".equals(e.getCharacter()) && !(root.getScene().getFocusOwner() instanceof TextInputControl)) {
                filterField.requestFocus();
                e.consume();
            }
        });
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.D && e.isShortcutDown() && model.getSelected() != null) {
                model.dryRun();
                e.consume();
            }
        });
    }

    private void committed(TextField field, javafx.beans.property.StringProperty property) {
        field.setText(property.get());
        property.addListener((o, old, now) -> {
            if (!field.getText().equals(now)) {
                field.setText(now == null ? "" : now);
            }
        });
        field.setOnAction(e -> property.set(field.getText()));
        field.focusedProperty().addListener((o, was, is) -> {
            if (!is) {
                property.set(field.getText());
            }
        });
    }

    private void showOptions() {
        boolean chosen = model.getSelected() != null;
        chooseLabel.setVisible(!chosen);
        chooseLabel.setManaged(!chosen);
        planBar.setVisible(chosen);
        planBar.setManaged(chosen);
        Map<Node, RunbooksViewModel.Option> shown = Map.ofEntries(
                Map.entry(serviceBox, RunbooksViewModel.Option.SERVICE),
                Map.entry(skipBuildCheck, RunbooksViewModel.Option.SKIP_BUILD),
                Map.entry(noWaitCheck, RunbooksViewModel.Option.NO_WAIT),
                Map.entry(viaJobCheck, RunbooksViewModel.Option.VIA_JOB),
                Map.entry(skipStreamsCheck, RunbooksViewModel.Option.SKIP_STREAMS),
                Map.entry(skipCouncilsCheck, RunbooksViewModel.Option.SKIP_COUNCILS),
                Map.entry(skipBackupCheck, RunbooksViewModel.Option.SKIP_BACKUP),
                Map.entry(revisionBox, RunbooksViewModel.Option.TO_REVISION),
                Map.entry(tagBox, RunbooksViewModel.Option.TAG),
                Map.entry(manifestsBox, RunbooksViewModel.Option.MANIFESTS),
                Map.entry(backupToBox, RunbooksViewModel.Option.BACKUP_TO),
                Map.entry(sourceBox, RunbooksViewModel.Option.SOURCE));
        boolean any = false;
        for (Map.Entry<Node, RunbooksViewModel.Option> e : shown.entrySet()) {
            boolean takes = model.takes(e.getValue());
            e.getKey().setVisible(takes);
            e.getKey().setManaged(takes);
            any |= takes;
        }
        optionsPane.setVisible(any);
        optionsPane.setManaged(any);
    }

    /** A runbook: its name and, below, what it does. */
    private static final class EntryCell extends ListCell<Runbooks.Entry> {
        private final Label name = new Label();
        private final Label summary = new Label();
        private final VBox box = new VBox(2, name, summary);

        EntryCell() {
            name.getStyleClass().add("runbook-name");
            summary.getStyleClass().add("runbook-summary");
            summary.setWrapText(true);
            summary.setMaxWidth(260);
        }

        @Override
        protected void updateItem(Runbooks.Entry item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setId(null);
            } else {
                name.setText(item.name());
                summary.setText(item.summary());
                setGraphic(box);
                setId("runbook-" + item.name());
            }
        }
    }
}
