package fleet.console.ui.shell;

import fleet.console.sandbox.Fault;
import fleet.console.sandbox.FaultKind;
import fleet.console.ui.common.Severity;
import fleet.console.ui.common.StatusBadge;
import fleet.console.ui.common.StyleClasses;
import fleet.console.ui.common.Theme;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import org.controlsfx.control.StatusBar;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * FXML controller of fxml/shell/main.fxml: binds the window to {@link MainViewModel} and builds the
 * menus that depend on the model (areas, Sandbox). No decisions are taken here.
 */
public final class MainView {

    private final MainViewModel model;
    private final Function<Area, Node> areaViews;
    private final Map<Area, Node> builtAreas = new EnumMap<>(Area.class);

    @FXML
    private BorderPane root;
    @FXML
    private Menu viewMenu;
    @FXML
    private Menu sandboxMenu;
    @FXML
    private MenuItem connectItem;
    @FXML
    private MenuItem refreshItem;
    @FXML
    private MenuItem quitItem;
    @FXML
    private MenuItem themeItem;
    @FXML
    private ComboBox<ConnectionTarget> contextChooser;
    @FXML
    private TextField namespaceField;
    @FXML
    private Button connectButton;
    @FXML
    private StatusBadge connectionBadge;
    @FXML
    private HBox banner;
    @FXML
    private StatusBadge bannerBadge;
    @FXML
    private Label bannerText;
    @FXML
    private Label bannerAdvice;
    @FXML
    private Button dismissButton;
    @FXML
    private ListView<Area> areaList;
    @FXML
    private StackPane content;
    @FXML
    private StatusBar statusBar;

    /**
     * @param areaViews the view of each area, asked for once, when the area is first shown or built ahead
     *                  ({@link #buildAhead})
     */
    public MainView(MainViewModel model, Function<Area, Node> areaViews) {
        this.model = model;
        this.areaViews = areaViews;
    }

    @FXML
    private void initialize() {
        bindConnectionBar();
        bindBanner();
        bindAreas();
        bindTheme();
        bindStatusBar();
        connectItem.setOnAction(e -> model.connect());
        refreshItem.setOnAction(e -> model.refreshHealth());
        quitItem.setOnAction(e -> root.getScene().getWindow().hide());
        sandboxMenu.disableProperty().bind(model.connectedToSandboxProperty().not());
        sandboxMenu.setOnShowing(e -> fillSandboxMenu());
        fillSandboxMenu();
    }

    private void bindConnectionBar() {
        contextChooser.setItems(model.targets());
        contextChooser.setValue(model.getSelectedTarget());
        model.selectedTargetProperty().addListener((o, old, now) -> contextChooser.setValue(now));
        contextChooser.valueProperty().addListener((o, old, now) -> {
            if (now != null && !now.equals(model.getSelectedTarget())) {
                model.chooseTarget(now);
            }
        });
        namespaceField.textProperty().bindBidirectional(model.namespaceProperty());
        namespaceField.setOnAction(e -> model.connect());
        connectButton.setOnAction(e -> model.connect());
        connectButton.disableProperty().bind(model.stateProperty().isEqualTo(ConnectionState.CONNECTING));
        connectButton.textProperty().bind(Bindings.createStringBinding(() -> {
            var live = model.getSession();
            boolean same = live != null && model.getSelectedTarget() != null
                    && live.sandbox() == model.getSelectedTarget().sandbox()
                    && (live.sandbox() || live.contextName().equals(model.getSelectedTarget().context()))
                    && live.namespace().equals(model.namespaceProperty().get());
            return same ? "Reconnect" : "Connect";
        }, model.sessionProperty(), model.selectedTargetProperty(), model.namespaceProperty()));
        connectionBadge.textProperty().bind(model.stateTextProperty());
        connectionBadge.severityProperty().bind(Bindings.createObjectBinding(() -> switch (model.getState()) {
            case CONNECTED -> Severity.OK;
            case CONNECTING -> Severity.BUSY;
            case FAILED -> Severity.PROBLEM;
            case IDLE -> Severity.IDLE;
        }, model.stateProperty()));
    }

    private void bindBanner() {
        banner.visibleProperty().bind(model.messageProperty().isNotNull());
        banner.managedProperty().bind(banner.visibleProperty());
        bannerText.textProperty().bind(Bindings.createStringBinding(
                () -> model.getMessage() == null ? "" : model.getMessage().text(), model.messageProperty()));
        bannerAdvice.textProperty().bind(Bindings.createStringBinding(
                () -> model.getMessage() == null ? "" : model.getMessage().advice(), model.messageProperty()));
        bannerAdvice.visibleProperty().bind(bannerAdvice.textProperty().isNotEmpty());
        bannerAdvice.managedProperty().bind(bannerAdvice.visibleProperty());
        bannerBadge.severityProperty().bind(Bindings.createObjectBinding(
                () -> model.getMessage() != null && model.getMessage().isProblem() ? Severity.PROBLEM : Severity.WARNING,
                model.messageProperty()));
        bannerBadge.textProperty().bind(Bindings.createStringBinding(
                () -> model.getMessage() != null && model.getMessage().isProblem() ? "Problem" : "Note",
                model.messageProperty()));
        model.messageProperty().addListener((o, old, now) -> {
            banner.pseudoClassStateChanged(StyleClasses.PROBLEM, now != null && now.isProblem());
        });
        dismissButton.setOnAction(e -> model.dismissMessage());
    }

    private void bindAreas() {
        areaList.getItems().setAll(Area.values());
        areaList.setCellFactory(list -> new AreaCell());
        areaList.getSelectionModel().select(model.getArea());
        areaList.getSelectionModel().selectedItemProperty().addListener((o, old, now) -> {
            if (now != null) {
                model.selectArea(now);
            }
        });
        model.areaProperty().addListener((o, old, now) -> {
            areaList.getSelectionModel().select(now);
            show(now);
        });
        int at = 0;
        for (Area area : Area.values()) {
            MenuItem item = new MenuItem(area.title());
            item.setId("area-" + area.name().toLowerCase(java.util.Locale.ROOT));
            item.setAccelerator(new KeyCodeCombination(digit(area.shortcutDigit()), KeyCombination.SHORTCUT_DOWN));
            item.setOnAction(e -> model.selectArea(area));
            viewMenu.getItems().add(at++, item);
        }
        show(model.getArea());
    }

    /**
     * Builds an area's view (its FXML, bound to its view-model) before its first visit, without showing it:
     * that visit then only styles and lays it out. A view-model starts its watches when its area is shown,
     * not when its view is built. FX thread.
     */
    public void buildAhead(Area area) {
        builtAreas.computeIfAbsent(area, areaViews);
    }

    /** True once the area's view was built, shown or not. FX thread. */
    boolean isBuilt(Area area) {
        return builtAreas.containsKey(area);
    }

    private void show(Area area) {
        Node view = builtAreas.computeIfAbsent(area, areaViews);
        content.getChildren().setAll(view);
    }

    private void bindTheme() {
        applyTheme(model.getTheme());
        model.themeProperty().addListener((o, old, now) -> applyTheme(now));
        themeItem.textProperty().bind(Bindings.createStringBinding(
                () -> model.getTheme() == Theme.DARK ? "Light theme" : "Dark theme", model.themeProperty()));
        themeItem.setOnAction(e -> model.toggleTheme());
    }

    private void applyTheme(Theme theme) {
        root.getStyleClass().remove(StyleClasses.DARK);
        if (theme == Theme.DARK) {
            root.getStyleClass().add(StyleClasses.DARK);
        }
    }

    private void bindStatusBar() {
        statusBar.textProperty().bind(model.connectionLabelProperty());
        Label version = new Label();
        version.setId("serverVersion");
        version.textProperty().bind(model.serverVersionProperty());
        statusBar.getRightItems().setAll(version);
        // The status bar's progress bar runs while a connection attempt is under way.
        statusBar.progressProperty().bind(Bindings.when(model.stateProperty().isEqualTo(ConnectionState.CONNECTING))
                .then(-1.0).otherwise(0.0));
    }

    private void fillSandboxMenu() {
        List<MenuItem> items = new java.util.ArrayList<>();
        String note = model.faultsNoteProperty().get();
        if (!note.isEmpty()) {
            MenuItem why = new MenuItem(note);
            why.setDisable(true);
            items.add(why);
            items.add(new SeparatorMenuItem());
        }
        boolean available = model.faultsAvailableProperty().get();
        for (FaultKind kind : FaultKind.values()) {
            if (kind.needsTarget()) {
                Menu perWorkload = new Menu(kind.description());
                perWorkload.setDisable(!available);
                for (String workload : model.workloadNames()) {
                    MenuItem item = new MenuItem(workload);
                    item.setOnAction(e -> model.injectFault(kind, workload));
                    perWorkload.getItems().add(item);
                }
                if (perWorkload.getItems().isEmpty()) {
                    MenuItem none = new MenuItem("No workloads to choose from");
                    none.setDisable(true);
                    perWorkload.getItems().add(none);
                }
                items.add(perWorkload);
            } else {
                MenuItem item = new MenuItem(kind.description());
                item.setDisable(!available);
                item.setOnAction(e -> model.injectFault(kind, ""));
                items.add(item);
            }
        }
        items.add(new SeparatorMenuItem());
        Menu clear = new Menu("Clear fault");
        for (Fault fault : model.activeFaults()) {
            MenuItem item = new MenuItem(fault.toString());
            item.setOnAction(e -> model.clearFault(fault));
            clear.getItems().add(item);
        }
        clear.setDisable(model.activeFaults().isEmpty());
        if (clear.getItems().isEmpty()) {
            clear.getItems().add(new MenuItem("No active faults"));
        }
        MenuItem clearAll = new MenuItem("Clear all faults");
        clearAll.setDisable(!available || model.activeFaults().isEmpty());
        clearAll.setOnAction(e -> model.clearAllFaults());
        items.add(clear);
        items.add(clearAll);
        sandboxMenu.getItems().setAll(items);
    }

    private static KeyCode digit(int n) {
        return KeyCode.valueOf("DIGIT" + n);
    }

    /** An area's name with its shortcut, so the keyboard way is learnt by looking. */
    private static final class AreaCell extends ListCell<Area> {
        private final Label title = new Label();
        private final Label shortcut = new Label();
        private final HBox box;

        AreaCell() {
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            shortcut.getStyleClass().add("shortcut-hint");
            box = new HBox(8, title, gap, shortcut);
        }

        @Override
        protected void updateItem(Area area, boolean empty) {
            super.updateItem(area, empty);
            if (empty || area == null) {
                setGraphic(null);
                setText(null);
                setId(null);
            } else {
                title.setText(area.title());
                shortcut.setText(new KeyCodeCombination(digit(area.shortcutDigit()), KeyCombination.SHORTCUT_DOWN)
                        .getDisplayText());
                getStyleClass().remove("not-built");
                if (!area.built()) {
                    getStyleClass().add("not-built");
                }
                setId("nav-" + area.name().toLowerCase(java.util.Locale.ROOT));
                setGraphic(box);
            }
        }
    }
}
