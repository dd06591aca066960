package fleet.console.ui.events;

import fleet.console.cluster.events.EventRow;
import fleet.console.ui.common.Ages;
import fleet.console.ui.common.InPlaceUpdates;
import fleet.console.ui.common.Severity;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.common.StyleClasses;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;

/** FXML controller of fxml/events/events.fxml: binds the events table and its filters to {@link EventsViewModel}. */
public final class EventsView {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final EventsViewModel model;

    @FXML
    private VBox root;
    @FXML
    private Label summaryLabel;
    @FXML
    private StatusBadge liveBadge;
    @FXML
    private TextField objectField;
    @FXML
    private ComboBox<String> reasonChooser;
    @FXML
    private CheckBox warningsOnlyCheck;
    @FXML
    private Label problemLabel;
    @FXML
    private Label noticeLabel;
    @FXML
    private TableView<EventRow> eventTable;
    @FXML
    private TableColumn<EventRow, EventRow> typeColumn;
    @FXML
    private TableColumn<EventRow, String> reasonColumn;
    @FXML
    private TableColumn<EventRow, EventRow> objectColumn;
    @FXML
    private TableColumn<EventRow, Integer> countColumn;
    @FXML
    private TableColumn<EventRow, EventRow> firstColumn;
    @FXML
    private TableColumn<EventRow, EventRow> lastColumn;
    @FXML
    private TableColumn<EventRow, String> messageColumn;

    private final Label emptyLabel = new Label();

    public EventsView(EventsViewModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        summaryLabel.textProperty().bind(model.summaryProperty());
        liveBadge.severityProperty().bind(Bindings.when(model.liveProperty()).then(Severity.OK).otherwise(Severity.IDLE));
        liveBadge.textProperty().bind(Bindings.when(model.liveProperty()).then("Following changes")
                .otherwise("Not following changes"));
        problemLabel.textProperty().bind(model.problemProperty());
        problemLabel.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problemLabel.managedProperty().bind(problemLabel.visibleProperty());
        noticeLabel.textProperty().bind(model.noticeProperty());
        noticeLabel.visibleProperty().bind(model.noticeProperty().isNotEmpty());
        noticeLabel.managedProperty().bind(noticeLabel.visibleProperty());

        objectField.textProperty().bindBidirectional(model.objectFilterProperty());
        reasonChooser.setItems(model.reasons());
        reasonChooser.valueProperty().bindBidirectional(model.reasonFilterProperty());
        warningsOnlyCheck.selectedProperty().bindBidirectional(model.warningsOnlyProperty());

        emptyLabel.textProperty().bind(model.emptyTextProperty());
        emptyLabel.setWrapText(true);
        eventTable.setPlaceholder(emptyLabel);
        // An event counted again redraws its own row only (see InPlaceUpdates).
        eventTable.setItems(new InPlaceUpdates<>(model.shownRows()));
        eventTable.setSortPolicy(t -> true);
        model.columnOrderProperty().bind(eventTable.comparatorProperty());
        eventTable.setRowFactory(t -> new EventTableRow());

        typeColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        typeColumn.setCellFactory(c -> new TypeCell());
        typeColumn.setComparator(Comparator.comparing(EventRow::type));
        reasonColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().reason()));
        objectColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        objectColumn.setCellFactory(c -> new ObjectCell());
        objectColumn.setComparator(Comparator.comparing(EventsViewModel::objectText));
        countColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().count()));
        firstColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        firstColumn.setCellFactory(c -> new TimeCell(EventRow::firstSeen));
        firstColumn.setComparator(Comparator.comparing(EventRow::firstSeen, Comparator.nullsLast(Comparator.reverseOrder())));
        lastColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        lastColumn.setCellFactory(c -> new TimeCell(EventRow::lastSeen));
        lastColumn.setComparator(Comparator.comparing(EventRow::lastSeen, Comparator.nullsLast(Comparator.reverseOrder())));
        messageColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().message()));
        messageColumn.setCellFactory(c -> new MessageCell());
        model.nowProperty().addListener((o, old, now) -> eventTable.refresh());

        root.addEventFilter(KeyEvent.KEY_TYPED, e -> {
            if ("/".equals(e.getCharacter()) && !(root.getScene().getFocusOwner() instanceof TextInputControl)) {
                objectField.requestFocus();
                e.consume();
            }
        });
        eventTable.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            EventRow row = eventTable.getSelectionModel().getSelectedItem();
            if (e.getCode() == KeyCode.ENTER && row != null && model.canOpen(row)) {
                model.open(row);
                e.consume();
            }
        });
    }

    private final class TypeCell extends TableCell<EventRow, EventRow> {
        private final StatusBadge badge = new StatusBadge();

        @Override
        protected void updateItem(EventRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
            } else {
                badge.show(row.warning() ? Severity.WARNING : Severity.OK, row.type());
                setGraphic(badge);
            }
        }
    }

    /** The object as a link when the console has a place for it (pods, workloads). */
    private final class ObjectCell extends TableCell<EventRow, EventRow> {
        private final Hyperlink link = new Hyperlink();

        ObjectCell() {
            link.getStyleClass().add("event-object");
        }

        @Override
        protected void updateItem(EventRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            String text = EventsViewModel.objectText(row);
            if (model.canOpen(row)) {
                link.setText(text);
                link.setOnAction(e -> model.open(row));
                setGraphic(link);
                setText(null);
            } else {
                setGraphic(null);
                setText(text);
            }
        }
    }

    private final class TimeCell extends TableCell<EventRow, EventRow> {
        private final java.util.function.Function<EventRow, Instant> time;
        private final Tooltip tooltip = new Tooltip();

        TimeCell(java.util.function.Function<EventRow, Instant> time) {
            this.time = time;
        }

        @Override
        protected void updateItem(EventRow row, boolean empty) {
            super.updateItem(row, empty);
            Instant t = empty || row == null ? null : time.apply(row);
            if (t == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            setText(Ages.since(t, model.nowProperty().get()) + " ago");
            tooltip.setText(STAMP.format(t.atZone(ZoneId.systemDefault())));
            setTooltip(tooltip);
        }
    }

    private static final class MessageCell extends TableCell<EventRow, String> {
        private final Tooltip tooltip = new Tooltip();

        MessageCell() {
            tooltip.setWrapText(true);
            tooltip.setMaxWidth(600);
        }

        @Override
        protected void updateItem(String message, boolean empty) {
            super.updateItem(message, empty);
            boolean blank = empty || message == null || message.isEmpty();
            setText(blank ? null : message);
            tooltip.setText(blank ? "" : message);
            setTooltip(blank ? null : tooltip);
        }
    }

    private static final class EventTableRow extends TableRow<EventRow> {
        @Override
        protected void updateItem(EventRow row, boolean empty) {
            super.updateItem(row, empty);
            // A Warning row: tinted, with the warning icon in its type cell.
            pseudoClassStateChanged(StyleClasses.WARNING, !empty && row != null && row.warning());
        }
    }
}
