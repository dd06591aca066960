package fleet.console.ui.shell;

import fleet.console.cluster.WorkloadHealth;
import fleet.console.ui.common.StyleClasses;
import fleet.console.ui.common.Theme;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import java.util.ArrayList;
import java.util.List;

/**
 * Everyday comfort around the main window, kept out of main.fxml and its controller: the Help menu
 * (search, shortcuts, welcome, About), the {@code ?} key, the welcome view of a first run, and marking
 * a context as production. Its views lie in a layer above the main window ({@link Overlays}).
 */
public final class WindowExtras {

    private final Stage stage;
    private final Scene scene;
    private final Parent main;
    private final MainViewModel model;
    private final MenuBar menuBar;
    private final Overlays overlays;
    private final FirstRunViewModel firstRun;
    private final FirstRunView firstRunView;
    private final HelpOverlay help;
    private final SearchOverlay search;

    private WindowExtras(Stage stage, Scene scene, StackPane layers, Parent main, MainViewModel model) {
        this.stage = stage;
        this.scene = scene;
        this.main = main;
        this.model = model;
        this.menuBar = (MenuBar) main.lookup("#menuBar");
        this.overlays = new Overlays(layers);
        this.firstRun = new FirstRunViewModel(model);
        this.firstRunView = new FirstRunView(firstRun);
        this.help = new HelpOverlay(() -> Shortcut.collect(menuBar,
                java.util.stream.Stream.concat(Shortcut.SHELL_KEYS.stream(), Shortcut.AREA_KEYS.stream()).toList()));
        this.search = new SearchOverlay(new QuickSearch(model, this::commands, this::revealWorkload));
    }

    /**
     * Puts the extras on a window whose scene root is {@code layers}, holding {@code main} (main.fxml).
     * Call on the FX thread, before the stage is shown.
     */
    public static WindowExtras install(Stage stage, Scene scene, StackPane layers, Parent main, MainViewModel model) {
        WindowExtras extras = new WindowExtras(stage, scene, layers, main, model);
        extras.mirrorTheme(layers);
        extras.addProductionMark();
        extras.addReadOnlySwitch();
        extras.addModeBanners();
        extras.addHelpMenu();
        extras.bindKeys();
        extras.bindFirstRun();
        return extras;
    }

    /** The overlays sit beside main.fxml's root, so the theme's class goes on the scene's root too. */
    private void mirrorTheme(StackPane layers) {
        Runnable apply = () -> {
            layers.getStyleClass().remove(StyleClasses.DARK);
            if (model.getTheme() == Theme.DARK) {
                layers.getStyleClass().add(StyleClasses.DARK);
            }
        };
        apply.run();
        model.themeProperty().addListener((o, old, now) -> apply.run());
    }

    private Menu menu(String title) {
        for (Menu m : menuBar.getMenus()) {
            if (Shortcut.plain(m.getText()).equals(title)) {
                return m;
            }
        }
        throw new IllegalStateException("main.fxml has no " + title + " menu");
    }

    /** Console > Production context: the title says PRODUCTION while connected to a marked context. */
    private void addProductionMark() {
        CheckMenuItem production = new CheckMenuItem("Production context");
        production.setId("productionItem");
        production.setSelected(model.connectedToProductionProperty().get());
        model.connectedToProductionProperty().addListener((o, old, now) -> production.setSelected(now));
        production.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> model.getSession() == null || model.getSession().sandbox(), model.sessionProperty()));
        production.setOnAction(e -> model.markProduction(production.isSelected()));
        List<MenuItem> items = menu("Console").getItems();
        int beforeQuit = Math.max(0, items.size() - 2);
        items.add(beforeQuit, production);
    }

    /** Console > Read-only mode (Ctrl+Shift+L): switching it reconnects with a client that sends no change. */
    private void addReadOnlySwitch() {
        CheckMenuItem readOnly = new CheckMenuItem("Read-only mode");
        readOnly.setId("readOnlyItem");
        readOnly.setAccelerator(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        readOnly.setSelected(model.isReadOnly());
        model.readOnlyProperty().addListener((o, old, now) -> readOnly.setSelected(now));
        readOnly.setOnAction(e -> model.readOnlyProperty().set(readOnly.isSelected()));
        List<MenuItem> items = menu("Console").getItems();
        items.add(Math.max(0, items.size() - 2), readOnly);
    }

    /**
     * Banners that stay while they hold, under the menu bar: connected to a context marked production,
     * and read-only mode. Words and colour, so neither is mistaken for the other.
     */
    private void addModeBanners() {
        javafx.scene.control.Label production = new javafx.scene.control.Label();
        production.setId("productionBanner");
        production.getStyleClass().addAll("mode-banner", "production-banner");
        production.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> model.getSession() == null ? "" : "PRODUCTION: " + model.getSession().label()
                        + ". Destructive runbooks ask twice; the namespace is typed back before a reset.",
                model.sessionProperty()));
        production.visibleProperty().bind(model.connectedToProductionProperty());
        production.managedProperty().bind(production.visibleProperty());
        javafx.scene.control.Label readOnly = new javafx.scene.control.Label(
                "READ-ONLY: every action that would change the cluster or NATS is disabled, and the client sends no change."
                        + " Console > Read-only mode (" + new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN,
                        KeyCombination.SHIFT_DOWN).getDisplayText() + ") switches it off.");
        readOnly.setId("readOnlyBanner");
        readOnly.getStyleClass().addAll("mode-banner", "read-only-banner");
        readOnly.visibleProperty().bind(model.readOnlyProperty());
        readOnly.managedProperty().bind(readOnly.visibleProperty());
        for (javafx.scene.control.Label banner : List.of(production, readOnly)) {
            banner.setMaxWidth(Double.MAX_VALUE);
            banner.setWrapText(true);
        }
        if (menuBar.getParent() instanceof javafx.scene.layout.Pane top) {
            int at = top.getChildren().indexOf(menuBar) + 1;
            top.getChildren().addAll(at, List.of(production, readOnly));
        }
    }

    private void addHelpMenu() {
        MenuItem find = new MenuItem("Search…");
        find.setId("searchItem");
        find.setAccelerator(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN));
        find.setOnAction(e -> openSearch());
        MenuItem shortcuts = new MenuItem("Keyboard shortcuts");
        shortcuts.setId("shortcutsItem");
        shortcuts.setAccelerator(new KeyCodeCombination(KeyCode.F1));
        shortcuts.setOnAction(e -> toggleHelp());
        MenuItem welcome = new MenuItem("Welcome");
        welcome.setId("welcomeItem");
        welcome.setOnAction(e -> firstRun.show());
        MenuItem about = new MenuItem("About Fleet Console");
        about.setId("aboutItem");
        about.setOnAction(e -> showAbout());
        Menu helpMenu = new Menu("_Help");
        helpMenu.setId("helpMenu");
        helpMenu.getItems().addAll(find, shortcuts, new SeparatorMenuItem(), welcome, about);
        menuBar.getMenus().add(helpMenu);
    }

    private void bindKeys() {
        // A handler, not a filter: a text field or an area that uses the key itself has it first.
        scene.addEventHandler(KeyEvent.KEY_TYPED, e -> {
            if ("?".equals(e.getCharacter()) && !(scene.getFocusOwner() instanceof TextInputControl)) {
                toggleHelp();
                e.consume();
            }
        });
    }

    private void bindFirstRun() {
        firstRun.showingProperty().addListener((o, old, now) -> {
            if (now) {
                overlays.show(firstRunView.card(), firstRunView.initialFocus(), firstRun::close);
            } else if (overlays.isShowing(firstRunView.card())) {
                overlays.close();
            }
        });
        if (firstRun.isShowing()) {
            overlays.show(firstRunView.card(), firstRunView.initialFocus(), firstRun::close);
        }
    }

    /** Shows the shortcut list, or closes it when it is shown. */
    public void toggleHelp() {
        if (overlays.isShowing(help.card())) {
            overlays.close();
        } else {
            overlays.show(help.card(), null, () -> {
            });
        }
    }

    public void openSearch() {
        overlays.show(search.card(overlays::close), search.field(), () -> {
        });
    }

    public void showAbout() {
        AboutDialog.create(stage, model.options().about(), scene.getStylesheets(), model.getTheme() == Theme.DARK).show();
    }

    public FirstRunViewModel firstRun() {
        return firstRun;
    }

    /** Every menu command the search can run: enabled items with a name, submenus' included. */
    private List<QuickSearch.Command> commands() {
        List<QuickSearch.Command> out = new ArrayList<>();
        for (Menu m : menuBar.getMenus()) {
            commands(m, out);
        }
        return out;
    }

    private static void commands(Menu menu, List<QuickSearch.Command> out) {
        for (MenuItem item : menu.getItems()) {
            if (item instanceof Menu sub) {
                commands(sub, out);
            } else if (!(item instanceof SeparatorMenuItem) && !item.isDisable() && item.getText() != null
                    && !item.getText().isBlank() && !"searchItem".equals(item.getId())) {
                String keys = item.getAccelerator() == null ? Shortcut.plain(menu.getText())
                        : item.getAccelerator().getDisplayText();
                out.add(new QuickSearch.Command(Shortcut.plain(item.getText()), keys, item::fire));
            }
        }
    }

    /** The Overview with the workload's row selected and the table ready for the keyboard. */
    private void revealWorkload(String name) {
        model.selectArea(Area.OVERVIEW);
        if (main.lookup("#healthTable") instanceof TableView<?> table) {
            for (int i = 0; i < table.getItems().size(); i++) {
                if (table.getItems().get(i) instanceof WorkloadHealth w && w.name().equals(name)) {
                    table.getSelectionModel().clearAndSelect(i);
                    table.scrollTo(i);
                    table.requestFocus();
                    return;
                }
            }
        }
    }
}
