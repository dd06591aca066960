package fleet.console.ui.rollouts;

import fleet.console.cluster.rollouts.Revision;
import fleet.console.cluster.rollouts.TemplateDiff;
import fleet.console.ui.common.Severity;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.common.StyleClasses;
import javafx.beans.binding.Bindings;
import fleet.console.ui.common.ActionPermits;
import fleet.console.ui.logs.LogView;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** FXML controller of fxml/rollouts/rollouts.fxml: binds the Rollouts area to its view-model; dialogs ask, the model acts. */
public final class RolloutsView {

    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final RolloutsViewModel model;

    @FXML
    private VBox root;
    @FXML
    private TextField filterField;
    @FXML
    private StatusBadge liveBadge;
    @FXML
    private Button refreshButton;
    @FXML
    private Label summaryLabel;
    @FXML
    private Label problemLabel;
    @FXML
    private StatusBadge noticeBadge;
    @FXML
    private StatusBadge permitsBadge;
    @FXML
    private TableView<WorkloadRow> workloadTable;
    @FXML
    private TableColumn<WorkloadRow, String> nameColumn;
    @FXML
    private TableColumn<WorkloadRow, String> kindColumn;
    @FXML
    private TableColumn<WorkloadRow, String> countsColumn;
    @FXML
    private TableColumn<WorkloadRow, String> revisionColumn;
    @FXML
    private TableColumn<WorkloadRow, WorkloadRow> stateColumn;
    @FXML
    private TableColumn<WorkloadRow, WorkloadRow> driftColumn;
    @FXML
    private TableColumn<WorkloadRow, String> imagesColumn;
    @FXML
    private Label historyTitle;
    @FXML
    private Button rollbackButton;
    @FXML
    private Button compareButton;
    @FXML
    private Button restartButton;
    @FXML
    private Button pauseButton;
    @FXML
    private Spinner<Integer> scaleSpinner;
    @FXML
    private Button scaleButton;
    @FXML
    private Button setImageButton;
    @FXML
    private MenuButton copyMenu;
    @FXML
    private Label rollbackBlockedLabel;
    @FXML
    private TableView<Revision> revisionTable;
    @FXML
    private TableColumn<Revision, String> revNumberColumn;
    @FXML
    private TableColumn<Revision, Revision> revLiveColumn;
    @FXML
    private TableColumn<Revision, String> revCreatedColumn;
    @FXML
    private TableColumn<Revision, String> revPodsColumn;
    @FXML
    private TableColumn<Revision, String> revImagesColumn;
    @FXML
    private TableColumn<Revision, String> revCauseColumn;
    @FXML
    private Label diffTitle;
    @FXML
    private ListView<TemplateDiff.Change> diffList;
    @FXML
    private StatusBadge rollbackBadge;
    @FXML
    private Button cancelRollbackButton;
    @FXML
    private ListView<String> progressList;
    @FXML
    private Label rollbackLogTitle;
    @FXML
    private VBox rollbackLogBox;

    /** Why each guarded button is off besides the session's permission (nothing selected, one revision...). */
    private final BooleanProperty rollbackOff = new SimpleBooleanProperty(true);
    private final BooleanProperty selectionOff = new SimpleBooleanProperty(true);
    private final BooleanProperty pauseOff = new SimpleBooleanProperty(true);

    private final Label emptyLabel = new Label();
    /** The revisions the operator selected, kept by number across refreshes of the history. */
    private Set<Long> chosenRevisions = Set.of();
    private boolean restoring;

    public RolloutsView(RolloutsViewModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        filterField.textProperty().bindBidirectional(model.filterTextProperty());
        summaryLabel.textProperty().bind(model.summaryProperty());
        problemLabel.textProperty().bind(model.problemProperty());
        problemLabel.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problemLabel.managedProperty().bind(problemLabel.visibleProperty());
        // Following changes, or stale since when (the API server does not answer): the rows stay as last read.
        liveBadge.severityProperty().bind(model.freshnessSeverityProperty());
        liveBadge.textProperty().bind(model.freshnessProperty());
        refreshButton.setOnAction(e -> model.refresh());
        noticeBadge.textProperty().bind(model.noticeProperty());
        noticeBadge.severityProperty().bind(model.noticeSeverityProperty());
        noticeBadge.visibleProperty().bind(model.noticeProperty().isNotEmpty());
        noticeBadge.managedProperty().bind(noticeBadge.visibleProperty());
        // A disabled button shows no tooltip: which changes are off in this session, and why, in one line.
        permitsBadge.setSeverity(Severity.WARNING);
        permitsBadge.textProperty().bind(model.permits().summaryProperty());
        permitsBadge.visibleProperty().bind(model.permits().summaryProperty().isNotNull());
        permitsBadge.managedProperty().bind(permitsBadge.visibleProperty());

        initWorkloadTable();
        initHistory();
        initActions();
        initDiffAndProgress();
        model.confirmationProperty().addListener((o, old, now) -> {
            if (now != null) {
                ConfirmationDialog.show(root.getScene() == null ? null : root.getScene().getWindow(), now, model::confirm, model::dismiss,
                        this::copy);
            }
        });
        root.addEventFilter(KeyEvent.KEY_PRESSED, this::shortcut);
    }

    private void shortcut(KeyEvent e) {
        if (e.getCode() == KeyCode.F5) {
            model.refresh();
            e.consume();
        } else if (e.isShortcutDown() && e.getCode() == KeyCode.L) {
            filterField.requestFocus();
            e.consume();
        } else if (e.isShortcutDown() && e.getCode() == KeyCode.D && !compareButton.isDisabled()) {
            compareButton.fire();
            e.consume();
        } else if (e.getCode() == KeyCode.ESCAPE && filterField.isFocused() && !filterField.getText().isEmpty()) {
            filterField.clear();
            e.consume();
        }
    }

    private void initWorkloadTable() {
        emptyLabel.textProperty().bind(model.emptyTextProperty());
        emptyLabel.setWrapText(true);
        workloadTable.setPlaceholder(emptyLabel);
        SortedList<WorkloadRow> sorted = new SortedList<>(model.workloads());
        sorted.comparatorProperty().bind(workloadTable.comparatorProperty());
        workloadTable.setItems(sorted);
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        kindColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().kind()));
        countsColumn.setCellValueFactory(c -> {
            var s = c.getValue().status();
            return new ReadOnlyStringWrapper(s.desired() + " / " + s.ready() + " / " + s.updated() + " / " + s.available());
        });
        revisionColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().revisionText()));
        imagesColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().images()));
        stateColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        stateColumn.setCellFactory(c -> new BadgeCell<>(r -> r.stateSeverity(), WorkloadRow::stateWords,
                r -> r.status().stateDetail().isEmpty() ? null : r.status().stateDetail()));
        stateColumn.setComparator(java.util.Comparator.comparing(WorkloadRow::stateWords));
        driftColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        driftColumn.setCellFactory(c -> new BadgeCell<>(WorkloadRow::driftSeverity, WorkloadRow::driftWords,
                r -> r.drift().map(d -> d.workload() + " " + d.explanation() + ".\nRunning: " + d.running() + "\nProfile: " + d.declared()).orElse(null)));
        driftColumn.setComparator(java.util.Comparator.comparing(WorkloadRow::driftWords));
        workloadTable.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(WorkloadRow row, boolean empty) {
                super.updateItem(row, empty);
                pseudoClassStateChanged(StyleClasses.PROBLEM, !empty && row != null && row.stateSeverity() == Severity.PROBLEM);
            }
        });
        workloadTable.getSelectionModel().selectedItemProperty().addListener((o, old, now) -> {
            // A row replaced by a fresher read deselects for a moment: the model keeps the selection by key.
            if (now != null) {
                model.select(now);
            }
        });
        workloadTable.getItems().addListener((ListChangeListener<WorkloadRow>) c -> reselectWorkload());
    }

    private void reselectWorkload() {
        WorkloadRow wanted = model.getSelected();
        if (wanted == null) {
            return;
        }
        WorkloadRow shown = workloadTable.getSelectionModel().getSelectedItem();
        if (shown != null && shown.key().equals(wanted.key())) {
            return;
        }
        List<WorkloadRow> items = workloadTable.getItems();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).key().equals(wanted.key())) {
                workloadTable.getSelectionModel().select(i);
                return;
            }
        }
    }

    private void initHistory() {
        historyTitle.textProperty().bind(model.historyTitleProperty());
        revisionTable.setPlaceholder(new Label("No revisions to show."));
        revisionTable.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        revisionTable.setItems(model.revisions());
        revNumberColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Long.toString(c.getValue().number())));
        revLiveColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        revLiveColumn.setCellFactory(c -> new BadgeCell<>(r -> r.live() ? Severity.OK : Severity.IDLE, r -> r.live() ? "live" : "", r -> null) {
            @Override
            protected void updateItem(Revision r, boolean empty) {
                super.updateItem(r, empty);
                if (r != null && !r.live()) {
                    setGraphic(null);
                }
            }
        });
        revCreatedColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().created().map(CREATED::format).orElse("?")));
        revPodsColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Integer.toString(c.getValue().replicas())));
        revImagesColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.join(", ", c.getValue().images())));
        revCauseColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().changeCause().orElse("<none>")));
        revisionTable.getSelectionModel().getSelectedItems().addListener((ListChangeListener<Revision>) c -> {
            if (!restoring && !model.revisions().isEmpty()) {
                chosenRevisions = revisionTable.getSelectionModel().getSelectedItems().stream().filter(java.util.Objects::nonNull)
                        .map(Revision::number).collect(Collectors.toSet());
            }
            updateHistoryButtons();
        });
        model.revisions().addListener((ListChangeListener<Revision>) c -> restoreRevisionSelection());
        model.selectedProperty().addListener((o, old, now) -> {
            if (old == null || now == null || !old.key().equals(now.key())) {
                chosenRevisions = Set.of();
                if (now != null) {
                    scaleSpinner.getValueFactory().setValue(now.status().desired());
                }
            }
            pauseButton.setText(now != null && now.paused() ? "Resume" : "Pause");
            pauseOff.set(now == null || !now.deployment());
            updateHistoryButtons();
        });
    }

    private void restoreRevisionSelection() {
        restoring = true;
        try {
            revisionTable.getSelectionModel().clearSelection();
            List<Revision> items = revisionTable.getItems();
            for (int i = 0; i < items.size(); i++) {
                if (chosenRevisions.contains(items.get(i).number())) {
                    revisionTable.getSelectionModel().select(i);
                }
            }
        } finally {
            restoring = false;
        }
        updateHistoryButtons();
    }

    private List<Revision> chosen() {
        return revisionTable.getSelectionModel().getSelectedItems().stream().filter(java.util.Objects::nonNull).toList();
    }

    private void updateHistoryButtons() {
        List<Revision> chosen = chosen();
        boolean blocked = !model.rollbackBlockedProperty().get().isEmpty();
        rollbackOff.set(blocked || chosen.size() != 1 || chosen.get(0).live());
        compareButton.setDisable(chosen.isEmpty() || chosen.size() > 2 || (chosen.size() == 1 && chosen.get(0).live()));
        String refused = model.permits().refusalNow(RolloutsViewModel.ROLLBACK);
        String reason = refused != null && model.getSelected() != null ? "Rollback not offered: " + refused : model.rollbackBlockedProperty().get();
        if (reason.isEmpty()) {
            reason = chosen.size() == 1 && chosen.get(0).live() ? "Revision " + chosen.get(0).number() + " is the live one; choose an older one to roll back to."
                    : chosen.size() != 1 ? "Select one revision to roll back to, or two to compare." : "";
        }
        rollbackBlockedLabel.setText(reason);
        boolean none = model.getSelected() == null;
        selectionOff.set(none);
        copyMenu.setDisable(none);
    }

    private void initActions() {
        scaleSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, 500, 1));
        model.rollbackBlockedProperty().addListener((o, old, now) -> updateHistoryButtons());
        // Refused actions (a viewer, read-only mode) are off with the reason in their tooltip.
        ActionPermits permits = model.permits();
        ActionPermits.guard(rollbackButton, permits.refusal(RolloutsViewModel.ROLLBACK), rollbackOff,
                "Roll the selected workload back to the chosen revision; asks first, showing the diff and the pods it replaces (Alt+R).");
        ActionPermits.guard(restartButton, permits.refusal(RolloutsViewModel.RESTART), selectionOff,
                "Replace the workload's pods with new ones of the same template (kubectl rollout restart); asks first.");
        ActionPermits.guard(pauseButton, permits.refusal(RolloutsViewModel.PAUSE), pauseOff,
                "Pause or resume the Deployment's rollouts (kubectl rollout pause/resume).");
        ActionPermits.guard(scaleButton, permits.refusal(RolloutsViewModel.SCALE), selectionOff,
                "Scale to the number beside it; fewer pods asks first, naming the pods that stop.");
        ActionPermits.guard(setImageButton, permits.refusal(RolloutsViewModel.SET_IMAGE), selectionOff,
                "Set a container's image: a new revision with a change-cause saying what changed.");
        permits.refusal(RolloutsViewModel.ROLLBACK).addListener((o, old, now) -> updateHistoryButtons());
        rollbackButton.setOnAction(e -> {
            List<Revision> chosen = chosen();
            if (chosen.size() == 1) {
                model.askRollback(chosen.get(0).number());
            }
        });
        compareButton.setOnAction(e -> {
            List<Revision> chosen = chosen();
            if (chosen.size() == 2) {
                model.compare(chosen.get(0).number(), chosen.get(1).number());
            } else if (chosen.size() == 1) {
                model.compareWithLive(chosen.get(0).number());
            }
        });
        restartButton.setOnAction(e -> model.askRestart());
        pauseButton.setOnAction(e -> model.togglePause());
        scaleButton.setOnAction(e -> {
            scaleSpinner.increment(0); // commits a typed value
            model.askScale(scaleSpinner.getValue());
        });
        setImageButton.setOnAction(e -> {
            WorkloadRow sel = model.getSelected();
            if (sel != null) {
                SetImageDialog.show(root.getScene() == null ? null : root.getScene().getWindow(), sel.status(), model::setImage);
            }
        });
        copyMenu.setOnShowing(e -> {
            List<Revision> chosen = chosen();
            Optional<Long> rev = chosen.size() == 1 && !chosen.get(0).live() ? Optional.of(chosen.get(0).number()) : Optional.empty();
            copyMenu.getItems().setAll(model.commandsForSelection(rev, scaleSpinner.getValue()).stream().map(c -> {
                MenuItem item = new MenuItem(c.label() + ":  " + c.command());
                item.setMnemonicParsing(false);
                item.setOnAction(x -> copy(c.command()));
                return item;
            }).toList());
        });
        updateHistoryButtons();
    }

    private void initDiffAndProgress() {
        diffTitle.textProperty().bind(model.diffTitleProperty());
        diffList.setItems(model.diff());
        diffList.setPlaceholder(new Label("No diff shown."));
        diffList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(TemplateDiff.Change c, boolean empty) {
                super.updateItem(c, empty);
                setText(empty || c == null ? null : c.line());
            }
        });
        progressList.setItems(model.progress());
        progressList.setPlaceholder(new Label("No rollback has run in this session."));
        rollbackBadge.textProperty().bind(model.rollbackOutcomeProperty());
        rollbackBadge.severityProperty().bind(model.rollbackSeverityProperty());
        rollbackBadge.visibleProperty().bind(model.rollbackOutcomeProperty().isNotEmpty());
        cancelRollbackButton.visibleProperty().bind(model.rollbackRunningProperty());
        cancelRollbackButton.managedProperty().bind(cancelRollbackButton.visibleProperty());
        cancelRollbackButton.setOnAction(e -> model.cancelRollback());
        model.rollbackRunningProperty().addListener((o, old, now) -> updateHistoryButtons());
        rollbackLogTitle.textProperty().bind(model.rollbackLogTitleProperty());
        javafx.scene.Parent log = LogView.create(model.rollbackLog());
        VBox.setVgrow(log, javafx.scene.layout.Priority.ALWAYS);
        if (log instanceof javafx.scene.layout.Region region) {
            // Its tool bar is wide; here it may be cut rather than widen the whole window.
            region.setMinWidth(0);
        }
        rollbackLogBox.getChildren().setAll(log);
    }

    private void copy(String command) {
        ClipboardContent content = new ClipboardContent();
        content.putString(command);
        Clipboard.getSystemClipboard().setContent(content);
        model.noteCopied(command);
    }

    /** A status told by icon, colour and words, with the whole story in a tooltip. */
    private static class BadgeCell<S, T> extends TableCell<S, T> {
        private final StatusBadge badge = new StatusBadge();
        private final Tooltip tooltip = new Tooltip();
        private final java.util.function.Function<T, Severity> level;
        private final java.util.function.Function<T, String> words;
        private final java.util.function.Function<T, String> detail;

        BadgeCell(java.util.function.Function<T, Severity> level, java.util.function.Function<T, String> words,
                  java.util.function.Function<T, String> detail) {
            this.level = level;
            this.words = words;
            this.detail = detail;
            tooltip.setWrapText(true);
            tooltip.setMaxWidth(600);
        }

        @Override
        protected void updateItem(T item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            badge.show(level.apply(item), words.apply(item));
            setGraphic(badge);
            String more = detail.apply(item);
            tooltip.setText(more == null ? "" : more);
            setTooltip(more == null ? null : tooltip);
        }
    }
}
