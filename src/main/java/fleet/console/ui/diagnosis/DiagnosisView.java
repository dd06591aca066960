package fleet.console.ui.diagnosis;

import fleet.console.ui.common.AreaKey;
import fleet.console.ui.common.StatusBadge;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.VBox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Objects;
import java.util.function.Consumer;

/** FXML controller of fxml/diagnosis/diagnosis.fxml: binds the Diagnosis panel to its view-model, nothing more. */
public final class DiagnosisView {

    public static final String FXML = "/fxml/diagnosis/diagnosis.fxml";

    private final DiagnosisViewModel model;

    @FXML
    private VBox panel;
    @FXML
    private Label headlineLabel;
    @FXML
    private Button refreshButton;
    @FXML
    private ListView<DiagnosisViewModel.CauseRow> causeList;
    @FXML
    private VBox detailBox;
    @FXML
    private StatusBadge causeBadge;
    @FXML
    private Label explanationLabel;
    @FXML
    private Label confidenceLabel;
    @FXML
    private Label blockedByLabel;
    @FXML
    private TextField evidenceFilter;
    @FXML
    private TableView<DiagnosisViewModel.EvidenceRow> evidenceTable;
    @FXML
    private TableColumn<DiagnosisViewModel.EvidenceRow, String> originColumn;
    @FXML
    private TableColumn<DiagnosisViewModel.EvidenceRow, String> whereColumn;
    @FXML
    private TableColumn<DiagnosisViewModel.EvidenceRow, String> textColumn;
    @FXML
    private Label fixSummaryLabel;
    @FXML
    private Label fixCommandLabel;
    @FXML
    private Button fixButton;
    @FXML
    private Button copyFixButton;
    @FXML
    private Button proveButton;
    @FXML
    private Label sectionLabel;
    @FXML
    private Label noticeLabel;

    public DiagnosisView(DiagnosisViewModel model) {
        this.model = model;
    }

    /** The panel, loaded from its FXML and bound to the model (the pod detail pane embeds it; tests show it alone). */
    public static Parent load(DiagnosisViewModel model) {
        URL url = Objects.requireNonNull(DiagnosisView.class.getResource(FXML), FXML + " is not on the class path");
        FXMLLoader loader = new FXMLLoader(url);
        loader.setControllerFactory(type -> new DiagnosisView(model));
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not load " + FXML, e);
        }
    }

    /** The system clipboard, as the app gives it to the view-model (call on the FX thread). */
    public static Consumer<String> systemClipboard() {
        return text -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(text);
            Clipboard.getSystemClipboard().setContent(content);
        };
    }

    @FXML
    private void initialize() {
        headlineLabel.textProperty().bind(model.headlineProperty());
        refreshButton.setOnAction(e -> model.refresh());
        refreshButton.disableProperty().bind(model.podProperty().isEmpty());

        causeList.setItems(model.causes());
        causeList.setCellFactory(l -> new CauseCell());
        causeList.visibleProperty().bind(Bindings.isNotEmpty(model.causes()));
        causeList.managedProperty().bind(causeList.visibleProperty());
        model.selectedProperty().addListener((o, old, now) -> {
            if (causeList.getSelectionModel().getSelectedItem() != now) {
                causeList.getSelectionModel().select(now);
            }
        });
        causeList.getSelectionModel().selectedItemProperty().addListener((o, old, now) -> {
            if (now != null && now != model.selectedProperty().get()) {
                model.choose(now);
            }
        });

        detailBox.visibleProperty().bind(model.selectedProperty().isNotNull());
        detailBox.managedProperty().bind(detailBox.visibleProperty());
        causeBadge.textProperty().bind(model.causeProperty());
        causeBadge.severityProperty().bind(model.levelProperty());
        explanationLabel.textProperty().bind(model.explanationProperty());
        bindOptional(confidenceLabel, model.confidenceProperty());
        bindOptional(blockedByLabel, model.blockedByProperty());
        sectionLabel.textProperty().bind(model.sectionProperty());

        evidenceFilter.textProperty().bindBidirectional(model.evidenceFilterProperty());
        evidenceTable.setItems(model.evidence());
        evidenceTable.setPlaceholder(new Label("No evidence matches the filter."));
        originColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().origin()));
        whereColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().where()));
        textColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().text()));
        evidenceTable.setRowFactory(t -> new EvidenceTableRow());
        evidenceTable.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                model.openSource(evidenceTable.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        MenuItem copyCommand = new MenuItem("Copy the command that shows it");
        copyCommand.setOnAction(e -> model.copyEvidenceCommand(evidenceTable.getSelectionModel().getSelectedItem()));
        evidenceTable.setContextMenu(new ContextMenu(copyCommand));
        proveButton.visibleProperty().bind(model.provableProperty());
        proveButton.managedProperty().bind(proveButton.visibleProperty());
        proveButton.disableProperty().bind(model.provingProperty());
        proveButton.setOnAction(e -> model.prove());

        fixSummaryLabel.textProperty().bind(model.fixSummaryProperty());
        bindOptional(fixCommandLabel, model.fixCommandProperty());
        fixButton.textProperty().bind(model.fixActionProperty());
        fixButton.visibleProperty().bind(model.hasFixProperty());
        fixButton.managedProperty().bind(fixButton.visibleProperty());
        fixButton.setOnAction(e -> model.applyFix());
        copyFixButton.visibleProperty().bind(model.runbookFixProperty());
        copyFixButton.managedProperty().bind(copyFixButton.visibleProperty());
        copyFixButton.setOnAction(e -> model.copyFixCommand());
        bindOptional(noticeLabel, model.noticeProperty());

        // Keys act while the focus is in the panel: embedded in the Pods area, its keys stay the area's.
        panel.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            Runnable action = null;
            if (F5.match(e)) {
                action = model::refresh;
            } else if (RUN_FIX.match(e)) {
                action = model::applyFix;
            } else if (COPY_FIX.match(e)) {
                action = model::copyFixCommand;
            } else if (FIND.match(e)) {
                action = evidenceFilter::requestFocus;
            }
            if (action != null) {
                action.run();
                e.consume();
            }
        });
    }

    private static final KeyCombination F5 = new KeyCodeCombination(KeyCode.F5);
    private static final KeyCombination RUN_FIX = new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination COPY_FIX = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);
    private static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);

    /** The keys the Diagnosis panel handles, for the help overlay (the same objects the handler matches). */
    public static final java.util.List<AreaKey> KEYS = java.util.List.of(
            new AreaKey(F5, "Diagnose again"),
            new AreaKey(RUN_FIX, "Run the fix"),
            new AreaKey(COPY_FIX, "Copy the fix's command"),
            new AreaKey(FIND, "Filter the evidence"));

    private static void bindOptional(Label label, javafx.beans.value.ObservableStringValue text) {
        label.textProperty().bind(text);
        label.visibleProperty().bind(Bindings.isNotEmpty(text));
        label.managedProperty().bind(label.visibleProperty());
    }

    /** A cause with the icon of its level, in words. */
    private static final class CauseCell extends ListCell<DiagnosisViewModel.CauseRow> {
        private final StatusBadge badge = new StatusBadge();

        @Override
        protected void updateItem(DiagnosisViewModel.CauseRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
            } else {
                badge.show(row.level(), row.title());
                setGraphic(badge);
            }
        }
    }

    /** A piece of evidence: its command in the tooltip; a double click (or Enter) opens its source. */
    private final class EvidenceTableRow extends TableRow<DiagnosisViewModel.EvidenceRow> {
        private final Tooltip tooltip = new Tooltip();

        EvidenceTableRow() {
            tooltip.setWrapText(true);
            tooltip.setMaxWidth(700);
            setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && getItem() != null) {
                    model.openSource(getItem());
                }
            });
        }

        @Override
        protected void updateItem(DiagnosisViewModel.EvidenceRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setTooltip(null);
            } else {
                tooltip.setText(row.what() + ": " + row.text() + "\nDouble click opens it; shown in a terminal by: " + row.command());
                setTooltip(tooltip);
            }
        }
    }
}
