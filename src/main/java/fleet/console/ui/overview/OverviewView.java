package fleet.console.ui.overview;

import fleet.console.cluster.WorkloadHealth;
import fleet.console.ui.common.Severity;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.common.StyleClasses;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;

/** FXML controller of fxml/overview/overview.fxml: binds the health table to its view-model, nothing more. */
public final class OverviewView {

    private final OverviewViewModel model;

    @FXML
    private Label summaryLabel;
    @FXML
    private Label problemLabel;
    @FXML
    private StatusBadge liveBadge;
    @FXML
    private Button refreshButton;
    @FXML
    private TableView<WorkloadHealth> healthTable;
    @FXML
    private TableColumn<WorkloadHealth, WorkloadHealth> stateColumn;
    @FXML
    private TableColumn<WorkloadHealth, String> nameColumn;
    @FXML
    private TableColumn<WorkloadHealth, String> kindColumn;
    @FXML
    private TableColumn<WorkloadHealth, String> readyColumn;
    @FXML
    private TableColumn<WorkloadHealth, String> detailColumn;

    private final Label emptyLabel = new Label();

    public OverviewView(OverviewViewModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        summaryLabel.textProperty().bind(model.summaryProperty());
        problemLabel.textProperty().bind(model.problemProperty());
        problemLabel.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problemLabel.managedProperty().bind(problemLabel.visibleProperty());
        refreshButton.setOnAction(e -> model.refresh());
        // Following changes, or stale since when (the API server does not answer): the rows stay as last read.
        liveBadge.severityProperty().bind(model.freshnessSeverityProperty());
        liveBadge.textProperty().bind(model.freshnessProperty());

        emptyLabel.textProperty().bind(model.emptyTextProperty());
        emptyLabel.setWrapText(true);
        healthTable.setPlaceholder(emptyLabel);
        // Sorting by a column header reorders this view, never the model's rows.
        SortedList<WorkloadHealth> sorted = new SortedList<>(model.rows());
        sorted.comparatorProperty().bind(healthTable.comparatorProperty());
        healthTable.setItems(sorted);

        stateColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        stateColumn.setCellFactory(c -> new StateCell());
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        kindColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().kind()));
        readyColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().ready() + "/" + c.getValue().desired()));
        detailColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().detail()));
        detailColumn.setCellFactory(c -> new DetailCell());
        healthTable.setRowFactory(t -> new HealthTableRow());
    }

    /**
     * How a row reads: healthy, under way (pods starting, a rollout replacing pods: the busy icon, no
     * problem row, so an operator's own rollout raises no alarm), or a problem.
     */
    static Severity severityOf(WorkloadHealth row) {
        return row.healthy() ? Severity.OK : row.underWay() ? Severity.BUSY : Severity.PROBLEM;
    }

    /** The state in words with the icon of its level, so a problem is never told by colour alone. */
    private static final class StateCell extends TableCell<WorkloadHealth, WorkloadHealth> {
        private final StatusBadge badge = new StatusBadge();

        @Override
        protected void updateItem(WorkloadHealth row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
            } else {
                badge.show(severityOf(row), row.state());
                setGraphic(badge);
            }
        }
    }

    /** The whole reason in a tooltip: scheduler and crash messages rarely fit the column. */
    private static final class DetailCell extends TableCell<WorkloadHealth, String> {
        /**
         * Made when the pointer first enters the cell: a Tooltip is a popup window with a scene of its own,
         * and one per cell made eagerly was a tenth of the frame in which the table's first rows appear.
         */
        private Tooltip tooltip;

        DetailCell() {
            addEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, e -> {
                if (tooltip == null && getText() != null) {
                    tooltip = new Tooltip(getText());
                    tooltip.setWrapText(true);
                    tooltip.setMaxWidth(600);
                    setTooltip(tooltip);
                }
            });
        }

        @Override
        protected void updateItem(String detail, boolean empty) {
            super.updateItem(detail, empty);
            boolean blank = empty || detail == null || detail.isEmpty();
            setText(blank ? null : detail);
            if (tooltip != null) {
                tooltip.setText(blank ? "" : detail);
                setTooltip(blank ? null : tooltip);
            }
        }
    }

    private static final class HealthTableRow extends TableRow<WorkloadHealth> {
        @Override
        protected void updateItem(WorkloadHealth row, boolean empty) {
            super.updateItem(row, empty);
            pseudoClassStateChanged(StyleClasses.PROBLEM, !empty && row != null && severityOf(row) == Severity.PROBLEM);
        }
    }
}
