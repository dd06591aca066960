package fleet.console.ui.logs;

import fleet.console.ui.common.AreaKey;
import fleet.console.ui.common.Fxml;
import fleet.console.ui.common.Severity;
import fleet.console.ui.common.StatusBadge;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * FXML controller of fxml/logs/log-view.fxml: binds the log widget to its {@link LogViewModel} (and to
 * its stream's {@link LogStreamControl}, when it reads from a cluster). Usable anywhere a log is shown:
 * {@link #create} gives the node.
 */
public final class LogView {

    /** The font size of log lines; the fixed cell height is measured from it. */
    static final double FONT_SIZE = 12;

    private final LogViewModel model;
    private final LogStreamControl control;
    private boolean scrollPending;
    /** Counts the view's own jumps, so a later one wins over a scroll still waiting to keep lines in sight. */
    private int scrolls;

    @FXML
    private VBox root;
    @FXML
    private HBox streamBar;
    @FXML
    private Label titleLabel;
    @FXML
    private Label containerLabel;
    @FXML
    private ComboBox<String> containerChooser;
    @FXML
    private CheckBox previousCheck;
    @FXML
    private CheckBox followCheck;
    @FXML
    private ComboBox<Integer> tailChooser;
    @FXML
    private Button kubectlButton;
    @FXML
    private Tooltip kubectlTip;
    @FXML
    private TextField searchField;
    @FXML
    private ToggleButton caseButton;
    @FXML
    private ToggleButton regexButton;
    @FXML
    private Button previousMatchButton;
    @FXML
    private Button nextMatchButton;
    @FXML
    private Label matchLabel;
    @FXML
    private CheckBox filterCheck;
    @FXML
    private Spinner<Integer> contextSpinner;
    @FXML
    private ToggleButton wrapButton;
    @FXML
    private ToggleButton endButton;
    @FXML
    private ToggleButton pauseButton;
    @FXML
    private Button copyButton;
    @FXML
    private Button saveButton;
    @FXML
    private Label searchProblemLabel;
    @FXML
    private ListView<LogEntry> lineList;
    @FXML
    private Label countersLabel;
    @FXML
    private Label messageLabel;
    @FXML
    private StatusBadge streamBadge;

    private LogView(LogViewModel model, LogStreamControl control) {
        this.model = model;
        this.control = control;
    }

    /** The widget for a log fed by anything (a runbook step's output). */
    public static Parent create(LogViewModel model) {
        return Fxml.load("/fxml/logs/log-view.fxml", new LogView(model, null));
    }

    /** The widget for a log read from a cluster, with its stream's controls. */
    public static Parent create(LogStreamControl control) {
        return Fxml.load("/fxml/logs/log-view.fxml", new LogView(control.view(), control));
    }

    @FXML
    private void initialize() {
        bindStream();
        bindSearch();
        bindLines();
        bindStatus();
        bindKeys();
    }

    private void bindStream() {
        titleLabel.textProperty().bind(model.titleProperty());
        if (control == null) {
            streamBar.setVisible(!model.titleProperty().get().isEmpty());
            streamBar.managedProperty().bind(streamBar.visibleProperty());
            for (var node : List.of(containerLabel, containerChooser, previousCheck, followCheck, tailChooser, kubectlButton)) {
                node.setVisible(false);
                node.setManaged(false);
            }
            return;
        }
        containerChooser.setItems(control.containers());
        containerChooser.valueProperty().bindBidirectional(control.containerProperty());
        boolean choice = control.containerChoice();
        containerLabel.setVisible(choice);
        containerLabel.setManaged(choice);
        containerChooser.setVisible(choice);
        containerChooser.setManaged(choice);
        previousCheck.selectedProperty().bindBidirectional(control.previousProperty());
        previousCheck.setVisible(control.previousChoice());
        previousCheck.setManaged(control.previousChoice());
        followCheck.selectedProperty().bindBidirectional(control.followProperty());
        tailChooser.getItems().setAll(LogStreamControl.TAILS);
        tailChooser.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer n) {
                return n == null ? "all lines" : String.format("%,d lines", n);
            }

            @Override
            public Integer fromString(String s) {
                return null;
            }
        });
        tailChooser.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(Integer n, boolean empty) {
                super.updateItem(n, empty);
                setText(empty ? null : tailChooser.getConverter().toString(n));
            }
        });
        tailChooser.valueProperty().bindBidirectional(control.tailProperty());
        kubectlTip.textProperty().bind(control.kubectlProperty());
        kubectlButton.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(control.kubectlProperty().get());
            Clipboard.getSystemClipboard().setContent(content);
        });
    }

    private void bindSearch() {
        searchField.textProperty().bindBidirectional(model.searchTextProperty());
        caseButton.selectedProperty().bindBidirectional(model.caseSensitiveProperty());
        regexButton.selectedProperty().bindBidirectional(model.regexProperty());
        filterCheck.selectedProperty().bindBidirectional(model.filterProperty());
        contextSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, 50, model.contextProperty().get()));
        contextSpinner.getValueFactory().valueProperty().addListener((o, old, now) -> {
            if (now != null) {
                model.contextProperty().set(now);
            }
        });
        matchLabel.textProperty().bind(model.matchTextProperty());
        searchProblemLabel.textProperty().bind(model.searchProblemProperty());
        searchProblemLabel.visibleProperty().bind(model.searchProblemProperty().isNotEmpty());
        searchProblemLabel.managedProperty().bind(searchProblemLabel.visibleProperty());
        previousMatchButton.setOnAction(e -> model.previousMatch());
        nextMatchButton.setOnAction(e -> model.nextMatch());
        previousMatchButton.disableProperty().bind(model.queryProperty().isNull());
        nextMatchButton.disableProperty().bind(model.queryProperty().isNull());
        searchField.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                if (e.isShiftDown()) {
                    model.previousMatch();
                } else {
                    model.nextMatch();
                }
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                model.searchTextProperty().set("");
                lineList.requestFocus();
                e.consume();
            }
        });
    }

    private void bindLines() {
        lineList.setItems(model.rows());
        lineList.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        lineList.setCellFactory(list -> new LogLineCell(model));
        double lineHeight = lineHeight();
        lineList.setFixedCellSize(model.wrapProperty().get() ? -1 : lineHeight);
        wrapButton.selectedProperty().bindBidirectional(model.wrapProperty());
        model.wrapProperty().addListener((o, old, now) -> {
            // Wrapped lines have heights of their own; unwrapped ones share one, which keeps scrolling
            // through 100,000 lines cheap.
            lineList.setFixedCellSize(now ? -1 : lineHeight);
            lineList.refresh();
        });
        lineList.widthProperty().addListener((o, old, now) -> {
            if (model.wrapProperty().get()) {
                lineList.refresh();
            }
            scrollToEndSoon();
        });
        // A view resized while following keeps the newest line at its bottom (the list keeps its offset from
        // the top, so a taller or shorter view would otherwise leave the newest lines below the edge).
        lineList.heightProperty().addListener((o, old, now) -> scrollToEndSoon());
        endButton.selectedProperty().bindBidirectional(model.autoScrollProperty());
        pauseButton.selectedProperty().bindBidirectional(model.pausedProperty());
        model.rows().addListener((ListChangeListener<LogEntry>) this::onRowsChanged);
        model.autoScrollProperty().addListener((o, old, now) -> scrollToEndSoon());
        model.queryProperty().addListener((o, old, now) -> lineList.refresh());
        model.prefixedProperty().addListener((o, old, now) -> lineList.refresh());
        model.currentHitProperty().addListener((o, old, hit) -> {
            if (hit != null) {
                int index = model.rowOf(hit.line());
                if (index >= 0) {
                    scrolls++;
                    // A few lines of what led up to the match stay in sight above it.
                    lineList.scrollTo(Math.max(0, index - 3));
                    lineList.getSelectionModel().clearAndSelect(index);
                }
            }
            lineList.refresh();
        });
        // Scrolling up to read means the newest line should stop pulling the view down.
        lineList.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() > 0) {
                model.autoScrollProperty().set(false);
            }
        });
        copyButton.setOnAction(e -> copySelection());
        saveButton.setOnAction(e -> chooseFileAndSave());
    }

    /**
     * New lines: follow them if following. The window opening (the view stopped following, lines added
     * above): the lines in sight stay in sight, at the same place.
     */
    private void onRowsChanged(ListChangeListener.Change<? extends LogEntry> c) {
        int openedAbove = 0;
        while (c.next()) {
            if (c.wasAdded() && !c.wasRemoved() && c.getFrom() == 0 && c.getTo() < c.getList().size()) {
                openedAbove += c.getAddedSize();
            }
        }
        if (openedAbove > 0 && !model.autoScrollProperty().get()) {
            // After the list's skin has taken the change in (it hears of it after this listener) and after
            // the event that stopped following (a scroll) has moved the view: the cells still carry the
            // rows they showed before the window opened.
            int opened = openedAbove;
            int scroll = ++scrolls;
            Platform.runLater(() -> {
                if (scroll != scrolls) {
                    return; // the view was sent somewhere meanwhile (a match)
                }
                VirtualFlow<?> flow = (VirtualFlow<?>) lineList.lookup("#virtual-flow");
                IndexedCell<?> first = flow == null ? null : flow.getFirstVisibleCell();
                if (first != null && first.getIndex() >= 0) {
                    lineList.scrollTo(first.getIndex() + opened);
                }
            });
            return;
        }
        scrollToEndSoon();
    }

    /**
     * Scrolls to the newest line once the list has taken in this frame's lines: the list counts its new
     * rows at layout, and a scroll asked before that stops at the old end. Several changes in one frame
     * cost one scroll.
     */
    private void scrollToEndSoon() {
        if (scrollPending || !model.autoScrollProperty().get()) {
            return;
        }
        scrollPending = true;
        Platform.runLater(() -> {
            scrollPending = false;
            if (model.autoScrollProperty().get() && !model.rows().isEmpty()) {
                // The flow's own scroll to the last row sets its position to the very end; the list's
                // scrollTo puts the row at the top and works the end out from estimated row sizes, which
                // in a tall view left the newest row just below the edge.
                VirtualFlow<?> flow = (VirtualFlow<?>) lineList.lookup("#virtual-flow");
                if (flow != null && flow.getCellCount() == model.rows().size()) {
                    flow.scrollTo(model.rows().size() - 1);
                } else {
                    lineList.scrollTo(model.rows().size() - 1);
                }
            }
        });
    }

    private void bindStatus() {
        countersLabel.textProperty().bind(model.countersProperty());
        messageLabel.textProperty().bind(model.messageProperty());
        streamBadge.textProperty().bind(model.statusProperty());
        streamBadge.visibleProperty().bind(model.statusProperty().isNotEmpty());
        streamBadge.severityProperty().bind(Bindings.when(model.statusProblemProperty())
                .then(Severity.PROBLEM).otherwise(Severity.OK));
    }

    private static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination SAVE = new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination NEXT_MATCH = new KeyCodeCombination(KeyCode.F3);
    private static final KeyCombination PREVIOUS_MATCH = new KeyCodeCombination(KeyCode.F3, KeyCombination.SHIFT_DOWN);
    private static final KeyCombination PAUSE = new KeyCodeCombination(KeyCode.SPACE);
    private static final KeyCombination FOLLOW = new KeyCodeCombination(KeyCode.END);

    /** The keys a log view handles, for the help overlay (the same objects the handlers match). */
    public static final List<AreaKey> KEYS = List.of(
            new AreaKey(FIND, "Search the log"),
            new AreaKey(NEXT_MATCH, "Next match"),
            new AreaKey(PREVIOUS_MATCH, "Previous match"),
            new AreaKey(PAUSE, "Pause or resume the log (lines keep arriving, counted)"),
            new AreaKey(FOLLOW, "Follow the newest line again"),
            new AreaKey(COPY, "Copy the selected lines"),
            new AreaKey(SAVE, "Save the log to a file"));

    private void bindKeys() {
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (FIND.match(e)) {
                searchField.requestFocus();
                searchField.selectAll();
                e.consume();
            } else if (SAVE.match(e)) {
                chooseFileAndSave();
                e.consume();
            } else if (PREVIOUS_MATCH.match(e)) {
                model.previousMatch();
                e.consume();
            } else if (NEXT_MATCH.match(e)) {
                model.nextMatch();
                e.consume();
            }
        });
        lineList.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (COPY.match(e)) {
                copySelection();
                e.consume();
            } else if (PAUSE.match(e)) {
                model.pausedProperty().set(!model.pausedProperty().get());
                e.consume();
            } else if (FOLLOW.match(e)) {
                model.autoScrollProperty().set(true);
            } else if (e.getCode() == KeyCode.UP || e.getCode() == KeyCode.PAGE_UP || e.getCode() == KeyCode.HOME) {
                model.autoScrollProperty().set(false);
            }
        });
    }

    private void copySelection() {
        List<Integer> indices = new ArrayList<>(lineList.getSelectionModel().getSelectedIndices());
        indices.sort(null);
        List<LogEntry> selected = new ArrayList<>();
        for (int i : indices) {
            if (i >= 0 && i < model.rows().size()) {
                selected.add(model.rows().get(i));
            }
        }
        ClipboardContent content = new ClipboardContent();
        content.putString(model.copyText(selected));
        Clipboard.getSystemClipboard().setContent(content);
    }

    private void chooseFileAndSave() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the held log lines");
        String title = model.titleProperty().get();
        chooser.setInitialFileName((title.isEmpty() ? "log" : title.replaceAll("[^A-Za-z0-9._-]+", "_")) + ".log");
        File file = chooser.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
        Optional.ofNullable(file).ifPresent(f -> model.save(f.toPath()));
    }

    private static double lineHeight() {
        Text probe = new Text("Mg");
        probe.setFont(Font.font("Monospaced", FONT_SIZE));
        return Math.ceil(probe.getLayoutBounds().getHeight()) + 4;
    }
}
