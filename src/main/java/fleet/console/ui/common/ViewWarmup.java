package fleet.console.ui.common;

import javafx.animation.AnimationTimer;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ObservableList;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Makes the first showing of a view cheap. The first time the JVM meets a kind of control, the code of
 * its FXML, its skin and its CSS runs cold (classes loaded, interpreted): an area built cold is half a
 * second of the FX thread in one frame, a freeze the operator sees when first clicking it. While the
 * window is idle this builds throwaway copies of the views once: their node graphs off the FX thread
 * (the FXML without its controller, so nothing is bound and no view-model is touched), then, on the FX
 * thread, a few small pieces per frame styled and laid out in a scene of its own that is never shown,
 * in frames the window leaves idle: none where the window lays itself out, none right after a late pulse
 * (yet never more than {@link #MOST_FRAMES_LEFT_OUT_IN_A_ROW} in a row).
 * The copies are let go of afterwards; what stays is the warmed code. A window can have tasks of its own run
 * the same way, each alone in an idle frame once a view was warmed ({@link #then}).
 */
public final class ViewWarmup {

    private static final Logger LOG = Logger.getLogger(ViewWarmup.class.getName());
    private static final Pattern CONTROLLER = Pattern.compile("\\sfx:controller=\"[^\"]*\"");
    /** Work per frame: pieces are styled one after the other until this much of the frame is used. */
    private static final long FRAME_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(8);
    private static final int FIRST_FRAMES = 10;
    /**
     * A pulse this long after the one before says the FX thread (or the machine) is busy: the warm-up waits
     * for the next frame, so that its step, 30 to 100 ms of cold code on a 2-core machine, does not come on
     * top of the window's own work.
     */
    static final long LATE_PULSE_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
    /**
     * Frames left to the window in a row at most: a window busy in every frame (an animation that lays it out,
     * a machine always late) still gets its views warmed, a step every half second or so.
     */
    static final int MOST_FRAMES_LEFT_OUT_IN_A_ROW = 30;

    private final ConcurrentLinkedQueue<Built> built = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Step> steps = new ArrayDeque<>();
    /** Tasks to run once the view of a resource was warmed, by resource (FX thread). */
    private final Map<String, List<Runnable>> after = new HashMap<>();
    /** Resources whose pieces were queued (FX thread). */
    private final Set<String> warmed = new HashSet<>();
    /** Tasks whose view was warmed already, to run first (FX thread). */
    private final ArrayDeque<Step> ready = new ArrayDeque<>();
    /** Frames left before the warm-up begins: the window's own first frames (its CSS and layout) go first. */
    private int framesToWait = FIRST_FRAMES;
    /** True while the window has work of its own in the coming pulse (a layout pass). */
    private final BooleanSupplier windowBusy;
    private long previousPulse;
    private int stepsRun;
    private int framesLeftOut;
    private int leftOutInARow;
    private int framesWorked;
    private final StackPane stagingRoot = new StackPane();
    private final Scene staging;
    private volatile boolean loading = true;
    private volatile boolean cancelled;
    private volatile boolean finished;
    private boolean running;
    private final AnimationTimer frames = new AnimationTimer() {
        @Override
        public void handle(long now) {
            step(now);
        }
    };

    private ViewWarmup(List<String> stylesheets, double width, double height, BooleanSupplier windowBusy) {
        this.windowBusy = Objects.requireNonNull(windowBusy);
        staging = new Scene(stagingRoot, width, height);
        staging.getStylesheets().setAll(stylesheets);
    }

    /** The process's warm-up: what it warms is the JVM's, so the first window shown does it for all. FX thread. */
    private static ViewWarmup shared;
    private volatile boolean completed;

    /**
     * The process's warm-up, started by the first window shown (or again if that one was cancelled before
     * it completed); later windows share it. Call on the FX thread.
     */
    public static ViewWarmup startOnce(List<String> fxml, List<String> stylesheets, double width, double height,
                                       BooleanSupplier windowBusy) {
        if (shared == null || (shared.cancelled && !shared.completed)) {
            shared = start(fxml, stylesheets, width, height, windowBusy);
        }
        return shared;
    }

    /**
     * Starts warming the views of the given FXML resources, in that order. Call on the FX thread.
     *
     * @param stylesheets the window's, so that the same CSS code runs
     * @param windowBusy  asked at the start of each pulse (FX thread): true when the window has work of its own
     *                    in it (its root needs a layout pass: rows came, an area is shown); the warm-up leaves
     *                    such frames to the window
     */
    public static ViewWarmup start(List<String> fxml, List<String> stylesheets, double width, double height,
                                   BooleanSupplier windowBusy) {
        ViewWarmup warmup = new ViewWarmup(stylesheets, width, height, windowBusy);
        List<String> resources = List.copyOf(fxml);
        // A thread of its own, short-lived: the FXML is read off the FX thread whatever executors the window has.
        Thread reader = new Thread(() -> warmup.load(resources), "view-warmup");
        reader.setDaemon(true);
        reader.setPriority(Thread.MIN_PRIORITY);
        reader.start();
        warmup.run();
        return warmup;
    }

    private void run() {
        running = true;
        frames.start();
    }

    private void stopFrames() {
        running = false;
        frames.stop();
    }

    /**
     * Runs a task in a frame of its own that the window leaves idle, once the view of the given FXML resource
     * was warmed (right after its pieces, or in the next idle frame if they were warmed already, even after the
     * warm-up completed). A window builds its areas' real views this way before their first visit, with their
     * code warm. A cancelled warm-up drops its tasks. FX thread.
     */
    public void then(String resource, Runnable task) {
        Objects.requireNonNull(task);
        if (cancelled) {
            return;
        }
        if (warmed.contains(resource) || completed) {
            ready.add(new Step(task, true));
            if (!running) {
                finished = false;
                run();
            }
        } else {
            after.computeIfAbsent(resource, r -> new ArrayList<>()).add(task);
        }
    }

    /** A piece of the warm-up; one {@code alone} is the only work of its frame. */
    private record Step(Runnable action, boolean alone) {
    }

    /** The throwaway copy of a view (null when it could not be built: its tasks still run). */
    private record Built(String resource, Node view) {
    }

    /** Stops (the window closes), unless it completed already; any thread. */
    public void cancel() {
        if (!completed) {
            cancelled = true;
            built.clear();
        }
    }

    /** True once every piece was styled and laid out and let go of, or the warm-up was cancelled. Any thread. */
    public boolean isDone() {
        return finished;
    }

    private void load(List<String> resources) {
        try {
            for (String resource : resources) {
                if (cancelled) {
                    return;
                }
                Node view = null;
                try {
                    view = throwaway(resource);
                } catch (Exception | LinkageError e) {
                    LOG.log(Level.FINE, "No warm-up of " + resource, e);
                }
                built.add(new Built(resource, view));
            }
        } finally {
            loading = false;
        }
    }

    /** The view's nodes as its FXML makes them, without its controller. Off the FX thread. */
    static Parent throwaway(String resource) throws java.io.IOException {
        URL url = Objects.requireNonNull(ViewWarmup.class.getResource(resource), resource);
        String text;
        try (InputStream in = url.openStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        FXMLLoader loader = new FXMLLoader(url);
        return loader.load(new ByteArrayInputStream(CONTROLLER.matcher(text).replaceFirst("").getBytes(StandardCharsets.UTF_8)));
    }

    /** Warm-up steps done so far (FX thread). */
    int stepsRun() {
        return stepsRun;
    }

    /** Frames the warm-up left to the window, busy or late (FX thread). */
    int framesLeftOut() {
        return framesLeftOut;
    }

    /** Frames in which the warm-up did steps (FX thread). */
    int framesWorked() {
        return framesWorked;
    }

    private void step(long now) {
        long before = previousPulse;
        previousPulse = now;
        if (cancelled) {
            stopFrames();
            steps.clear();
            ready.clear();
            after.clear();
            stagingRoot.getChildren().clear();
            finished = true;
            return;
        }
        if (framesToWait > 0) {
            framesToWait--;
            return;
        }
        if ((now - before > LATE_PULSE_NANOS || windowBusy.getAsBoolean()) && leftOutInARow < MOST_FRAMES_LEFT_OUT_IN_A_ROW) {
            framesLeftOut++;
            leftOutInARow++;
            return;
        }
        leftOutInARow = 0;
        framesWorked++;
        long began = System.nanoTime();
        boolean first = true;
        while (System.nanoTime() - began < FRAME_BUDGET_NANOS) {
            if (steps.isEmpty() && ready.isEmpty()) {
                Built next = built.poll();
                if (next == null) {
                    if (!loading && !after.isEmpty()) {
                        // Tasks waiting for a view that was not in the list: they run all the same.
                        after.values().forEach(tasks -> tasks.forEach(t -> ready.add(new Step(t, true))));
                        after.clear();
                        continue;
                    }
                    if (!loading) {
                        stopFrames();
                        stagingRoot.getChildren().clear();
                        completed = true;
                        finished = true;
                    }
                    return;
                }
                queue(next);
            }
            ArrayDeque<Step> from = ready.isEmpty() ? steps : ready;
            Step step = from.peek();
            if (step.alone() && !first) {
                return;
            }
            from.poll();
            first = false;
            try {
                step.action().run();
                stagingRoot.applyCss();
                stagingRoot.layout();
                stepsRun++;
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "A warm-up step failed", e);
            }
            if (step.alone()) {
                return;
            }
        }
    }

    /** The steps of a view: its pieces styled and laid out one by one, then the tasks waiting for it. */
    private void queue(Built next) {
        if (next.view() != null) {
            List<Node> pieces = new ArrayList<>();
            split(next.view(), pieces);
            for (Node piece : pieces) {
                steps.add(new Step(() -> stagingRoot.getChildren().setAll(piece), false));
                if (piece instanceof TableView<?> table) {
                    warmRowSteps(table).forEach(s -> steps.add(new Step(s, false)));
                }
            }
        }
        warmed.add(next.resource());
        for (Runnable task : after.getOrDefault(next.resource(), List.of())) {
            steps.add(new Step(task, true));
        }
        after.remove(next.resource());
    }

    /** Rows a throwaway table is given: enough for every kind of row and badge to be made once. */
    static final int WARM_ROWS = 6;

    /**
     * Steps that give a throwaway table rows to make: its rows' and cells' skins and their CSS run here, in
     * the states the areas' tables show (a problem row, a warning row, a plain one; a status badge of each
     * level), instead of in the frame that shows the first pods or the first crash (half a second of the FX
     * thread on a 2-core machine, the pods benchmark's first updates). Made cold, one row of ten cells is a
     * few hundred milliseconds: the first row starts with one column, the others are shown one a step, and
     * only then come the other rows, so that no step is a freeze of its own.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<Runnable> warmRowSteps(TableView<?> table) {
        TableView<Object> rows = (TableView<Object>) table;
        List<TableColumn<Object, ?>> columns = List.copyOf(rows.getColumns());
        List<Runnable> steps = new ArrayList<>();
        if (columns.isEmpty()) {
            return steps;
        }
        Severity[] levels = Severity.values();
        steps.add(() -> {
            rows.setRowFactory(t -> new TableRow<>() {
                @Override
                protected void updateItem(Object item, boolean empty) {
                    super.updateItem(item, empty);
                    int kind = !empty && item instanceof Integer n ? n % 3 : 2; // problem, warning, plain
                    pseudoClassStateChanged(StyleClasses.PROBLEM, kind == 0);
                    pseudoClassStateChanged(StyleClasses.WARNING, kind == 1);
                }
            });
            for (TableColumn column : columns) {
                column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(((TableColumn.CellDataFeatures) c).getValue()));
                column.setVisible(column == columns.get(0));
            }
            ((TableColumn<Object, Object>) columns.get(0)).setCellFactory(c -> new TableCell<>() {
                private final StatusBadge badge = new StatusBadge();

                @Override
                protected void updateItem(Object item, boolean empty) {
                    super.updateItem(item, empty);
                    if (empty || !(item instanceof Integer n)) {
                        setGraphic(null);
                    } else {
                        badge.show(levels[n % levels.length], "warm-up");
                        setGraphic(badge);
                    }
                }
            });
            rows.getItems().setAll(List.of(0));
        });
        for (TableColumn<Object, ?> column : columns.subList(1, columns.size())) {
            steps.add(() -> column.setVisible(true));
        }
        for (int n = 1; n < WARM_ROWS; n++) {
            int row = n;
            steps.add(() -> rows.getItems().add(row));
        }
        return steps;
    }

    /**
     * A throwaway view taken apart into pieces small enough for a frame each: every container emptied
     * and its content in pieces of its own.
     */
    static void split(Node node, List<Node> into) {
        List<Node> content = new ArrayList<>();
        if (node instanceof SplitPane split) {
            content.addAll(split.getItems());
            split.getItems().clear();
        } else if (node instanceof TabPane tabs) {
            for (Tab tab : tabs.getTabs()) {
                if (tab.getContent() != null) {
                    content.add(tab.getContent());
                    tab.setContent(null);
                }
            }
        } else if (node instanceof ScrollPane scroll && scroll.getContent() != null) {
            content.add(scroll.getContent());
            scroll.setContent(null);
        } else if (node instanceof TitledPane titled && titled.getContent() != null) {
            content.add(titled.getContent());
            titled.setContent(null);
        } else if (node instanceof Pane pane) {
            ObservableList<Node> children = pane.getChildren();
            content.addAll(children);
            children.clear();
        }
        into.add(node);
        for (Node child : content) {
            if (child instanceof Parent) {
                split(child, into);
            } else {
                into.add(child);
            }
        }
    }
}
