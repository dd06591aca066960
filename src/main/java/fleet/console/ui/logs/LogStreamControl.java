package fleet.console.ui.logs;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The stream behind a log view: container, previous run, follow and tail, each change reopening the
 * stream into an emptied view. Opening and closing streams runs on the background executor; an older
 * stream's lines can never reach the view once a newer one was asked for.
 */
public final class LogStreamControl {

    private static final Logger LOG = Logger.getLogger(LogStreamControl.class.getName());

    /** Tail choices offered; null stands for "all lines". */
    public static final List<Integer> TAILS = java.util.Arrays.asList(100, 1_000, 10_000, 100_000, null);

    private final LogViewModel view;
    private final LogOrigin origin;
    private final Executor background;
    private final ObservableList<String> containers;
    private final ObjectProperty<String> container = new SimpleObjectProperty<>(this, "container");
    private final BooleanProperty previous = new SimpleBooleanProperty(this, "previous");
    private final BooleanProperty follow = new SimpleBooleanProperty(this, "follow");
    private final ObjectProperty<Integer> tail = new SimpleObjectProperty<>(this, "tail");
    private final ReadOnlyStringWrapper kubectl = new ReadOnlyStringWrapper(this, "kubectl", "");
    private final AtomicLong generation = new AtomicLong();
    private final Object lock = new Object();
    private AutoCloseable open;
    private boolean closed;
    private boolean adjusting;

    public LogStreamControl(LogViewModel view, LogOrigin origin, LogOptions initial, Executor background) {
        this.view = Objects.requireNonNull(view);
        this.origin = Objects.requireNonNull(origin);
        this.background = Objects.requireNonNull(background);
        this.containers = FXCollections.observableArrayList(origin.containers());
        adjusting = true;
        container.set(initial.container().orElse(containers.isEmpty() ? null : containers.get(0)));
        previous.set(initial.previous() && !origin.severalPods());
        follow.set(initial.follow());
        tail.set(initial.tail().isPresent() ? initial.tail().getAsInt() : null);
        adjusting = false;
        container.addListener((o, old, now) -> reopen());
        previous.addListener((o, old, now) -> reopen());
        follow.addListener((o, old, now) -> reopen());
        tail.addListener((o, old, now) -> reopen());
    }

    public LogViewModel view() {
        return view;
    }

    public ObservableList<String> containers() {
        return containers;
    }

    /** More than one container to choose from. */
    public boolean containerChoice() {
        return containers.size() > 1;
    }

    /** A workload's pods have no single previous run. */
    public boolean previousChoice() {
        return !origin.severalPods();
    }

    public ObjectProperty<String> containerProperty() {
        return container;
    }

    public BooleanProperty previousProperty() {
        return previous;
    }

    public BooleanProperty followProperty() {
        return follow;
    }

    /** How many of the last lines to start with; null: all. */
    public ObjectProperty<Integer> tailProperty() {
        return tail;
    }

    /** The kubectl command that reads what the view shows. */
    public ReadOnlyStringProperty kubectlProperty() {
        return kubectl.getReadOnlyProperty();
    }

    public LogOptions options() {
        return new LogOptions(Optional.ofNullable(container.get()), previous.get(), follow.get(),
                tail.get() == null ? OptionalInt.empty() : OptionalInt.of(tail.get()));
    }

    private void reopen() {
        if (!adjusting) {
            open();
        }
    }

    /** Opens the stream with the current options, replacing the one open. Call on the UI thread. */
    public void open() {
        LogOptions options = options();
        kubectl.set(origin.kubectl(options));
        LogViewModel.Feed feed = view.restart(origin.title(options));
        if (origin.severalPods()) {
            feed.prefixLines();
        }
        long gen = generation.incrementAndGet();
        background.execute(() -> {
            closeOpen();
            AutoCloseable opened;
            try {
                opened = origin.open(options, feed);
            } catch (Exception e) {
                feed.status("Cannot read the log: " + rootMessage(e), true);
                return;
            }
            boolean keep;
            synchronized (lock) {
                keep = !closed && gen == generation.get();
                if (keep) {
                    open = opened;
                }
            }
            if (!keep) {
                closeQuietly(opened);
            }
        });
    }

    /** Stops reading (the view was closed). */
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        generation.incrementAndGet();
        view.close();
        background.execute(this::closeOpen);
    }

    private void closeOpen() {
        AutoCloseable toClose;
        synchronized (lock) {
            toClose = open;
            open = null;
        }
        if (toClose != null) {
            closeQuietly(toClose);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // A stream that fails to close is gone for the view either way.
            LOG.log(Level.FINE, "Closing a log stream failed", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
