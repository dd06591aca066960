package fleet.console.cluster.logs;

import fleet.console.cluster.PodState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.BytesLimitTerminateTimeTailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.Loggable;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log of one or more pods, as {@code kubectl logs} gives it but without its gaps: lines are read
 * with their timestamps, so when a follow ends while the container still runs (the API server's
 * timeout, a network blip) it is reopened from the last line's second and what was already delivered
 * is dropped; a container that restarts is followed into its new run (the old run's last lines are
 * read from its previous log first); a pod that is deleted ends with {@code gone}.
 * <p>
 * Several pods (a workload) are interleaved by time: the initial lines merged by timestamp, live lines
 * sorted within a short window. Lines reach the {@link Sink} in batches, on the stream's own delivery
 * thread, one call at a time; never on the FX thread.
 */
public final class LogStream implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LogStream.class.getName());
    /** How long live lines of several pods wait for each other to be put in time order. */
    static final Duration WINDOW = Duration.ofMillis(40);
    static final int MAX_BATCH = 5_000;
    /**
     * Lines of live streams read and not handed to the sink yet. A reader this far ahead of the delivery
     * waits (its HTTP stream then waits too, and the rest stays with the server): what a follow holds on its
     * way to the view is bounded. Unbounded, a flood of 250,000 lines a second on a busy 2-core machine had
     * up to 200,000 lines (tens of megabytes) queued here, waiting for a delivery that could not keep up.
     */
    static final int MAX_IN_FLIGHT = 20_000;
    /** The longest a reopened stream that brought nothing waits before it tries again (sooner on any pod change). */
    private static final Duration MAX_QUIET_WAIT = Duration.ofSeconds(5);
    private static final Duration WATCH_START = Duration.ofSeconds(30);
    private static final Duration WAITING_RECHECK = Duration.ofSeconds(30);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final Object END = new Object();

    public interface Sink {
        void lines(List<fleet.console.cluster.logs.LogLine> batch);

        default void status(LogStreamStatus status) {
        }

        /**
         * On a reader thread, before it hands a chunk of lines on: a sink whose consumer is busy right now (a
         * screen in the middle of a frame) may hold the reader a moment. Must return soon, and never waits
         * for the stream itself.
         */
        default void pace() {
        }
    }

    /** A line on its way to the sink; {@code stream} keeps each container's own order when merging. */
    private record Pending(String pod, String container, Instant time, String text, int stream) {
    }

    /**
     * What one chunk of a followed stream brought (lines, and a note before them), queued at once, with the
     * permits of {@code inFlight} it holds until it is delivered.
     */
    private record Batch(List<Object> items, int permits) {
    }

    /** The initial lines of every stream, merged by time, delivered as they are. */
    private record Initial(List<Pending> lines) {
    }

    private final KubernetesClient client;
    private final LogSource source;
    private final Sink sink;
    private final ExecutorService readers;
    private final Thread delivery;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile boolean closed;
    private long seq;

    private LogStream(KubernetesClient client, LogSource source, Sink sink, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("At least one line must be allowed on its way, not " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.client = client;
        this.source = source;
        this.sink = sink;
        String name = source.pods().get(0) + (source.pods().size() > 1 ? "+" + (source.pods().size() - 1) : "");
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "log-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.delivery = new Thread(this::deliverLoop, "log-delivery-" + name);
        delivery.setDaemon(true);
    }

    /** Starts reading at once, in the background; the first lines (or a status) come soon after. */
    public static LogStream open(KubernetesClient client, LogSource source, Sink sink) {
        return open(client, source, sink, MAX_IN_FLIGHT);
    }

    /** As above, with at most {@code maxInFlight} lines of live streams read ahead of the sink. */
    static LogStream open(KubernetesClient client, LogSource source, Sink sink, int maxInFlight) {
        LogStream stream = new LogStream(client, source, sink, maxInFlight);
        stream.delivery.start();
        stream.readers.execute(stream::begin);
        return stream;
    }

    /** Lines of live streams read and not handed to the sink yet: at most the bound given at open. */
    int linesOnTheirWay() {
        return maxInFlight - inFlight.availablePermits();
    }

    /** True while a reader waits for the delivery to make room (it read the bound ahead). */
    boolean readerWaiting() {
        return inFlight.hasQueuedThreads();
    }

    /** Lines lost (a sink that threw): must stay 0, and is counted rather than lost silently. */
    public long dropped() {
        return dropped.get();
    }

    /** Completes once every pod's stream has ended (or gone) and its lines were delivered, or on close. */
    public CompletionStage<Void> finished() {
        return finished;
    }

    @Override
    public void close() {
        closed = true;
        followers.forEach(Follower::stop);
        readers.shutdownNow();
        delivery.interrupt();
        finished.complete(null);
    }

    // ---- reading -----------------------------------------------------------------------------------

    private void begin() {
        try {
            List<Follower> streams = new ArrayList<>();
            for (String podName : source.pods()) {
                Pod pod = client.pods().inNamespace(source.namespace()).withName(podName).get();
                if (pod == null) {
                    status(podName, LogStreamStatus.GONE, "Pod " + podName + " does not exist (any more) in namespace "
                            + source.namespace() + ".");
                    continue;
                }
                List<String> names = pod.getSpec().getContainers().stream().map(Container::getName).toList();
                if (source.container().isPresent() && !names.contains(source.container().get())) {
                    status(podName, LogStreamStatus.ERROR, "Pod " + podName + " has no container " + source.container().get()
                            + "; its containers: " + String.join(", ", names) + ".");
                    status(podName, LogStreamStatus.ENDED, "Nothing to read.");
                    continue;
                }
                List<String> containers = source.container().map(List::of).orElse(names);
                for (String c : containers) {
                    streams.add(new Follower(pod, c, containers.size() > 1, streams.size()));
                }
            }
            followers.addAll(streams);
            running.set(streams.size());
            if (streams.isEmpty()) {
                queue.add(END);
                return;
            }
            List<CompletableFuture<List<Pending>>> reads = streams.stream()
                    .map(f -> CompletableFuture.supplyAsync(f::initialRead, readers)).toList();
            List<List<Pending>> initial = new ArrayList<>();
            for (CompletableFuture<List<Pending>> r : reads) {
                initial.add(r.join());
            }
            queue.add(new Initial(merge(initial)));
            boolean live = source.follow() && !source.previous();
            for (Follower f : streams) {
                if (live) {
                    readers.execute(f::follow);
                } else {
                    f.readDone();
                }
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.log(Level.WARNING, "Log stream of " + source.pods() + " failed to start", e);
                status(source.pods().get(0), LogStreamStatus.ERROR, "Cannot read the logs: " + apiMessage(e));
                status(source.pods().get(0), LogStreamStatus.ENDED, "Nothing more will come.");
                queue.add(END);
            }
        }
    }

    /** Merges each stream's lines by time, keeping each stream's own order. */
    static List<Pending> merge(List<List<Pending>> streams) {
        List<ArrayDeque<Pending>> heads = new ArrayList<>();
        int total = 0;
        for (List<Pending> s : streams) {
            if (!s.isEmpty()) {
                heads.add(new ArrayDeque<>(s));
                total += s.size();
            }
        }
        if (heads.size() == 1) {
            return new ArrayList<>(heads.get(0));
        }
        List<Pending> out = new ArrayList<>(total);
        while (!heads.isEmpty()) {
            int best = 0;
            for (int i = 1; i < heads.size(); i++) {
                if (heads.get(i).peekFirst().time().isBefore(heads.get(best).peekFirst().time())) {
                    best = i;
                }
            }
            out.add(heads.get(best).pollFirst());
            if (heads.get(best).isEmpty()) {
                heads.remove(best);
            }
        }
        return out;
    }

    private void status(String pod, String kind, String message) {
        if (!closed) {
            queue.add(new LogStreamStatus(pod, kind, message));
        }
    }

    private void streamEnded() {
        if (running.decrementAndGet() == 0) {
            queue.add(END);
        }
    }

    /** One container of one pod: its initial lines, then (when following) its live lines through cuts and restarts. */
    private final class Follower {
        final String pod;
        final String container;
        final String uid;
        final String label;
        final int index;
        final ResumePoint point = new ResumePoint();
        volatile Pod atStart;
        volatile LogBytes current;
        volatile PodTracker tracker;
        String followedId;
        int followedRestarts;
        boolean firstFollow = true;

        Follower(Pod pod, String container, boolean several, int index) {
            this.pod = pod.getMetadata().getName();
            this.container = container;
            this.uid = pod.getMetadata().getUid();
            this.label = several ? "container " + container + " of " + this.pod : "container " + container;
            this.index = index;
            this.atStart = pod;
        }

        List<Pending> initialRead() {
            ContainerStatus cs = statusOf(atStart);
            if (!source.previous() && cs != null) {
                followedId = idOfLastRun(cs);
                followedRestarts = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
            }
            try {
                String text = request(source.previous(), Optional.empty(), source.tailLines()).getLog();
                List<Pending> lines = new ArrayList<>();
                accept(LogLines.split(text == null ? "" : text), lines::add);
                return lines;
            } catch (KubernetesClientException e) {
                if (!source.follow() || source.previous()) {
                    status(pod, LogStreamStatus.ERROR, apiMessage(e));
                } else if (e.getCode() == 404) {
                    // Deleted between listing and reading: the follow will say it is gone.
                    LOG.log(Level.FINE, "Pod " + pod + " went away before its log was read", e);
                }
                return List.of();
            }
        }

        /** A one-off read is complete. */
        void readDone() {
            status(pod, LogStreamStatus.ENDED, (source.previous() ? "End of the previous run of " : "End of the log of ") + label + ".");
            streamEnded();
        }

        void follow() {
            PodTracker watch = new PodTracker(client, source.namespace(), pod);
            tracker = watch;
            try {
                if (closed) {
                    return;
                }
                if (!watch.start(WATCH_START)) {
                    status(pod, LogStreamStatus.ERROR, "Cannot watch pod " + pod + " to follow its log; showing what was read.");
                    status(pod, LogStreamStatus.ENDED, "Following stopped.");
                    return;
                }
                followLoop(watch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "Following the log of " + pod + "/" + container + " failed", e);
                    status(pod, LogStreamStatus.ERROR, "Following the log of " + label + " failed: " + apiMessage(e));
                    status(pod, LogStreamStatus.ENDED, "Following stopped.");
                }
            } finally {
                watch.close();
                streamEnded();
            }
        }

        private void followLoop(PodTracker watch) throws InterruptedException {
            boolean announced = false;
            boolean waitingSaid = false;
            String caughtUp = null;
            int quiet = 0;
            while (!closed) {
                long seen = watch.version();
                Pod now = watch.current();
                if (now == null || uid != null && !uid.equals(now.getMetadata().getUid())) {
                    status(pod, LogStreamStatus.GONE, "Pod " + pod + " was deleted" + (now == null ? "" : " (a new pod has its name)")
                            + "; its log ends here.");
                    return;
                }
                ContainerStatus cs = statusOf(now);
                var state = cs == null ? null : cs.getState();
                if (state != null && state.getRunning() != null && cs.getContainerID() != null) {
                    String id = cs.getContainerID();
                    int restarts = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
                    LogStreamStatus note = null;
                    if (followedId != null && !id.equals(followedId)) {
                        String gap = catchUpPrevious(restarts - followedRestarts);
                        point.newRun();
                        status(pod, LogStreamStatus.RESUMED, label + " restarted (restart " + restarts
                                + PodState.lastExit(cs).map(x -> ", last exit " + x).orElse("") + "); following its new run." + gap);
                    } else if (!announced) {
                        status(pod, LogStreamStatus.FOLLOWING, "Following " + label + " live.");
                    } else {
                        note = new LogStreamStatus(pod, LogStreamStatus.RESUMED, "The log stream of " + label
                                + " was cut (API server timeout or network); resumed after "
                                + point.last().map(CLOCK::format).orElse("the start") + " with no line lost or repeated.");
                    }
                    announced = true;
                    waitingSaid = false;
                    followedId = id;
                    followedRestarts = restarts;
                    int got = stream(note);
                    if (closed) {
                        return;
                    }
                    quiet = got == 0 ? quiet + 1 : 0;
                    if (quiet > 0) {
                        // Nothing new: most likely the run just ended and the pod's status has not said so
                        // yet. Wait for the pod to change rather than reopen in a tight loop.
                        long millis = Math.min(MAX_QUIET_WAIT.toMillis(), 100L << Math.min(quiet, 6));
                        watch.awaitChange(seen, Duration.ofMillis(millis));
                    }
                    continue;
                }
                if (followedId != null && !followedId.equals(caughtUp) && ranOut(cs, followedId)) {
                    // Lines the run wrote after a cut and before it ended are still in its log.
                    catchUp(false);
                    caughtUp = followedId;
                }
                if (state != null && state.getTerminated() != null && !willRestart(now, cs)) {
                    var t = state.getTerminated();
                    status(pod, LogStreamStatus.ENDED, label + " finished (" + (t.getReason() == null ? "exit" : t.getReason())
                            + ", exit code " + t.getExitCode() + "); nothing more will come.");
                    return;
                }
                if (!waitingSaid && cs != null && state != null && now.getMetadata().getDeletionTimestamp() == null) {
                    waitingSaid = true;
                    if (followedId == null) {
                        var w = state.getWaiting();
                        status(pod, LogStreamStatus.ERROR, label + " is waiting to start"
                                + (w == null || w.getReason() == null ? "" : ": " + w.getReason())
                                + (w == null || w.getMessage() == null ? "" : " (" + w.getMessage() + ")")
                                + "; its log follows once it runs.");
                    } else {
                        status(pod, LogStreamStatus.FOLLOWING, label + " exited"
                                + PodState.lastExit(cs).or(() -> Optional.ofNullable(state.getTerminated())
                                        .map(t -> t.getReason() + " (exit code " + t.getExitCode() + ")")).map(x -> " (" + x + ")").orElse("")
                                + "; waiting for it to restart.");
                    }
                }
                watch.awaitChange(seen, WAITING_RECHECK);
            }
        }

        /** Follows the current run from the resume point; returns how many new lines it brought. */
        private int stream(LogStreamStatus note) {
            point.reopen();
            OptionalInt tail = OptionalInt.empty();
            if (firstFollow && point.last().isEmpty() && source.tailLines().isPresent() && source.tailLines().getAsInt() == 0) {
                // --tail=0 -f: only what comes from now on.
                tail = OptionalInt.of(0);
            }
            firstFollow = false;
            int[] got = {0};
            LogStreamStatus[] pendingNote = {note};
            LogBytes watch;
            try {
                watch = LogBytes.follow(client, source.namespace(), pod, container, point.since(), tail);
            } catch (KubernetesClientException e) {
                // The container stopped between the check and the request: the loop looks again.
                LOG.log(Level.FINE, "Reopening the log of " + pod + "/" + container + " refused", e);
                return 0;
            }
            current = watch;
            if (closed) {
                watch.close();
                return 0;
            }
            // A chunk's lines go to the delivery thread together: one hand-over per chunk, not per line.
            List<Object> batch = new ArrayList<>();
            Runnable handOver = () -> {
                if (!batch.isEmpty()) {
                    // A chunk larger than the bound takes all of it: it waits until nothing else is on its way.
                    int permits = Math.min(batch.size(), maxInFlight);
                    sink.pace();
                    try {
                        inFlight.acquire(permits);
                    } catch (InterruptedException e) {
                        // Closed while waiting for the delivery: nothing of this chunk is wanted any more.
                        Thread.currentThread().interrupt();
                        batch.clear();
                        return;
                    }
                    queue.add(new Batch(new ArrayList<>(batch), permits));
                    batch.clear();
                }
            };
            try (InputStream in = watch.input()) {
                Instant[] fallback = {point.last().orElse(Instant.EPOCH)};
                LogLines.readCompleteLines(in, (bytes, from, length) -> {
                    LogLines.Timed line = LogLines.parse(bytes, from, length, fallback[0]);
                    fallback[0] = line.time();
                    if (point.accept(line.time(), line.text())) {
                        if (pendingNote[0] != null) {
                            batch.add(pendingNote[0]);
                            pendingNote[0] = null;
                        }
                        batch.add(new Pending(pod, container, line.time(), line.text(), index));
                        got[0]++;
                    }
                }, handOver);
            } catch (IOException | KubernetesClientException e) {
                // A broken stream is a cut like any other: the loop decides what comes next.
                LOG.log(Level.FINE, "Log stream of " + pod + "/" + container + " broke", e);
            } finally {
                handOver.run();
                watch.close();
                current = null;
            }
            return got[0];
        }

        /**
         * The container restarted since the last look: the run that was followed is now its previous
         * run, and what it wrote after the stream was cut is read from there. Returns a note when runs
         * were missed (the kubelet keeps only the previous one).
         */
        private String catchUpPrevious(int restartsSince) {
            if (restartsSince == 1) {
                catchUp(true);
                return "";
            }
            if (restartsSince > 1) {
                return " It restarted " + restartsSince + " times since the last line; the kubelet keeps only the previous run, "
                        + "so the lines of the runs in between cannot be shown.";
            }
            return "";
        }

        private void catchUp(boolean previous) {
            if (point.last().isEmpty() && !previous) {
                return;
            }
            point.reopen();
            try {
                String text = request(previous, point.since(), OptionalInt.empty()).getLog();
                List<Pending> lines = new ArrayList<>();
                accept(LogLines.split(text == null ? "" : text), lines::add);
                queue.addAll(lines);
            } catch (KubernetesClientException e) {
                LOG.log(Level.FINE, "The last lines of " + pod + "/" + container + " could not be read", e);
            }
        }

        private void accept(List<String> raw, java.util.function.Consumer<Pending> out) {
            Instant fallback = point.last().orElse(Instant.EPOCH);
            for (String r : raw) {
                LogLines.Timed line = LogLines.parse(r, fallback);
                fallback = line.time();
                if (point.accept(line.time(), line.text())) {
                    out.accept(new Pending(pod, container, line.time(), line.text(), index));
                }
            }
        }

        private Loggable request(boolean previous, Optional<Instant> since, OptionalInt tail) {
            BytesLimitTerminateTimeTailPrettyLoggable base = client.pods().inNamespace(source.namespace()).withName(pod)
                    .inContainer(container).usingTimestamps();
            TimeTailPrettyLoggable run = previous ? base.terminated() : base;
            TailPrettyLoggable from = since.isPresent() ? run.sinceTime(since.get().toString()) : run;
            return tail.isPresent() ? from.tailingLines(tail.getAsInt()) : from;
        }

        private ContainerStatus statusOf(Pod p) {
            if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
                return null;
            }
            return p.getStatus().getContainerStatuses().stream().filter(s -> container.equals(s.getName())).findFirst().orElse(null);
        }

        void stop() {
            LogBytes w = current;
            if (w != null) {
                w.close();
            }
            PodTracker t = tracker;
            if (t != null) {
                t.close();
            }
        }
    }

    /** The container id of the run whose log the API serves now: the running one, else the last that ended. */
    private static String idOfLastRun(ContainerStatus cs) {
        var s = cs.getState();
        if (s != null && s.getRunning() != null) {
            return cs.getContainerID();
        }
        if (s != null && s.getTerminated() != null && s.getTerminated().getContainerID() != null) {
            return s.getTerminated().getContainerID();
        }
        if (cs.getLastState() != null && cs.getLastState().getTerminated() != null) {
            return cs.getLastState().getTerminated().getContainerID();
        }
        return null;
    }

    /** Whether the run with this id has ended (it is the terminated state, or the last one before a back-off). */
    private static boolean ranOut(ContainerStatus cs, String id) {
        if (cs == null || cs.getState() == null) {
            return false;
        }
        var t = cs.getState().getTerminated();
        if (t != null && id.equals(t.getContainerID())) {
            return true;
        }
        return cs.getLastState() != null && cs.getLastState().getTerminated() != null
                && id.equals(cs.getLastState().getTerminated().getContainerID());
    }

    /** Whether the kubelet will start the container again, by the pod's restart policy. */
    private static boolean willRestart(Pod pod, ContainerStatus cs) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        var t = cs.getState().getTerminated();
        return switch (policy) {
            case "Never" -> false;
            case "OnFailure" -> t == null || t.getExitCode() == null || t.getExitCode() != 0;
            default -> true;
        };
    }

    static String apiMessage(Throwable e) {
        if (e instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    // ---- delivery ----------------------------------------------------------------------------------

    private void deliverLoop() {
        try {
            boolean end = false;
            while (!end && !closed) {
                Object first = queue.take();
                List<Object> chunk = new ArrayList<>();
                int permits = 0;
                if (first == END) {
                    end = true;
                } else if (first instanceof Batch b) {
                    chunk.addAll(b.items());
                    permits += b.permits();
                } else {
                    chunk.add(first);
                }
                long deadline = System.nanoTime() + WINDOW.toNanos();
                while (!end && chunk.size() < MAX_BATCH && !(first instanceof Initial)) {
                    long left = deadline - System.nanoTime();
                    Object next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (next == END) {
                        end = true;
                    } else if (next instanceof Batch b) {
                        chunk.addAll(b.items());
                        permits += b.permits();
                    } else {
                        chunk.add(next);
                    }
                }
                try {
                    deliver(chunk);
                } finally {
                    inFlight.release(permits);
                }
            }
        } catch (InterruptedException e) {
            // Closed.
        } finally {
            finished.complete(null);
        }
    }

    private void deliver(List<Object> chunk) {
        Map<Integer, List<Pending>> live = new LinkedHashMap<>();
        for (Object item : chunk) {
            if (closed) {
                return;
            }
            if (item instanceof Pending p) {
                live.computeIfAbsent(p.stream(), k -> new ArrayList<>()).add(p);
                continue;
            }
            emit(merge(new ArrayList<>(live.values())));
            live.clear();
            if (item instanceof Initial initial) {
                emit(initial.lines());
            } else if (item instanceof LogStreamStatus status) {
                try {
                    sink.status(status);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "The log sink failed on a status", e);
                }
            }
        }
        emit(merge(new ArrayList<>(live.values())));
    }

    private void emit(List<Pending> lines) {
        for (int from = 0; from < lines.size() && !closed; from += MAX_BATCH) {
            List<Pending> slice = lines.subList(from, Math.min(lines.size(), from + MAX_BATCH));
            List<fleet.console.cluster.logs.LogLine> batch = new ArrayList<>(slice.size());
            for (Pending p : slice) {
                batch.add(new fleet.console.cluster.logs.LogLine(p.pod(), p.container(), p.time(), p.text(), seq++));
            }
            try {
                sink.lines(batch);
            } catch (RuntimeException e) {
                dropped.addAndGet(batch.size());
                LOG.log(Level.WARNING, "The log sink failed; " + batch.size() + " lines lost (counted)", e);
            }
        }
    }
}
