package fleet.console.bench;

import fleet.console.ui.common.FrameBatcher;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.logs.ClusterLogOrigin;
import fleet.console.ui.logs.LogBuffer;
import fleet.console.ui.logs.LogEntry;
import fleet.console.ui.logs.LogOptions;
import fleet.console.ui.logs.LogStreamControl;
import fleet.console.ui.logs.LogView;
import fleet.console.ui.logs.LogViewModel;
import fleet.console.ui.shell.ConsoleWindow;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The log view under a flood: 1,000,000 lines followed from one pod through the path a real follow
 * takes (HTTP, the gateway's parser and resume point, the view's feed and level detection, one hand-over
 * per frame, the bounded buffer, the virtualised list on screen). Prints ingest rate, the longest FX
 * stall while it ran, the heap the view retains with its default bound, and a search over the full
 * buffer. Run by {@code scripts/bench logs}.
 */
public final class LogViewBenchmark {

    private static final int LINES = 1_000_000;

    private LogViewBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : LINES;
        HeadlessFx.start();
        ScheduledExecutorService background = Executors.newScheduledThreadPool(2);
        FloodApiServer server = new FloodApiServer(lines);
        server.prepare();
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withNamespace(FloodApiServer.NAMESPACE)
                .withHttp2Disable(true).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        FxStallMeter meter = new FxStallMeter();
        CountDownLatch allIn = new CountDownLatch(1);
        long[] doneAt = {0};

        LogStreamControl control = HeadlessFx.call(() -> {
            LogViewModel model = new LogViewModel(background, new FxBatcher(), FrameBatcher.fxFrames(), LogBuffer.DEFAULT_CAPACITY);
            LogStreamControl c = new LogStreamControl(model,
                    ClusterLogOrigin.ofPod(client, "bench", FloodApiServer.NAMESPACE, FloodApiServer.POD, List.of(FloodApiServer.CONTAINER)),
                    new LogOptions(Optional.of(FloodApiServer.CONTAINER), false, true, OptionalInt.of(0)), background);
            Stage stage = new Stage();
            Scene scene = new Scene(LogView.create(c), 1200, 760);
            scene.getStylesheets().setAll(
                    Objects.requireNonNull(ConsoleWindow.class.getResource(ConsoleWindow.THEME_CSS)).toExternalForm(),
                    Objects.requireNonNull(ConsoleWindow.class.getResource(ConsoleWindow.CONSOLE_CSS)).toExternalForm());
            stage.setScene(scene);
            stage.show();
            model.receivedProperty().addListener((o, old, now) -> {
                if (now.longValue() >= lines && doneAt[0] == 0) {
                    doneAt[0] = System.nanoTime();
                    allIn.countDown();
                }
            });
            meter.start();
            return c;
        });
        LogViewModel model = control.view();
        double baseline = Figures.heapAfterGcMb();

        Figures.say("Following " + lines + " lines from " + server.url() + "…");
        long[] startedAt = {0};
        double[] fxCpuAtStart = {0};
        double processCpuAtStart = Figures.processCpuMs();
        java.util.Map<String, Double> threadsAtStart = Figures.threadsCpuMs("");
        java.util.Map<String, Double> allocatedAtStart = Figures.threadsAllocatedMb();
        HeadlessFx.run(() -> {
            meter.reset();
            fxCpuAtStart[0] = Figures.threadCpuMs();
            startedAt[0] = System.nanoTime();
            control.open();
        });
        // The first lines make the view's first cells: the text layout and CSS code runs for the first time
        // in this JVM (in the console, its other areas ran it long before a log is opened). That first frame
        // is its own figure; the stall figure is the flood's, from the frame after it.
        CountDownLatch firstShown = new CountDownLatch(1);
        HeadlessFx.run(() -> model.rows().addListener((javafx.collections.ListChangeListener<LogEntry>) c -> {
            if (firstShown.getCount() > 0) {
                new javafx.animation.AnimationTimer() {
                    private int frames;

                    @Override
                    public void handle(long now) {
                        if (++frames == 2) {
                            stop();
                            firstShown.countDown();
                        }
                    }
                }.start();
            }
        }));
        firstShown.await(2, TimeUnit.MINUTES);
        double firstLinesStall = HeadlessFx.call(() -> {
            double cold = meter.longestGapMs();
            meter.reset();
            return cold;
        });
        // Where the FX thread was during each stall over the target, on stderr.
        StallWitness witness = StallWitness.start(meter, 50);
        GcPauses gc = GcPauses.record();
        if (!allIn.await(5, TimeUnit.MINUTES)) {
            Figures.say("Only " + HeadlessFx.call(() -> model.receivedProperty().get()) + " lines arrived in 5 minutes.");
        }
        // A few frames more, so the last lines' layout and rendering count in the stall figure too.
        CountDownLatch settled = new CountDownLatch(10);
        HeadlessFx.run(() -> new javafx.animation.AnimationTimer() {
            @Override
            public void handle(long now) {
                settled.countDown();
                if (settled.getCount() == 0) {
                    stop();
                }
            }
        }.start());
        double processCpuMs = Figures.processCpuMs() - processCpuAtStart;
        java.util.Map<String, Double> threadsAtEnd = Figures.threadsCpuMs("");
        java.util.Map<String, Double> allocatedAtEnd = Figures.threadsAllocatedMb();
        settled.await(10, TimeUnit.SECONDS);
        witness.close();
        gc.close();
        double fxCpuMs = HeadlessFx.call(Figures::threadCpuMs) - fxCpuAtStart[0];
        // The stream's own threads (reading and parsing, level detection and hand-over) started with the
        // follow, so their whole CPU time is the ingest's.
        java.util.Map<String, Double> streamCpu = Figures.threadsCpuMs("log-");
        double stall = HeadlessFx.call(meter::longestGapMs);
        double busy = HeadlessFx.call(meter::longestBusyMs);
        long gapsOver33 = HeadlessFx.call(() -> meter.gapsOverMs(33));
        double gap95 = HeadlessFx.call(() -> meter.gapPercentileMs(0.95));
        long frames = HeadlessFx.call(meter::frames);
        double seconds = (doneAt[0] - startedAt[0]) / 1e9;
        long received = HeadlessFx.call(() -> model.receivedProperty().get());
        long held = HeadlessFx.call(() -> (long) model.heldProperty().get());
        long evicted = HeadlessFx.call(() -> model.evictedProperty().get());
        long dropped = HeadlessFx.call(() -> model.droppedProperty().get());
        double serverSeconds = server.writtenAt() == 0 ? Double.NaN : (server.writtenAt() - startedAt[0]) / 1e9;

        List<Double> searches = new ArrayList<>();
        long[] matches = {0};
        for (int i = 0; i < 6; i++) {
            String word = i % 2 == 0 ? "ModuleNotFoundError" : "trace=7f3a9c42";
            searches.add(HeadlessFx.call(() -> {
                long t = System.nanoTime();
                model.searchTextProperty().set(word);
                double ms = (System.nanoTime() - t) / 1e6;
                if (word.startsWith("Module")) {
                    matches[0] = Long.parseLong(model.matchTextProperty().get().split(" ")[0]);
                }
                return ms;
            }));
        }
        searches.sort(null);

        control.close();
        server.close();
        client.close();
        HeadlessFx.run(meter::stop);
        double retained = Figures.heapAfterGcMb() - baseline;
        Figures.note("logs.lines_received", received, "lines");
        Figures.note("logs.lines_held", held, "lines");
        Figures.note("logs.lines_evicted", evicted, "lines");
        Figures.note("logs.lines_dropped", dropped, "lines");
        Figures.note("logs.source_written_in", Math.round(serverSeconds * 1000), "ms");
        Figures.note("logs.frames_during_ingest", frames, "frames");
        // Frames that went first (the whole run), and how often a reader or the delivery waited for one to end.
        long[] priority = fleet.console.ui.common.FramePriority.counts();
        Figures.note("logs.frames_put_first", priority[0], "frames");
        Figures.note("logs.waits_for_a_frame", priority[1], "waits");
        Figures.note("logs.search_matches", matches[0], "matches");
        // The FX thread's own work during the flood: next to the wall time, tells a busy FX thread from one
        // that waited for a CPU on a loaded machine.
        Figures.note("logs.fx_thread_cpu_during_ingest", Math.round(fxCpuMs), "ms");
        Figures.note("logs.ingest_wall_time", Math.round(seconds * 1000), "ms");
        // All the process's threads (the source's, the HTTP client's, the collector's and compiler's too):
        // next to twice the wall time on two cores, how much of the machine the ingest had.
        Figures.note("logs.process_cpu_during_ingest", Math.round(processCpuMs), "ms");
        // Where it went, by kind of thread (numbers folded); what no Java thread used is the JVM's own
        // (collector, compiler).
        java.util.Map<String, Double> byKind = new java.util.TreeMap<>();
        threadsAtEnd.forEach((name, ms) -> byKind.merge(name.replaceAll("[0-9]+", "N"), ms - threadsAtStart.getOrDefault(name, 0.0), Double::sum));
        double javaThreads = byKind.values().stream().mapToDouble(Double::doubleValue).sum();
        byKind.entrySet().stream().filter(e -> e.getValue() >= 100).sorted(java.util.Map.Entry.comparingByValue(java.util.Comparator.reverseOrder()))
                .forEach(e -> Figures.note("logs.cpu_during_ingest." + e.getKey().replaceAll("[^A-Za-z0-9]+", "_"), Math.round(e.getValue()), "ms"));
        // What each kind of thread allocated: the collector's work (its pauses stop the FX thread too).
        java.util.Map<String, Double> allocatedByKind = new java.util.TreeMap<>();
        allocatedAtEnd.forEach((name, mb) -> allocatedByKind.merge(name.replaceAll("[0-9]+", "N"), mb - allocatedAtStart.getOrDefault(name, 0.0), Double::sum));
        allocatedByKind.entrySet().stream().filter(e -> e.getValue() >= 10).sorted(java.util.Map.Entry.comparingByValue(java.util.Comparator.reverseOrder()))
                .forEach(e -> Figures.note("logs.allocated_during_ingest." + e.getKey().replaceAll("[^A-Za-z0-9]+", "_"), Math.round(e.getValue()), "MB"));
        Figures.note("logs.cpu_during_ingest.jvm_own_collector_and_compiler", Math.round(processCpuMs - javaThreads), "ms");
        streamCpu.forEach((thread, ms) -> Figures.note("logs.cpu_per_million_lines." + thread.replaceAll("[^A-Za-z0-9]+", "_"),
                Math.round(ms * 1_000_000 / Math.max(1, received)), "ms"));
        Figures.print("logs.ingest_rate", Math.round(received / seconds), "lines/s", ">=", 200_000);
        Figures.note("logs.fx_first_lines_frame_cold", Math.round(firstLinesStall), "ms");
        Figures.print("logs.fx_longest_stall", Math.round(stall), "ms", "<", 50);
        // The collector's pauses stop the FX thread too: how much of the stall they can explain.
        gc.note("logs.during_ingest");
        Figures.note("logs.fx_most_cpu_between_two_frames", Math.round(busy), "ms");
        // The long gaps beside the longest: how many frames came late, and how late the latest but a few were.
        Figures.note("logs.fx_gaps_over_33ms", gapsOver33, "frames");
        Figures.note("logs.fx_gap_95th_percentile", Math.round(gap95), "ms");
        Figures.print("logs.heap_retained", Math.round(retained), "MB", "<", 150);
        Figures.print("logs.search_full_buffer", Math.round(searches.get(searches.size() / 2) * 10) / 10.0, "ms", "<", 100);
        // The model holds the lines: it must stay reachable until the heap was measured.
        java.lang.ref.Reference.reachabilityFence(model);
        background.shutdownNow();
        Platform.exit();
        System.exit(0);
    }
}
