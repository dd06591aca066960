package fleet.console.ui.shell;

import fleet.console.audit.AuditJournal;
import fleet.console.ui.common.Fxml;
import fleet.console.ui.events.EventsView;
import fleet.console.ui.nats.NatsArea;
import fleet.console.ui.overview.OverviewView;
import fleet.console.ui.pods.PodsView;
import fleet.console.ui.rollouts.RolloutsArea;
import fleet.console.ui.runbooks.RunbooksView;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.util.Callback;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The console's main window put together: view-models, FXML views and stylesheets on a stage. The
 * application and the UI tests open it the same way, so what the tests click is what operators get.
 */
public final class ConsoleWindow {

    public static final String THEME_CSS = "/styles/theme.css";
    public static final String CONSOLE_CSS = "/styles/console.css";

    private final Stage stage;
    private final Scene scene;
    private final MainViewModel model;
    private final List<Runnable> areaDisposers;

    private final WindowExtras extras;

    private ConsoleWindow(Stage stage, Scene scene, MainViewModel model, WindowExtras extras, List<Runnable> areaDisposers) {
        this.stage = stage;
        this.scene = scene;
        this.model = model;
        this.extras = extras;
        this.areaDisposers = areaDisposers;
    }

    /**
     * Builds the window on the stage (not shown yet) and starts connecting. Call on the FX thread.
     */
    public static ConsoleWindow open(Stage stage, ShellServices services, ShellOptions options) {
        MainViewModel model = new MainViewModel(services, options);
        List<Runnable> areaDisposers = new CopyOnWriteArrayList<>();
        Parent root = load("/fxml/shell/main.fxml", type -> {
            if (type == MainView.class) {
                return new MainView(model, area -> areaView(area, model, services, areaDisposers));
            }
            throw new IllegalArgumentException("main.fxml names an unexpected controller " + type);
        });
        // The main window, and above it the layer of the welcome view, the shortcut list and the search.
        StackPane layers = new StackPane(root);
        layers.setId("windowLayers");
        Scene scene = new Scene(layers, 1200, 760);
        scene.getStylesheets().setAll(stylesheet(THEME_CSS), stylesheet(CONSOLE_CSS));
        stage.setScene(scene);
        stage.titleProperty().bind(Bindings.concat("Fleet Console — ", model.connectionLabelProperty(),
                Bindings.when(model.connectedToProductionProperty()).then(" — PRODUCTION").otherwise("")));
        WindowExtras extras = WindowExtras.install(stage, scene, layers, root, model);
        model.start();
        return new ConsoleWindow(stage, scene, model, extras, areaDisposers);
    }

    private static Node areaView(Area area, MainViewModel model, ShellServices services, List<Runnable> disposers) {
        switch (area) {
            case OVERVIEW -> {
                return load("/fxml/overview/overview.fxml", type -> new OverviewView(model.overview()));
            }
            case PODS -> {
                return load("/fxml/pods/pods.fxml", type -> new PodsView(model.pods()));
            }
            case EVENTS -> {
                return load("/fxml/events/events.fxml", type -> new EventsView(model.events()));
            }
            case RUNBOOKS -> {
                return load("/fxml/runbooks/runbooks.fxml", type -> new RunbooksView(model.runbooks()));
            }
            case NATS -> {
                return NatsArea.inShell(model.sessionProperty(), model.areaProperty().isEqualTo(Area.NATS), services.background(),
                        services.ui(), services.clock(), services.auditFile(), model.navigator(), disposers::add);
            }
            case ROLLOUTS -> {
                ShellServices s = model.services();
                return RolloutsArea.inShell(model.sessionProperty(), s.background(), s.ui(), RolloutsArea::userProfile,
                        new AuditJournal(s.auditFile())::append, s.clock());
            }
            default -> {
            }
        }
        if (area == Area.COUNCILS) {
            return fleet.console.ui.councils.CouncilsArea.inShell(model.sessionProperty());
        }
        return load("/fxml/shell/placeholder.fxml", type -> new AreaPlaceholderView(area));
    }

    private static Parent load(String resource, Callback<Class<?>, Object> controllers) {
        return Fxml.load(resource, controllers);
    }

    private static String stylesheet(String resource) {
        return Objects.requireNonNull(ConsoleWindow.class.getResource(resource), resource + " is not on the class path")
                .toExternalForm();
    }

    public Stage stage() {
        return stage;
    }

    public Scene scene() {
        return scene;
    }

    public MainViewModel model() {
        return model;
    }

    /** Help menu, shortcut list, search, welcome view. */
    public WindowExtras extras() {
        return extras;
    }

    /**
     * Lets go of the session and its watches (in the background); the stage is left to its owner.
     * Touches no property, so it may run from any thread, also after the FX toolkit stopped.
     */
    public void dispose() {
        areaDisposers.forEach(Runnable::run);
        model.dispose();
    }
}
