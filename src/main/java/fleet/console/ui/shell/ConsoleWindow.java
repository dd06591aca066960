package fleet.console.ui.shell;

import fleet.console.audit.AuditJournal;
import fleet.console.ui.common.Fxml;
import fleet.console.ui.common.ViewWarmup;
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
import javafx.event.EventHandler;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
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
    private final MainView mainView;
    private final List<Runnable> areaDisposers;

    private final WindowExtras extras;
    private volatile ViewWarmup warmup;
    private volatile boolean disposed;

    /** The areas' views in the order they are warmed: the busiest first. */
    private static final List<Area> WARMUP_ORDER = List.of(Area.PODS, Area.OVERVIEW, Area.EVENTS, Area.ROLLOUTS, Area.RUNBOOKS,
            Area.NATS, Area.COUNCILS);
    private static final java.util.Map<Area, String> AREA_FXML = java.util.Map.of(Area.PODS, "/fxml/pods/pods.fxml",
            Area.OVERVIEW, "/fxml/overview/overview.fxml", Area.EVENTS, "/fxml/events/events.fxml",
            Area.ROLLOUTS, "/fxml/rollouts/rollouts.fxml", Area.RUNBOOKS, "/fxml/runbooks/runbooks.fxml",
            Area.NATS, "/fxml/nats/nats.fxml", Area.COUNCILS, "/fxml/councils/councils.fxml");
    /**
     * Areas whose views are built in idle frames before their first visit (their view-models watch nothing
     * until shown): the Pods area's first visit built it, bound it, styled it and laid it out in one frame,
     * 100 ms and more on a 2-core machine against a slow API server.
     */
    private static final List<Area> BUILT_AHEAD = List.of(Area.PODS, Area.EVENTS);
    /** Views inside the areas: the log view, the pod's diagnosis panel, the runbook wizard. */
    private static final List<String> INNER_VIEWS = List.of("/fxml/logs/log-view.fxml", "/fxml/diagnosis/diagnosis.fxml",
            "/fxml/runbooks/run-wizard.fxml");

    private ConsoleWindow(Stage stage, Scene scene, MainViewModel model, MainView mainView, WindowExtras extras,
                          List<Runnable> areaDisposers) {
        this.stage = stage;
        this.scene = scene;
        this.model = model;
        this.mainView = mainView;
        this.extras = extras;
        this.areaDisposers = areaDisposers;
    }

    /**
     * Builds the window on the stage (not shown yet) and starts connecting. Call on the FX thread.
     */
    public static ConsoleWindow open(Stage stage, ShellServices services, ShellOptions options) {
        MainViewModel model = new MainViewModel(services, options);
        List<Runnable> areaDisposers = new CopyOnWriteArrayList<>();
        MainView mainView = new MainView(model, area -> areaView(area, model, services, areaDisposers));
        Parent root = load("/fxml/shell/main.fxml", type -> {
            if (type == MainView.class) {
                return mainView;
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
        ConsoleWindow window = new ConsoleWindow(stage, scene, model, mainView, extras, areaDisposers);
        stage.addEventHandler(WindowEvent.WINDOW_SHOWN, new EventHandler<>() {
            @Override
            public void handle(WindowEvent e) {
                stage.removeEventHandler(WindowEvent.WINDOW_SHOWN, this);
                window.warmUp();
            }
        });
        return window;
    }

    /**
     * Once the window is shown: the views not shown yet warmed while the window is idle, so that the
     * first visit of an area is not a freeze (see {@link ViewWarmup}); once per process, the JVM's code
     * being what is warmed.
     */
    private void warmUp() {
        if (warmup != null || disposed) {
            return;
        }
        List<String> views = new java.util.ArrayList<>();
        for (Area area : WARMUP_ORDER) {
            if (area != model.getArea()) {
                views.add(AREA_FXML.get(area));
            }
        }
        views.addAll(INNER_VIEWS);
        // Only in frames the window leaves idle: none in which it lays itself out.
        ViewWarmup w = ViewWarmup.startOnce(views, scene.getStylesheets(), scene.getWidth(), scene.getHeight(),
                () -> scene.getRoot().isNeedsLayout());
        for (Area area : BUILT_AHEAD) {
            // Each in a frame of its own, once its throwaway copy warmed the code it runs.
            w.then(AREA_FXML.get(area), () -> {
                if (!disposed) {
                    mainView.buildAhead(area);
                }
            });
        }
        warmup = w;
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

    /** True once the views not shown yet were warmed (see {@link ViewWarmup}); any thread. */
    public boolean isWarmedUp() {
        ViewWarmup w = warmup;
        return w != null && w.isDone();
    }

    /** True once the area's view was built, before its first visit or by it. FX thread. */
    boolean isBuilt(Area area) {
        return mainView.isBuilt(area);
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
        disposed = true;
        ViewWarmup w = warmup;
        if (w != null) {
            w.cancel();
        }
        areaDisposers.forEach(Runnable::run);
        model.dispose();
    }
}
