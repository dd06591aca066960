package fleet.console.ui.councils;

import fleet.console.councils.CouncilJobs;
import fleet.console.councils.OrchestratorCouncils;
import fleet.console.ui.common.Severity;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.common.StyleClasses;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import fleet.console.ui.common.ActionPermits;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.stage.Modality;
import javafx.stage.Window;

import java.util.Optional;

/** FXML controller of fxml/councils/councils.fxml: binds the councils area to its view-model, and asks before destroying. */
public final class CouncilsView {

    /** The style class of the confirmation dialog (and what a test looks for). */
    public static final String CONFIRM_DIALOG = "councils-confirm";

    private final CouncilsViewModel model;

    @FXML
    private Label summaryLabel;
    @FXML
    private Label problemLabel;
    @FXML
    private Button refreshButton;
    @FXML
    private TableView<CouncilsViewModel.ReplicaRow> replicaTable;
    @FXML
    private TableColumn<CouncilsViewModel.ReplicaRow, String> replicaPodColumn;
    @FXML
    private TableColumn<CouncilsViewModel.ReplicaRow, String> replicaCountColumn;
    @FXML
    private TableColumn<CouncilsViewModel.ReplicaRow, CouncilsViewModel.ReplicaRow> replicaStateColumn;
    @FXML
    private ListView<String> disagreementList;
    @FXML
    private TableView<CouncilsViewModel.CouncilRow> councilTable;
    @FXML
    private TableColumn<CouncilsViewModel.CouncilRow, String> roleColumn;
    @FXML
    private TableColumn<CouncilsViewModel.CouncilRow, String> replicaColumn;
    @FXML
    private TableColumn<CouncilsViewModel.CouncilRow, CouncilsViewModel.CouncilRow> statusColumn;
    @FXML
    private TableColumn<CouncilsViewModel.CouncilRow, String> councilColumn;
    @FXML
    private TableColumn<CouncilsViewModel.CouncilRow, String> countColumn;
    @FXML
    private TableColumn<CouncilsViewModel.CouncilRow, String> modelColumn;
    @FXML
    private TableColumn<CouncilsViewModel.CouncilRow, String> agentsColumn;
    @FXML
    private Button initButton;
    @FXML
    private Button deleteAllButton;
    @FXML
    private CheckBox viaJobCheck;
    @FXML
    private Label permitsLabel;
    @FXML
    private ComboBox<String> roleChoice;
    @FXML
    private Spinner<Integer> agentsSpinner;
    @FXML
    private TextField modelField;
    @FXML
    private ComboBox<String> agentTypeChoice;
    @FXML
    private Button createButton;
    @FXML
    private Button deleteOneButton;
    @FXML
    private Button adviseButton;
    @FXML
    private Label adviceLabel;
    @FXML
    private Button reinitButton;
    @FXML
    private Label resultSummaryLabel;
    @FXML
    private ListView<String> resultList;
    @FXML
    private ListView<String> jobLogList;
    @FXML
    private Label configurationLabel;

    private final Label emptyLabel = new Label();

    public CouncilsView(CouncilsViewModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        summaryLabel.textProperty().bind(model.summaryProperty());
        problemLabel.textProperty().bind(model.problemProperty());
        problemLabel.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problemLabel.managedProperty().bind(problemLabel.visibleProperty());
        refreshButton.setOnAction(e -> model.refresh());

        replicaTable.setItems(model.replicas());
        replicaTable.setPlaceholder(new Label("No orchestrator replica."));
        replicaPodColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().pod()));
        replicaCountColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.valueOf(c.getValue().councils())));
        replicaStateColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        replicaStateColumn.setCellFactory(c -> new BadgeCell<>(r -> r.severity(), r -> r.state()));

        disagreementList.setItems(model.disagreements());
        disagreementList.setCellFactory(l -> new DisagreementCell());
        disagreementList.visibleProperty().bind(Bindings.isNotEmpty(model.disagreements()));
        disagreementList.managedProperty().bind(disagreementList.visibleProperty());

        emptyLabel.textProperty().bind(model.emptyTextProperty());
        emptyLabel.setWrapText(true);
        councilTable.setPlaceholder(emptyLabel);
        councilTable.setItems(model.rows());
        roleColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().role()));
        replicaColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().replica()));
        statusColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        statusColumn.setCellFactory(c -> new BadgeCell<>(CouncilsViewModel.CouncilRow::severity, CouncilsViewModel.CouncilRow::statusText));
        councilColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().councilId()));
        countColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().agentCount()));
        modelColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().model()));
        agentsColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().agents()));
        agentsColumn.setCellFactory(c -> new WholeTextCell());
        councilTable.setRowFactory(t -> new CouncilTableRow());

        var idle = model.busyProperty().not().and(model.loadedProperty());
        // Initialise and delete-all go over gRPC or through the Jobs, as the check box says.
        javafx.beans.binding.StringBinding allRefusal = javafx.beans.binding.Bindings.createStringBinding(
                () -> model.permits().refusal(viaJobCheck.isSelected() ? CouncilsViewModel.RUN_JOB : CouncilsViewModel.CHANGE).get(),
                viaJobCheck.selectedProperty(), model.permits().refusal(CouncilsViewModel.RUN_JOB),
                model.permits().refusal(CouncilsViewModel.CHANGE));
        var oneRefusal = model.permits().refusal(CouncilsViewModel.CHANGE);
        ActionPermits.guard(initButton, allRefusal, idle.not(),
                "The runbook's init: every role with the agents and model in force; existing councils are kept.");
        ActionPermits.guard(deleteAllButton, allRefusal, idle.not(),
                "The runbook's delete: every role's council; asks first, naming what it destroys.");
        ActionPermits.guard(createButton, oneRefusal, idle.not().or(roleChoice.valueProperty().isNull()),
                "Create this role's council on every replica.");
        ActionPermits.guard(deleteOneButton, oneRefusal, idle.not().or(roleChoice.valueProperty().isNull()),
                "Delete this role's council on every replica; asks first, naming what it destroys.");
        ActionPermits.guard(adviseButton, oneRefusal, idle.not(),
                "Councils keep what they were created with: this says what a change needs, and offers it.");
        permitsLabel.textProperty().bind(model.permits().summaryProperty());
        permitsLabel.visibleProperty().bind(model.permits().summaryProperty().isNotNull());
        permitsLabel.managedProperty().bind(permitsLabel.visibleProperty());
        reinitButton.visibleProperty().bind(model.reinitOfferedProperty());
        reinitButton.managedProperty().bind(reinitButton.visibleProperty());
        reinitButton.disableProperty().bind(idle.not().or(oneRefusal.isNotNull()));
        adviceLabel.textProperty().bind(model.adviceProperty());

        roleChoice.setItems(model.roles());
        agentTypeChoice.getItems().setAll(model.agentTypes());
        agentTypeChoice.getSelectionModel().selectFirst();
        SpinnerValueFactory.IntegerSpinnerValueFactory agents =
                new SpinnerValueFactory.IntegerSpinnerValueFactory(1, OrchestratorCouncils.MAX_AGENTS, model.agentsInForceProperty().get());
        agentsSpinner.setValueFactory(agents);
        model.agentsInForceProperty().addListener((o, old, now) -> agents.setValue(now.intValue()));
        model.modelInForceProperty().addListener((o, old, now) -> {
            if (modelField.getText() == null || modelField.getText().isBlank() || modelField.getText().equals(old)) {
                modelField.setText(now);
            }
        });

        initButton.setOnAction(e -> {
            if (viaJobCheck.isSelected()) {
                model.runJob(CouncilJobs.Kind.INIT);
            } else {
                model.initialise();
            }
        });
        deleteAllButton.setOnAction(e -> confirm("Delete every council?",
                (viaJobCheck.isSelected() ? "Job " + CouncilJobs.Kind.DELETE.jobName()
                        + " reaches one replica through the orchestrator Service. " : "")
                        + model.deleteConsequences(Optional.empty()),
                "Delete councils", () -> {
                    if (viaJobCheck.isSelected()) {
                        model.runJob(CouncilJobs.Kind.DELETE);
                    } else {
                        model.deleteAll();
                    }
                }));
        createButton.setOnAction(e -> model.createCouncil(roleChoice.getValue(), agentsSpinner.getValue(), modelField.getText(),
                agentTypeChoice.getValue()));
        deleteOneButton.setOnAction(e -> {
            String role = roleChoice.getValue();
            confirm("Delete council " + role + "?", model.deleteConsequences(Optional.of(role)), "Delete council " + role,
                    () -> model.deleteCouncil(role));
        });
        adviseButton.setOnAction(e -> model.adviseChange(agentsSpinner.getValue(), modelField.getText()));
        reinitButton.setOnAction(e -> {
            int n = agentsSpinner.getValue();
            String m = modelField.getText();
            confirm("Re-initialise every council with " + n + " agents and " + m + "?",
                    model.deleteConsequences(Optional.empty()) + " They are then created again with " + n + " agents and " + m + ".",
                    "Re-initialise", () -> model.reinitialise(n, m));
        });

        resultSummaryLabel.textProperty().bind(model.resultSummaryProperty());
        resultList.setItems(model.results());
        resultList.setPlaceholder(new Label("What an action did, per role and replica."));
        jobLogList.setItems(model.jobLog());
        jobLogList.setPlaceholder(new Label("The log of a council Job, live, when one is run."));
        // The newest line in sight while a Job writes, as kubectl logs -f shows it.
        model.jobLog().addListener((javafx.collections.ListChangeListener<String>) c -> jobLogList.scrollTo(model.jobLog().size() - 1));
        configurationLabel.textProperty().bind(model.configurationProperty());
    }

    /**
     * Asks before destroying: says what and where, Cancel is the default (a stray Enter destroys nothing),
     * and the action runs only on the explicit button. Shown without blocking the FX thread.
     */
    private void confirm(String question, String consequences, String verb, Runnable onConfirm) {
        ButtonType yes = new ButtonType(verb, ButtonBar.ButtonData.OK_DONE);
        ButtonType no = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(Alert.AlertType.WARNING, "", no, yes);
        Window owner = councilTable.getScene() == null ? null : councilTable.getScene().getWindow();
        alert.initOwner(owner);
        alert.initModality(Modality.WINDOW_MODAL);
        alert.setTitle(verb);
        alert.setHeaderText(question);
        Label text = new Label(consequences);
        text.setWrapText(true);
        // A long list of councils would otherwise size the dialog to one unwrapped line, wider than the screen.
        text.setPrefWidth(520);
        text.setMaxWidth(520);
        text.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        alert.getDialogPane().setContent(text);
        alert.getDialogPane().setPrefWidth(580);
        alert.getDialogPane().getStyleClass().add(CONFIRM_DIALOG);
        if (owner != null && owner.getScene() != null) {
            alert.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
            if (owner.getScene().getRoot().getStyleClass().contains(StyleClasses.DARK)) {
                alert.getDialogPane().getStyleClass().add(StyleClasses.DARK);
            }
        }
        ((Button) alert.getDialogPane().lookupButton(yes)).setDefaultButton(false);
        ((Button) alert.getDialogPane().lookupButton(no)).setDefaultButton(true);
        alert.getDialogPane().lookupButton(yes).getStyleClass().add("danger-button");
        alert.resultProperty().addListener((o, old, result) -> {
            if (result == yes) {
                onConfirm.run();
            }
        });
        alert.show();
    }

    /** A status in words with the icon of its level, so a disagreement is never told by colour alone. */
    private static final class BadgeCell<S> extends TableCell<S, S> {
        private final StatusBadge badge = new StatusBadge();
        private final java.util.function.Function<S, Severity> severity;
        private final java.util.function.Function<S, String> text;

        BadgeCell(java.util.function.Function<S, Severity> severity, java.util.function.Function<S, String> text) {
            this.severity = severity;
            this.text = text;
        }

        @Override
        protected void updateItem(S row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                setTooltip(null);
            } else {
                badge.show(severity.apply(row), text.apply(row));
                setGraphic(badge);
                setTooltip(new Tooltip(text.apply(row)));
            }
        }
    }

    private static final class DisagreementCell extends ListCell<String> {
        private final StatusBadge badge = new StatusBadge();

        @Override
        protected void updateItem(String text, boolean empty) {
            super.updateItem(text, empty);
            if (empty || text == null) {
                setGraphic(null);
            } else {
                badge.show(Severity.WARNING, text);
                setGraphic(badge);
            }
        }
    }

    /** The agents rarely fit their column: the whole list in a tooltip. */
    private static final class WholeTextCell extends TableCell<CouncilsViewModel.CouncilRow, String> {
        private final Tooltip tooltip = new Tooltip();

        WholeTextCell() {
            tooltip.setWrapText(true);
            tooltip.setMaxWidth(600);
        }

        @Override
        protected void updateItem(String value, boolean empty) {
            super.updateItem(value, empty);
            boolean blank = empty || value == null || value.isEmpty();
            setText(blank ? null : value);
            tooltip.setText(blank ? "" : value.replace("; ", "\n"));
            setTooltip(blank ? null : tooltip);
        }
    }

    /** Rows of a disputed role are marked, as the overview marks unhealthy workloads. */
    private static final class CouncilTableRow extends TableRow<CouncilsViewModel.CouncilRow> {
        @Override
        protected void updateItem(CouncilsViewModel.CouncilRow row, boolean empty) {
            super.updateItem(row, empty);
            pseudoClassStateChanged(StyleClasses.PROBLEM, !empty && row != null && !row.disagreement().isEmpty());
        }
    }
}
