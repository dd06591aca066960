package fleet.console.ui.logs;

import fleet.console.cluster.logs.LogLine;
import fleet.console.cluster.logs.LogStream;
import fleet.console.cluster.logs.LogStreamStatus;
import fleet.console.ui.common.FrameBatcher;
import fleet.console.ui.common.FramePriority;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The log view without a window: the lines it shows, their counters (held, evicted, dropped, waiting,
 * errors), search with next/previous, the filter with context, pause, wrap, save and copy. Fed through
 * a {@link Feed} from any thread; lines reach the buffer once per frame through a {@link FrameBatcher}.
 * <p>
 * One widget for every log the console shows (a pod, a workload's pods, later a runbook step's output):
 * what feeds it is not its business.
 */
public final class LogViewModel {

    /** Lines handed to the view at once: at most 400,000 a second under a flood (see {@link #FLOOD_EVERY}). */
    static final int LINES_PER_FRAME = 40_000;

    /**
     * Under a flood the shown lines change every this many frames (about 10 times a second), not every
     * frame: each change costs the ListView a walk over every row it holds (JavaFX's VirtualFlow adds up
     * row heights one by one), and 60 such walks a second over 100,000 rows took most of the FX thread.
     * Measured again once the list held only the last 5,000 lines while following ({@link FollowWindow}),
     * logs benchmark, 3 alternating runs each: every frame (1) took 1,280-1,619 ms of FX thread CPU per
     * 1,000,000 lines instead of 558-645 and ingested 137-164k lines/s instead of 181-204k; every 2nd or
     * 3rd frame fell between the two. The longest stall was no shorter for any of them.
     */
    static final int FLOOD_EVERY = 6;

    /** Lines waiting that are still a trickle: handed over on the next frame. */
    static final int TRICKLE = 2_000;

    private final Executor background;
    private final Executor ui;
    private final FrameBatcher.Frames frames;
    private LogBuffer buffer;
    private LogSources sources = new LogSources();
    private Feed feed;

    private final ShownLines lines = new ShownLines();
    /** What the list control holds: the last lines while following, all of them otherwise. */
    private final FollowWindow rows;

    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "");
    private final ReadOnlyLongWrapper received = new ReadOnlyLongWrapper(this, "received");
    private final ReadOnlyIntegerWrapper held = new ReadOnlyIntegerWrapper(this, "held");
    private final ReadOnlyLongWrapper evicted = new ReadOnlyLongWrapper(this, "evicted");
    private final ReadOnlyLongWrapper dropped = new ReadOnlyLongWrapper(this, "dropped");
    private final ReadOnlyLongWrapper waiting = new ReadOnlyLongWrapper(this, "waiting");
    private final ReadOnlyLongWrapper errors = new ReadOnlyLongWrapper(this, "errors");
    private final ReadOnlyLongWrapper warnings = new ReadOnlyLongWrapper(this, "warnings");
    private final ReadOnlyStringWrapper counters = new ReadOnlyStringWrapper(this, "counters", "No lines yet.");
    /** The counters' numbers with their thousands grouped: made once, as each hand-over of a flood writes them. FX thread. */
    private final NumberFormat grouped = groupedNumbers();
    private final ReadOnlyBooleanWrapper prefixed = new ReadOnlyBooleanWrapper(this, "prefixed");
    private final IntegerProperty capacity = new SimpleIntegerProperty(this, "capacity");

    private final StringProperty searchText = new SimpleStringProperty(this, "searchText", "");
    private final BooleanProperty caseSensitive = new SimpleBooleanProperty(this, "caseSensitive");
    private final BooleanProperty regex = new SimpleBooleanProperty(this, "regex");
    private final BooleanProperty filter = new SimpleBooleanProperty(this, "filter");
    private final IntegerProperty context = new SimpleIntegerProperty(this, "context", 2);
    private final ReadOnlyStringWrapper searchProblem = new ReadOnlyStringWrapper(this, "searchProblem", "");
    private final ReadOnlyStringWrapper matchText = new ReadOnlyStringWrapper(this, "matchText", "");
    private final ReadOnlyObjectWrapper<SearchHit> currentHit = new ReadOnlyObjectWrapper<>(this, "currentHit");
    private final ReadOnlyObjectWrapper<SearchQuery> query = new ReadOnlyObjectWrapper<>(this, "query");

    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private final BooleanProperty wrap = new SimpleBooleanProperty(this, "wrap");
    private final BooleanProperty autoScroll = new SimpleBooleanProperty(this, "autoScroll", true);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyBooleanWrapper statusProblem = new ReadOnlyBooleanWrapper(this, "statusProblem");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");

    /**
     * @param background where files are written
     * @param ui         how stream status and save results reach the UI thread
     * @param frames     the screen's frames ({@link FrameBatcher#fxFrames()} in the application)
     * @param capacity   lines held at most ({@link LogBuffer#DEFAULT_CAPACITY} unless configured)
     */
    public LogViewModel(Executor background, Executor ui, FrameBatcher.Frames frames, int capacity) {
        this.background = Objects.requireNonNull(background);
        this.ui = Objects.requireNonNull(ui);
        this.frames = Objects.requireNonNull(frames);
        this.buffer = new LogBuffer(capacity);
        this.capacity.set(capacity);
        this.feed = new Feed(this);
        this.rows = new FollowWindow(lines, FollowWindow.FOLLOWED, autoScroll.get());
        // Registered before any view's listener: the window opens before a view scrolls within it.
        autoScroll.addListener((o, old, now) -> rows.follow(now));
        this.capacity.addListener((o, old, now) -> apply(buffer.resize(now.intValue())));
        searchText.addListener((o, old, now) -> research());
        caseSensitive.addListener((o, old, now) -> research());
        regex.addListener((o, old, now) -> research());
        filter.addListener((o, old, now) -> refilter());
        context.addListener((o, old, now) -> refilter());
        paused.addListener((o, old, now) -> {
            if (now) {
                buffer.pause();
            } else {
                apply(buffer.resume());
            }
            updateCounters();
        });
    }

    // ---- feeding ----------------------------------------------------------------------------------

    /**
     * Where lines come in, from any thread. Each {@link #restart} makes a new one and silences the old,
     * so lines of a stream the operator replaced can never mix into the new one.
     */
    public Feed feed() {
        return feed;
    }

    /**
     * Starts over with an empty buffer (the operator chose another container, the previous run,
     * another tail): counters restart and the old feed is silenced. Search, filter and pause stay.
     */
    public Feed restart(String newTitle) {
        feed.close();
        buffer = rebuilt(new LogBuffer(capacity.get()));
        sources = new LogSources();
        feed = new Feed(this);
        title.set(newTitle);
        prefixed.set(false);
        dropped.set(0);
        status.set("");
        statusProblem.set(false);
        lines.replaceAll(buffer.shownLines());
        updateSearchState();
        updateCounters();
        return feed;
    }

    /** Stops taking lines (the view closed). */
    public void close() {
        feed.close();
    }

    /** The sink a stream writes to: thread-safe, classifies on the caller's thread. */
    public static final class Feed {
        private final LogViewModel model;
        private final LevelDetector detector;
        private final FrameBatcher<LogEntry> batcher;
        private final AtomicLong droppedNow = new AtomicLong();
        private volatile LongSupplier droppedBy = () -> 0;
        private volatile boolean closed;

        private Feed(LogViewModel model) {
            this.model = model;
            this.detector = new LevelDetector(model.sources);
            this.batcher = new FrameBatcher<>(floodPaced(model.frames), LINES_PER_FRAME, model.capacity.get(),
                    batch -> model.onFrame(this, batch), skipped -> model.onSkipped(this, skipped));
        }

        /** The screen's frames, of which a flood uses one in {@link #FLOOD_EVERY}; a trickle uses the next. */
        private FrameBatcher.Frames floodPaced(FrameBatcher.Frames screen) {
            return new FrameBatcher.Frames() {
                private int passed;

                @Override
                public void start(Runnable tick) {
                    screen.start(() -> {
                        if (++passed >= FLOOD_EVERY || Feed.this.batcher.waiting() <= TRICKLE) {
                            passed = 0;
                            tick.run();
                        }
                    });
                }

                @Override
                public void stop() {
                    screen.stop();
                }
            };
        }

        /** Lines in the order the stream read them. */
        public void lines(List<LogLine> batch) {
            if (!closed && !batch.isEmpty()) {
                FramePriority.yieldToFrame();
                batcher.addAll(detector.classify(batch));
            }
        }

        /** For a stream's readers: waits (briefly) while the screen is in a frame and lines wait to be shown. */
        public void pace() {
            if (!closed) {
                FramePriority.yieldToFrame();
            }
        }

        /**
         * A log stream's sink that feeds this view: its lines, its readers' pace, and its statuses in the words
         * {@code describe} gives them, coloured when {@code problem} says so.
         */
        public LogStream.Sink sink(Function<LogStreamStatus, String> describe, Predicate<LogStreamStatus> problem) {
            return new LogStream.Sink() {
                @Override
                public void lines(List<LogLine> batch) {
                    Feed.this.lines(batch);
                }

                @Override
                public void pace() {
                    Feed.this.pace();
                }

                @Override
                public void status(LogStreamStatus s) {
                    Feed.this.status(describe.apply(s), problem.test(s));
                }
            };
        }

        /**
         * What the stream says about itself (following, resumed after a cut, ended, pod gone...);
         * {@code problem} colours it.
         */
        public void status(String text, boolean problem) {
            if (!closed) {
                model.ui.execute(() -> {
                    if (model.feed == this) {
                        model.status.set(text);
                        model.statusProblem.set(problem);
                        model.updateCounters();
                    }
                });
            }
        }

        /** Where the count of lines the stream itself lost comes from; read on each frame. */
        public void countDroppedWith(LongSupplier supplier) {
            droppedBy = Objects.requireNonNull(supplier);
        }

        /** Lines the source lost before they reached this feed. */
        public void dropped(long count) {
            droppedNow.addAndGet(count);
        }

        /** This feed marks the whole view as one workload's pods, so lines carry their pod from the start. */
        public void prefixLines() {
            model.ui.execute(() -> {
                if (model.feed == this) {
                    model.prefixed.set(true);
                }
            });
        }

        long droppedTotal() {
            return droppedNow.get() + droppedBy.getAsLong();
        }

        public boolean isClosed() {
            return closed;
        }

        void close() {
            closed = true;
            batcher.close();
        }
    }

    private void onFrame(Feed from, List<LogEntry> batch) {
        if (from != feed) {
            return;
        }
        if (sources.count() > 1) {
            // Lines come interleaved by time from the stream; several sources need their pod named.
            prefixed.set(true);
        }
        apply(buffer.append(batch));
        dropped.set(from.droppedTotal());
        updateCounters();
    }

    private void onSkipped(Feed from, long count) {
        if (from == feed) {
            apply(buffer.skip(count));
        }
    }

    // ---- what is shown ----------------------------------------------------------------------------

    /** The lines to show, oldest first (read-only; changed once per frame at most). */
    public ObservableList<LogEntry> lines() {
        return lines;
    }

    private void apply(ViewDelta delta) {
        if (delta.reset()) {
            lines.replaceAll(buffer.shownLines());
        } else {
            lines.update(delta.removedFromHead(), delta.appended());
        }
        if (currentHit.get() != null && buffer.currentMatchLine() != currentHit.get().line()) {
            currentHit.set(null);
        }
        updateMatchText();
    }

    /**
     * What a list control shows: {@link #lines()}, but only the last {@link FollowWindow#FOLLOWED} of them
     * while the view follows the newest line ({@link #autoScrollProperty()}); all of them as soon as it
     * stops following.
     */
    public ObservableList<LogEntry> rows() {
        return rows;
    }

    /** Where this line is in {@link #lines()}; -1 when not shown (evicted, filtered, waiting). */
    public int indexOf(long lineNumber) {
        return buffer.shownIndexOf(lineNumber);
    }

    /** Where this line is in {@link #rows()}; -1 when it is not there. */
    public int rowOf(long lineNumber) {
        int index = buffer.shownIndexOf(lineNumber);
        return index < rows.hidden() ? -1 : index - rows.hidden();
    }

    /** Positions of the search's matches in this line's text, {@code [s0, e0, s1, e1...]}. */
    public int[] matchesIn(LogEntry entry) {
        SearchQuery q = query.get();
        return q == null ? new int[0] : q.positions(entry.text());
    }

    /** The prefix shown before a line when the view holds several pods; empty otherwise. */
    public String prefixOf(LogEntry entry) {
        return prefixed.get() ? sources.pod(entry.source()) : "";
    }

    /** Lines carry their pod's name (a workload's pods in one view). */
    public ReadOnlyBooleanProperty prefixedProperty() {
        return prefixed.getReadOnlyProperty();
    }

    // ---- counters ---------------------------------------------------------------------------------

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty receivedProperty() {
        return received.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty heldProperty() {
        return held.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty evictedProperty() {
        return evicted.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty droppedProperty() {
        return dropped.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty waitingProperty() {
        return waiting.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty errorsProperty() {
        return errors.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty warningsProperty() {
        return warnings.getReadOnlyProperty();
    }

    /** "100,000 lines held of 1,000,000 received · 900,000 evicted · 0 dropped · 2 errors". */
    public ReadOnlyStringProperty countersProperty() {
        return counters.getReadOnlyProperty();
    }

    /** Lines held at most; changing it evicts the oldest at once when it shrinks. */
    public IntegerProperty capacityProperty() {
        return capacity;
    }

    private static NumberFormat groupedNumbers() {
        NumberFormat n = NumberFormat.getIntegerInstance(Locale.ROOT);
        n.setGroupingUsed(true);
        return n;
    }

    private void updateCounters() {
        received.set(buffer.received());
        held.set(buffer.size());
        evicted.set(buffer.evicted());
        waiting.set(buffer.waiting());
        errors.set(buffer.errors());
        warnings.set(buffer.warnings());
        NumberFormat n = grouped;
        StringBuilder text = new StringBuilder();
        if (buffer.received() == 0) {
            text.append("No lines yet.");
        } else {
            text.append(n.format(buffer.size())).append(buffer.size() == 1 ? " line" : " lines").append(" held");
            if (buffer.evicted() > 0) {
                text.append(" · ").append(n.format(buffer.evicted())).append(" older evicted (keeps ")
                        .append(n.format(buffer.capacity())).append(")");
            }
            text.append(" · ").append(n.format(dropped.get())).append(" dropped");
            text.append(" · ").append(n.format(buffer.errors())).append(buffer.errors() == 1 ? " error" : " errors");
            text.append(" · ").append(n.format(buffer.warnings())).append(buffer.warnings() == 1 ? " warning" : " warnings");
        }
        if (buffer.paused()) {
            text.append(" · paused, ").append(n.format(buffer.waiting())).append(" waiting");
        }
        counters.set(text.toString());
    }

    // ---- search and filter ------------------------------------------------------------------------

    public StringProperty searchTextProperty() {
        return searchText;
    }

    public BooleanProperty caseSensitiveProperty() {
        return caseSensitive;
    }

    public BooleanProperty regexProperty() {
        return regex;
    }

    /** Show only matching lines and their context. */
    public BooleanProperty filterProperty() {
        return filter;
    }

    /** Lines kept before and after each match while filtering. */
    public IntegerProperty contextProperty() {
        return context;
    }

    /** Why the search text is not a valid expression; empty when it is. */
    public ReadOnlyStringProperty searchProblemProperty() {
        return searchProblem.getReadOnlyProperty();
    }

    /** "3 of 12", "12 matches", "no match". */
    public ReadOnlyStringProperty matchTextProperty() {
        return matchText.getReadOnlyProperty();
    }

    /** The match next/previous went to: the view scrolls to it and marks it. */
    public ReadOnlyObjectProperty<SearchHit> currentHitProperty() {
        return currentHit.getReadOnlyProperty();
    }

    /** The search in force (null: none); cells highlight its matches. */
    public ReadOnlyObjectProperty<SearchQuery> queryProperty() {
        return query.getReadOnlyProperty();
    }

    public Optional<SearchHit> nextMatch() {
        return go(buffer.nextMatch());
    }

    public Optional<SearchHit> previousMatch() {
        return go(buffer.previousMatch());
    }

    private Optional<SearchHit> go(Optional<SearchHit> hit) {
        // Looking at a match: the view must not scroll away from it as new lines come in.
        hit.ifPresent(h -> autoScroll.set(false));
        currentHit.set(hit.orElse(null));
        updateMatchText();
        return hit;
    }

    private void research() {
        String text = searchText.get() == null ? "" : searchText.get();
        SearchQuery q = null;
        String problem = "";
        if (!text.isEmpty()) {
            if (regex.get()) {
                SearchQuery.Result r = SearchQuery.regex(text, caseSensitive.get());
                q = r.query().orElse(null);
                problem = r.problem();
            } else {
                q = SearchQuery.text(text, caseSensitive.get());
            }
        }
        searchProblem.set(problem);
        query.set(q);
        currentHit.set(null);
        apply(buffer.search(q));
    }

    private void refilter() {
        apply(buffer.filter(filter.get(), Math.max(0, context.get())));
        updateCounters();
    }

    private LogBuffer rebuilt(LogBuffer fresh) {
        fresh.search(query.get());
        fresh.filter(filter.get(), Math.max(0, context.get()));
        if (paused.get()) {
            fresh.pause();
        }
        return fresh;
    }

    private void updateSearchState() {
        currentHit.set(null);
        updateMatchText();
    }

    private void updateMatchText() {
        if (query.get() == null) {
            matchText.set("");
            return;
        }
        long total = buffer.occurrences();
        SearchHit hit = currentHit.get();
        if (total == 0) {
            matchText.set("no match");
        } else if (hit != null) {
            matchText.set(hit.ordinal() + " of " + hit.total());
        } else {
            matchText.set(total + (total == 1 ? " match" : " matches"));
        }
    }

    // ---- pause, wrap, scrolling -------------------------------------------------------------------

    /** Lines keep arriving while paused; {@link #waitingProperty()} counts them. */
    public BooleanProperty pausedProperty() {
        return paused;
    }

    public BooleanProperty wrapProperty() {
        return wrap;
    }

    /** Keep the newest line in sight as lines arrive. */
    public BooleanProperty autoScrollProperty() {
        return autoScroll;
    }

    /** What the stream last said (following, resumed, ended, gone...). */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty statusProblemProperty() {
        return statusProblem.getReadOnlyProperty();
    }

    /** The outcome of the last save or copy. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    // ---- save and copy ----------------------------------------------------------------------------

    /** A line as saved and copied: kubectl's {@code --prefix} form when the view holds several pods. */
    public String textOf(LogEntry entry) {
        if (!prefixed.get()) {
            return entry.text();
        }
        return "[pod/" + entry.pod() + "/" + entry.container() + "] " + entry.text();
    }

    /** The given lines (a selection) as one text, a line each. */
    public String copyText(List<LogEntry> selection) {
        StringBuilder out = new StringBuilder();
        for (LogEntry e : selection) {
            out.append(textOf(e)).append('\n');
        }
        message.set("Copied " + selection.size() + (selection.size() == 1 ? " line." : " lines."));
        return out.toString();
    }

    /**
     * Writes exactly the held lines (all of them, whatever the filter shows) to the file, on the
     * background executor. Completes with the number of lines written.
     */
    public CompletableFuture<Integer> save(Path file) {
        List<LogEntry> snapshot = buffer.lines();
        List<String> texts = new ArrayList<>(snapshot.size());
        boolean withPrefix = prefixed.get();
        for (LogEntry e : snapshot) {
            texts.add(withPrefix ? textOf(e) : e.text());
        }
        long evictedBefore = buffer.evicted();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        background.execute(() -> {
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (String t : texts) {
                    out.write(t);
                    out.write('\n');
                }
                ui.execute(() -> message.set("Saved " + texts.size() + " lines to " + file
                        + (evictedBefore > 0 ? " (the " + evictedBefore + " older lines were evicted before)." : ".")));
                done.complete(texts.size());
            } catch (IOException | RuntimeException e) {
                ui.execute(() -> message.set("Could not save to " + file + ": " + e.getMessage()));
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
