package fleet.console.ui.pods;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.pods.EnvRef;
import fleet.console.cluster.pods.PodRow;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.ui.common.Ages;
import fleet.console.ui.common.ConfirmDialog;
import fleet.console.ui.common.InPlaceUpdates;
import fleet.console.ui.common.Severity;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.common.StyleClasses;
import fleet.console.ui.logs.LogStreamControl;
import fleet.console.ui.logs.LogView;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import fleet.console.ui.diagnosis.DiagnosisView;
import fleet.console.ui.diagnosis.DiagnosisViewModel;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * FXML controller of fxml/pods/pods.fxml: binds the pods table, its filters and counts, the detail pane
 * and the log and audit tabs to {@link PodsViewModel}. Keyboard: {@code /} filters, Enter opens the
 * detail, L the logs (Shift+L the workload's), Del deletes after confirmation.
 */
public final class PodsView {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final PodsViewModel model;
    private final PodDetailViewModel detail;
    private final Map<LogStreamControl, Tab> logTabs = new HashMap<>();
    private Tab auditTab;
    private boolean syncingSelection;
    private boolean resyncPending;
    private final Map<String, StatusBadge> summaryBadges = new HashMap<>();

    @FXML
    private VBox root;
    @FXML
    private Label summaryLabel;
    @FXML
    private StatusBadge liveBadge;
    @FXML
    private TextField filterField;
    @FXML
    private ComboBox<WorkloadRef> workloadChooser;
    @FXML
    private ComboBox<StatusFilter> statusChooser;
    @FXML
    private Button clearFiltersButton;
    @FXML
    private ToggleButton problemsFirstButton;
    @FXML
    private Button logsButton;
    @FXML
    private Button workloadLogsButton;
    @FXML
    private MenuButton kubectlMenu;
    @FXML
    private Button deleteButton;
    @FXML
    private Button auditButton;
    @FXML
    private FlowPane summaryStrip;
    @FXML
    private Label problemLabel;
    @FXML
    private Label noticeLabel;
    @FXML
    private Label permitsLabel;
    @FXML
    private SplitPane verticalSplit;
    @FXML
    private SplitPane horizontalSplit;
    @FXML
    private TableView<PodRow> podTable;
    @FXML
    private TableColumn<PodRow, PodRow> statusColumn;
    @FXML
    private TableColumn<PodRow, String> nameColumn;
    @FXML
    private TableColumn<PodRow, PodRow> workloadColumn;
    @FXML
    private TableColumn<PodRow, PodRow> readyColumn;
    @FXML
    private TableColumn<PodRow, PodRow> restartsColumn;
    @FXML
    private TableColumn<PodRow, PodRow> ageColumn;
    @FXML
    private TableColumn<PodRow, String> nodeColumn;
    @FXML
    private TableColumn<PodRow, String> imagesColumn;
    @FXML
    private TableColumn<PodRow, String> reasonColumn;
    @FXML
    private ScrollPane detailScroll;
    @FXML
    private VBox detailBox;
    @FXML
    private TabPane bottomTabs;

    private final Label emptyLabel = new Label();

    public PodsView(PodsViewModel model) {
        this.model = model;
        this.detail = model.detail();
    }

    @FXML
    private void initialize() {
        bindHeader();
        bindFilters();
        bindTable();
        bindDetail();
        bindActions();
        bindTabs();
        bindKeys();
    }

    // ---- header and filters -----------------------------------------------------------------------

    private void bindHeader() {
        summaryLabel.textProperty().bind(model.summaryTextProperty());
        liveBadge.severityProperty().bind(Bindings.when(model.liveProperty()).then(Severity.OK).otherwise(Severity.IDLE));
        liveBadge.textProperty().bind(Bindings.when(model.liveProperty()).then("Following changes")
                .otherwise("Not following changes"));
        problemLabel.textProperty().bind(model.problemProperty());
        problemLabel.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problemLabel.managedProperty().bind(problemLabel.visibleProperty());
        noticeLabel.textProperty().bind(model.noticeProperty());
        noticeLabel.visibleProperty().bind(model.noticeProperty().isNotEmpty());
        noticeLabel.managedProperty().bind(noticeLabel.visibleProperty());
        permitsLabel.textProperty().bind(model.permits().summaryProperty());
        permitsLabel.visibleProperty().bind(model.permits().summaryProperty().isNotNull());
        permitsLabel.managedProperty().bind(permitsLabel.visibleProperty());
        model.summary().addListener((ListChangeListener<StatusCount>) c -> renderSummary());
        renderSummary();
    }

    /**
     * The strip follows the counts in place: a badge per status, its words changed when its count changes,
     * so that pods changing status many times a second do not make new nodes (and their CSS) each time.
     */
    private void renderSummary() {
        List<Node> badges = new ArrayList<>();
        for (StatusCount count : model.summary()) {
            StatusBadge badge = summaryBadges.computeIfAbsent(count.status(), status -> {
                StatusBadge b = new StatusBadge();
                b.getStyleClass().add("status-count");
                b.setId("count-" + status);
                // The tooltip made when the pointer first comes: a popup window each, made eagerly, cost the
                // frame in which the first pods appear.
                b.addEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, e -> {
                    if (b.getTooltip() == null) {
                        b.setTooltip(new Tooltip("Show only " + status + " pods"));
                    }
                });
                b.setOnMouseClicked(e -> model.statusFilterProperty().set(StatusFilter.of(status)));
                return b;
            });
            if (badge.getSeverity() != count.severity() || !count.text().equals(badge.getText())) {
                badge.show(count.severity(), count.text());
            }
            badges.add(badge);
        }
        summaryBadges.keySet().retainAll(model.summary().stream().map(StatusCount::status).toList());
        if (!badges.equals(summaryStrip.getChildren())) {
            summaryStrip.getChildren().setAll(badges);
        }
    }

    private void bindFilters() {
        filterField.textProperty().bindBidirectional(model.filterTextProperty());
        workloadChooser.setItems(model.workloads());
        // A namespace of bare pods has a workload per pod: the chooser would measure all 10,000 names for
        // its width (a second of the FX thread whenever one comes or goes); the first rows tell enough.
        workloadChooser.getProperties().put("comboBoxRowsToMeasureWidth", 40);
        workloadChooser.valueProperty().bindBidirectional(model.workloadFilterProperty());
        StringConverter<WorkloadRef> workloadText = new StringConverter<>() {
            @Override
            public String toString(WorkloadRef w) {
                return w == null ? "All workloads" : w.name() + " (" + w.kind() + ")";
            }

            @Override
            public WorkloadRef fromString(String s) {
                return null;
            }
        };
        workloadChooser.setConverter(workloadText);
        // The first entry takes the filter off: a combo box offers no other way back to "all".
        workloadChooser.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(WorkloadRef w, boolean empty) {
                super.updateItem(w, empty);
                setText(empty ? null : workloadText.toString(w));
            }
        });
        workloadChooser.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE || e.getCode() == KeyCode.BACK_SPACE) {
                model.workloadFilterProperty().set(null);
            }
        });
        clearFiltersButton.visibleProperty().bind(model.filterTextProperty().isNotEmpty()
                .or(model.workloadFilterProperty().isNotNull())
                .or(model.statusFilterProperty().isNotEqualTo(StatusFilter.ALL)));
        clearFiltersButton.managedProperty().bind(clearFiltersButton.visibleProperty());
        clearFiltersButton.setOnAction(e -> model.clearFilters());
        statusChooser.setItems(model.statusChoices());
        statusChooser.setConverter(new StringConverter<>() {
            @Override
            public String toString(StatusFilter f) {
                return f == null ? StatusFilter.ALL.toString() : f.toString();
            }

            @Override
            public StatusFilter fromString(String s) {
                return null;
            }
        });
        // The choices are replaced as statuses come and go; a button cell of its own keeps showing the
        // value through that.
        statusChooser.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(StatusFilter f, boolean empty) {
                super.updateItem(f, empty);
                setText(statusChooser.getConverter().toString(statusChooser.getValue()));
            }
        });
        statusChooser.valueProperty().addListener((o, old, now) -> statusChooser.getButtonCell().setText(
                statusChooser.getConverter().toString(now)));
        statusChooser.valueProperty().bindBidirectional(model.statusFilterProperty());
        problemsFirstButton.selectedProperty().bindBidirectional(model.problemsFirstProperty());
    }

    // ---- table ------------------------------------------------------------------------------------

    private void bindTable() {
        emptyLabel.textProperty().bind(model.emptyTextProperty());
        emptyLabel.setWrapText(true);
        emptyLabel.setId("podsEmpty");
        podTable.setPlaceholder(emptyLabel);
        // Pods replaced in place redraw their own rows only (see InPlaceUpdates).
        podTable.setItems(new InPlaceUpdates<>(model.shownRows()));
        // The view-model's sorted list does the sorting (with "problems first" on top of the columns'
        // order); the table only says which columns.
        podTable.setSortPolicy(t -> true);
        model.columnOrderProperty().bind(podTable.comparatorProperty());
        podTable.setRowFactory(t -> new PodTableRow());

        statusColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        statusColumn.setCellFactory(c -> new StatusCell());
        statusColumn.setComparator(Comparator.comparing(PodRow::status));
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        workloadColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        workloadColumn.setCellFactory(c -> new TextCell<PodRow>(r -> r.workload().name(), r -> r.workload().kubectlName()));
        workloadColumn.setComparator(Comparator.comparing((PodRow r) -> r.workload().name()));
        readyColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        readyColumn.setCellFactory(c -> new TextCell<PodRow>(PodRow::readyText, r -> null));
        readyColumn.setComparator(Comparator.comparingDouble((PodRow r) -> r.total() == 0 ? 1 : (double) r.ready() / r.total()));
        restartsColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        restartsColumn.setCellFactory(c -> new TextCell<PodRow>(this::restartsText, model.nowProperty(), r -> r.lastRestart()
                .map(t -> "Last restart " + STAMP.format(t.atZone(ZoneId.systemDefault()))).orElse(null)));
        restartsColumn.setComparator(Comparator.comparingInt(PodRow::restarts));
        ageColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        ageColumn.setCellFactory(c -> new TextCell<PodRow>(r -> Ages.since(r.created(), model.nowProperty().get()), model.nowProperty(),
                r -> "Created " + STAMP.format(r.created().atZone(ZoneId.systemDefault()))));
        // Youngest first when sorted ascending, as the age reads.
        ageColumn.setComparator(Comparator.comparing(PodRow::created, Comparator.reverseOrder()));
        nodeColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().node()));
        imagesColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.join(", ", c.getValue().images())));
        reasonColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().reason()));
        reasonColumn.setCellFactory(c -> new TextCell<String>(s -> s, s -> s == null || s.isEmpty() ? null : s));
        // The diagnosis badge of each problem pod: its cause in words, once the shell turned the diagnosis on.
        TableColumn<PodRow, DiagnosisViewModel.Badge> diagnosisColumn = new TableColumn<>("Diagnosis");
        diagnosisColumn.setId("diagnosisColumn");
        diagnosisColumn.setPrefWidth(200);
        diagnosisColumn.setCellValueFactory(c -> Bindings.valueAt(model.diagnosisBadges(), c.getValue().name()));
        diagnosisColumn.setCellFactory(c -> new DiagnosisCell());
        diagnosisColumn.setComparator(Comparator.nullsLast(Comparator.comparing(DiagnosisViewModel.Badge::text)));
        diagnosisColumn.visibleProperty().bind(model.diagnosisEnabledProperty());
        podTable.getColumns().add(podTable.getColumns().indexOf(statusColumn) + 1, diagnosisColumn);
        // Ages move on by themselves: their cells follow the clock (a table refresh would make every cell anew).

        podTable.getSelectionModel().selectedItemProperty().addListener((o, old, now) -> tableSelected(now));
        model.selectedProperty().addListener((o, old, now) -> modelSelected(now));
        // Rows are replaced as pods change; the table may lose or move its selection on the way.
        model.shownRows().addListener((ListChangeListener<PodRow>) c -> {
            PodRow chosen = model.getSelected();
            PodRow inTable = podTable.getSelectionModel().getSelectedItem();
            if (chosen != null && (inTable == null || !inTable.uid().equals(chosen.uid()))) {
                resyncSoon();
            }
        });
    }

    private String restartsText(PodRow r) {
        if (r.restarts() == 0) {
            return "0";
        }
        return r.lastRestart().map(t -> r.restarts() + " (" + Ages.since(t, model.nowProperty().get()) + " ago)")
                .orElse(Integer.toString(r.restarts()));
    }

    private void tableSelected(PodRow now) {
        if (syncingSelection) {
            return;
        }
        if (now == null) {
            PodRow chosen = model.getSelected();
            if (chosen != null && indexShown(chosen.uid()) >= 0) {
                // The row was replaced by its newer self; the table dropped its selection for a moment.
                resyncSoon();
                return;
            }
        }
        model.select(now);
    }

    /** Once the table has taken in a change, its selection is put back on the model's pod. */
    private void resyncSoon() {
        if (resyncPending) {
            return;
        }
        resyncPending = true;
        Platform.runLater(() -> {
            resyncPending = false;
            modelSelected(model.getSelected());
        });
    }

    private void modelSelected(PodRow now) {
        PodRow inTable = podTable.getSelectionModel().getSelectedItem();
        if (now == null) {
            if (inTable != null) {
                syncingSelection = true;
                try {
                    podTable.getSelectionModel().clearSelection();
                } finally {
                    syncingSelection = false;
                }
            }
            return;
        }
        if (inTable != null && inTable.uid().equals(now.uid())) {
            return;
        }
        int at = indexShown(now.uid());
        if (at >= 0) {
            syncingSelection = true;
            try {
                podTable.getSelectionModel().clearAndSelect(at);
                podTable.scrollTo(Math.max(0, at - 3));
            } finally {
                syncingSelection = false;
            }
        }
    }

    private int indexShown(String uid) {
        List<PodRow> shown = model.shownRows();
        for (int i = 0; i < shown.size(); i++) {
            if (shown.get(i).uid().equals(uid)) {
                return i;
            }
        }
        return -1;
    }

    /** Status in words with the icon of its level: a problem is never told by colour alone. */
    private static final class StatusCell extends TableCell<PodRow, PodRow> {
        private final StatusBadge badge = new StatusBadge();

        StatusCell() {
            // The badge stays in the cell, hidden while the cell is empty: taking it out and putting it back
            // has its CSS worked out again from scratch, and the table empties and refills every visible cell
            // each time its rows change.
            badge.setVisible(false);
            setGraphic(badge);
        }

        @Override
        protected void updateItem(PodRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                badge.setVisible(false);
            } else {
                badge.show(PodsViewModel.severityOf(row), row.status());
                badge.setVisible(true);
            }
        }
    }

    /** Text of a row with the whole of it (or more) in a tooltip. */
    private static final class TextCell<T> extends TableCell<PodRow, T> {
        private final java.util.function.Function<T, String> text;
        private final java.util.function.Function<T, String> tip;
        /**
         * Made when the pointer first enters the cell: a Tooltip is a popup control, and making one per
         * cell was a fifth of the time to lay out a table of 10,000 pods.
         */
        private Tooltip tooltip;
        private String tipText;

        /** Kept by the cell: the clock holds it weakly, so that a cell let go of is not kept alive by it. */
        private final InvalidationListener tick = o -> showItem(getItem(), isEmpty());

        TextCell(java.util.function.Function<T, String> text, java.util.function.Function<T, String> tip) {
            this.text = text;
            this.tip = tip;
            addEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, e -> {
                if (tooltip == null && tipText != null) {
                    tooltip = new Tooltip(tipText);
                    tooltip.setWrapText(true);
                    tooltip.setMaxWidth(600);
                    setTooltip(tooltip);
                }
            });
        }

        /** A cell whose words change with time too (an age): written again when the clock moves. */
        TextCell(java.util.function.Function<T, String> text, javafx.beans.Observable clock,
                 java.util.function.Function<T, String> tip) {
            this(text, tip);
            clock.addListener(new javafx.beans.WeakInvalidationListener(tick));
        }

        @Override
        protected void updateItem(T item, boolean empty) {
            super.updateItem(item, empty);
            showItem(item, empty);
        }

        private void showItem(T item, boolean empty) {
            if (empty || item == null) {
                setText(null);
                tipText = null;
                if (tooltip != null) {
                    setTooltip(null);
                }
                return;
            }
            setText(text.apply(item));
            tipText = tip.apply(item);
            if (tooltip != null) {
                tooltip.setText(tipText == null ? "" : tipText);
                setTooltip(tipText == null ? null : tooltip);
            }
        }
    }

    private static final class PodTableRow extends TableRow<PodRow> {
        @Override
        protected void updateItem(PodRow row, boolean empty) {
            super.updateItem(row, empty);
            // Every visible row is updated each time the table's rows change (pods changing status many times a
            // second); the same state again changes nothing.
            pseudoClassStateChanged(StyleClasses.PROBLEM, !empty && row != null && row.problem());
        }
    }

    // ---- detail -----------------------------------------------------------------------------------

    private void bindDetail() {
        InvalidationListener render = o -> renderDetail();
        model.diagnosisEnabledProperty().addListener(render);
        detail.stateProperty().addListener(render);
        detail.noteProperty().addListener(render);
        detail.headlineProperty().addListener(render);
        detail.ownerProperty().addListener(render);
        detail.placementProperty().addListener(render);
        detail.podProperty().addListener(render);
        detail.containers().addListener(render);
        detail.events().addListener(render);
        detail.labels().addListener(render);
        detail.conditions().addListener(render);
        renderDetail();
    }

    /** The Diagnosis panel in the detail pane, loaded the first time a pod is shown with the diagnosis on. */
    private javafx.scene.Parent diagnosisPanel;

    /** A pod's diagnosis badge: icon, colour and the cause in words; the whole in a tooltip. */
    private static final class DiagnosisCell extends javafx.scene.control.TableCell<PodRow, DiagnosisViewModel.Badge> {
        private final StatusBadge badge = new StatusBadge();
        private final Tooltip tooltip = new Tooltip();

        DiagnosisCell() {
            // Kept in the cell and hidden while there is no diagnosis, as the status cell's badge is: the
            // table empties and refills every visible cell each time its rows change.
            badge.setVisible(false);
            setGraphic(badge);
        }

        @Override
        protected void updateItem(DiagnosisViewModel.Badge item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                badge.setVisible(false);
                badge.setText("");
                setTooltip(null);
            } else {
                badge.show(item.level(), item.text());
                badge.setVisible(true);
                tooltip.setText("Diagnosis: " + item.text() + ". Select the pod for the evidence and the fix.");
                setTooltip(tooltip);
            }
        }
    }

    private void renderDetail() {
        List<Node> out = new java.util.ArrayList<>();
        PodRow pod = detail.podProperty().get();
        PodDetailViewModel.State state = detail.getState();
        if (pod == null) {
            Label none = new Label(detail.noteProperty().get());
            none.getStyleClass().add("detail-note");
            none.setId("detailNote");
            none.setWrapText(true);
            detailBox.getChildren().setAll(none);
            return;
        }
        Label name = new Label(pod.name());
        name.getStyleClass().add("detail-title");
        name.setId("detailName");
        name.setWrapText(true);
        out.add(name);
        StatusBadge headline = new StatusBadge(state == PodDetailViewModel.State.GONE ? Severity.IDLE
                : PodsViewModel.severityOf(pod), detail.headlineProperty().get());
        headline.setId("detailHeadline");
        headline.setWrapText(true);
        out.add(headline);
        if (!detail.noteProperty().get().isEmpty()) {
            Label note = new Label(detail.noteProperty().get());
            note.setId("detailNote");
            note.setWrapText(true);
            note.getStyleClass().add(state == PodDetailViewModel.State.GONE || state == PodDetailViewModel.State.FAILED
                    ? "detail-gone" : "detail-note");
            out.add(note);
        }
        if (model.diagnosisEnabledProperty().get() && state != PodDetailViewModel.State.GONE) {
            if (diagnosisPanel == null) {
                diagnosisPanel = DiagnosisView.load(model.diagnosis());
                diagnosisPanel.getStyleClass().add("detail-diagnosis");
            }
            out.add(diagnosisPanel);
        }
        out.add(line("Owner", detail.ownerProperty().get(), "detailOwner"));
        if (!detail.placementProperty().get().isEmpty()) {
            out.add(line("Where", detail.placementProperty().get(), "detailPlacement"));
        }
        if (!detail.containers().isEmpty()) {
            out.add(section("Containers"));
            for (ContainerCard card : detail.containers()) {
                out.add(containerCard(card));
            }
        }
        if (!detail.events().isEmpty() || state == PodDetailViewModel.State.SHOWN) {
            out.add(section("Events (newest first)"));
            if (detail.events().isEmpty()) {
                out.add(muted("No events (Kubernetes keeps them for about an hour)."));
            }
            for (EventLine e : detail.events()) {
                out.add(eventLine(e));
            }
        }
        if (!detail.conditions().isEmpty()) {
            out.add(section("Conditions"));
            out.add(wrapping(String.join(" · ", detail.conditions()), "detail-value"));
        }
        if (!detail.labels().isEmpty()) {
            out.add(section("Labels"));
            FlowPane labels = new FlowPane(6, 4);
            for (String l : detail.labels()) {
                Label chip = new Label(l);
                chip.getStyleClass().add("label-chip");
                labels.getChildren().add(chip);
            }
            out.add(labels);
        }
        detailBox.getChildren().setAll(out);
    }

    private Node containerCard(ContainerCard card) {
        VBox box = new VBox(3);
        box.getStyleClass().add("container-card");
        box.setId("container-" + card.name());
        Label title = new Label(card.name() + (card.init() ? " (init)" : ""));
        title.getStyleClass().add("container-name");
        StatusBadge state = new StatusBadge(card.severity(), card.state());
        state.getStyleClass().add("container-state");
        HBox head = new HBox(10, title, state);
        box.getChildren().add(head);
        if (!card.stateDetail().isEmpty()) {
            box.getChildren().add(wrapping(card.stateDetail(), "detail-value"));
        }
        box.getChildren().add(line("Ready", (card.ready() ? "yes" : "no") + " · " + card.restarts()
                + (card.restarts() == 1 ? " restart" : " restarts"), null));
        if (!card.lastTermination().isEmpty()) {
            Node last = line("Last termination", card.lastTermination(), null);
            last.getStyleClass().add("last-termination");
            box.getChildren().add(last);
        }
        box.getChildren().add(line("Image", card.image(), null));
        if (!card.imageId().isEmpty()) {
            box.getChildren().add(line("Image ID", card.imageId(), null));
        }
        box.getChildren().add(line("Resources", card.resources(), null));
        for (String probe : card.probes()) {
            box.getChildren().add(line("Probe", probe, null));
        }
        if (!card.env().isEmpty()) {
            VBox env = new VBox(1);
            env.getStyleClass().add("env-list");
            for (EnvRef e : card.env()) {
                Label l = new Label(ContainerCard.envText(e));
                l.getStyleClass().add(e.secret() ? "env-secret" : "env-value");
                l.setWrapText(true);
                env.getChildren().add(l);
            }
            box.getChildren().addAll(muted("Environment"), env);
        }
        return box;
    }

    private Node eventLine(EventLine e) {
        StatusBadge badge = new StatusBadge(e.warning() ? Severity.WARNING : Severity.OK, e.reason());
        Label count = new Label(e.countText());
        count.getStyleClass().add("event-count");
        Label age = new Label(e.lastSeen().isEmpty() ? "" : e.lastSeen() + " ago");
        age.getStyleClass().add("event-age");
        Label message = new Label(e.message());
        message.setWrapText(true);
        VBox box = new VBox(1, new HBox(8, badge, count, age), message);
        box.getStyleClass().addAll("pod-event", e.warning() ? "event-warning" : "event-normal");
        return box;
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("detail-section");
        return l;
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("detail-note");
        l.setWrapText(true);
        return l;
    }

    private static Label wrapping(String text, String style) {
        Label l = new Label(text);
        l.getStyleClass().add(style);
        l.setWrapText(true);
        return l;
    }

    private static Node line(String key, String value, String id) {
        Label k = new Label(key);
        k.getStyleClass().add("detail-key");
        k.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label v = new Label(value);
        v.getStyleClass().add("detail-value");
        v.setWrapText(true);
        HBox box = new HBox(8, k, v);
        if (id != null) {
            box.setId(id);
        }
        return box;
    }

    // ---- actions ----------------------------------------------------------------------------------

    private void bindActions() {
        var noPod = model.selectedProperty().isNull();
        logsButton.disableProperty().bind(noPod);
        workloadLogsButton.disableProperty().bind(noPod);
        fleet.console.ui.common.ActionPermits.guard(deleteButton, model.permits().refusal(PodsViewModel.DELETE), noPod,
                "Delete the selected pod, after saying what that destroys (Del).");
        kubectlMenu.disableProperty().bind(noPod);
        logsButton.setOnAction(e -> model.openLogs(model.getSelected()));
        workloadLogsButton.setOnAction(e -> openWorkloadLogs());
        deleteButton.setOnAction(e -> confirmDelete());
        auditButton.setOnAction(e -> showAudit());
        kubectlMenu.setOnShowing(e -> {
            kubectlMenu.getItems().setAll(model.kubectl(model.getSelected()).stream().map(c -> {
                MenuItem item = new MenuItem(c.label() + ":  " + c.command());
                item.setOnAction(a -> {
                    ClipboardContent content = new ClipboardContent();
                    content.putString(c.command());
                    Clipboard.getSystemClipboard().setContent(content);
                    model.copied(c);
                });
                return item;
            }).toList());
        });
        // Filled once up front as well, so the menu is never shown empty on its first opening.
        kubectlMenu.getItems().setAll(new MenuItem("…"));
    }

    private void openWorkloadLogs() {
        PodRow pod = model.getSelected();
        if (pod != null) {
            model.openWorkloadLogs(pod.workload());
        }
    }

    private void confirmDelete() {
        PodRow pod = model.getSelected();
        if (pod == null) {
            return;
        }
        ConfirmDialog.ask(root.getScene() == null ? null : root.getScene().getWindow(), "Delete pod " + pod.name() + "?",
                model.deleteConsequences(pod), "Delete pod", () -> model.delete(pod));
    }

    // ---- tabs: logs and the audit journal ---------------------------------------------------------

    private void bindTabs() {
        bottomTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        verticalSplit.getItems().remove(bottomTabs);
        model.logs().addListener((ListChangeListener<LogStreamControl>) c -> {
            while (c.next()) {
                for (LogStreamControl gone : c.getRemoved()) {
                    Tab tab = logTabs.remove(gone);
                    if (tab != null) {
                        bottomTabs.getTabs().remove(tab);
                    }
                }
                for (LogStreamControl added : c.getAddedSubList()) {
                    Tab tab = new Tab();
                    tab.textProperty().bind(added.view().titleProperty());
                    tab.setContent(LogView.create(added));
                    tab.setOnClosed(e -> model.closeLogs(added));
                    tab.getStyleClass().add("log-tab");
                    logTabs.put(added, tab);
                    bottomTabs.getTabs().add(tab);
                }
            }
        });
        model.logToShowProperty().addListener((o, old, now) -> {
            Tab tab = now == null ? null : logTabs.get(now);
            if (tab != null) {
                bottomTabs.getSelectionModel().select(tab);
            }
        });
        bottomTabs.getTabs().addListener((ListChangeListener<Tab>) c -> {
            boolean shown = verticalSplit.getItems().contains(bottomTabs);
            if (bottomTabs.getTabs().isEmpty() && shown) {
                verticalSplit.getItems().remove(bottomTabs);
            } else if (!bottomTabs.getTabs().isEmpty() && !shown) {
                verticalSplit.getItems().add(bottomTabs);
                verticalSplit.setDividerPositions(0.42);
            }
        });
    }

    private void showAudit() {
        model.refreshAudit();
        if (auditTab == null) {
            TableView<AuditEntry> table = new TableView<>(model.audit());
            table.setId("auditTable");
            table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
            table.getColumns().add(column("Time", e -> STAMP.format(e.time().atZone(ZoneId.systemDefault())), 150));
            table.getColumns().add(column("Context", AuditEntry::context, 110));
            table.getColumns().add(column("Namespace", AuditEntry::namespace, 120));
            table.getColumns().add(column("Action", AuditEntry::action, 110));
            table.getColumns().add(column("Target", AuditEntry::target, 240));
            table.getColumns().add(column("Result", AuditEntry::result, 260));
            Label empty = new Label("The console has not acted on any cluster yet.");
            table.setPlaceholder(empty);
            Label where = new Label();
            where.textProperty().bind(model.auditTextProperty());
            where.getStyleClass().add("area-summary");
            VBox box = new VBox(4, where, table);
            VBox.setVgrow(table, javafx.scene.layout.Priority.ALWAYS);
            box.setPadding(new javafx.geometry.Insets(4));
            auditTab = new Tab("Audit journal", box);
            auditTab.setId("auditTab");
            auditTab.setOnClosed(e -> auditTab = null);
            bottomTabs.getTabs().add(auditTab);
        }
        bottomTabs.getSelectionModel().select(auditTab);
    }

    private static TableColumn<AuditEntry, String> column(String title, java.util.function.Function<AuditEntry, String> value,
                                                          double width) {
        TableColumn<AuditEntry, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    // ---- keyboard ---------------------------------------------------------------------------------

    private void bindKeys() {
        root.addEventFilter(KeyEvent.KEY_TYPED, e -> {
            if ("/".equals(e.getCharacter()) && !(root.getScene().getFocusOwner() instanceof TextInputControl)) {
                filterField.requestFocus();
                filterField.selectAll();
                e.consume();
            }
        });
        filterField.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE || e.getCode() == KeyCode.DOWN || e.getCode() == KeyCode.ENTER) {
                podTable.requestFocus();
                if (podTable.getSelectionModel().isEmpty() && !podTable.getItems().isEmpty()) {
                    podTable.getSelectionModel().select(0);
                }
                e.consume();
            }
        });
        podTable.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            PodRow pod = model.getSelected();
            if (pod == null) {
                return;
            }
            if (e.getCode() == KeyCode.ENTER) {
                model.select(pod);
                detailScroll.setVvalue(0);
                detailScroll.requestFocus();
                e.consume();
            } else if (e.getCode() == KeyCode.L && !e.isShortcutDown()) {
                if (e.isShiftDown()) {
                    openWorkloadLogs();
                } else {
                    model.openLogs(pod);
                }
                e.consume();
            } else if (e.getCode() == KeyCode.DELETE) {
                if (!deleteButton.isDisable()) {
                    confirmDelete();
                }
                e.consume();
            }
        });
    }

    /** For the shell: the time ages are counted to (used by tests that read the table's texts). */
    Instant now() {
        return model.nowProperty().get();
    }
}
