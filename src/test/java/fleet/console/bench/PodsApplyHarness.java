package fleet.console.bench;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.pods.PodDetail;
import fleet.console.cluster.pods.PodRow;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.ui.common.FrameBatcher;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.common.Fxml;
import fleet.console.ui.logs.LogBuffer;
import fleet.console.ui.logs.LogOrigin;
import fleet.console.ui.pods.KubectlCommand;
import fleet.console.ui.pods.PodsGateway;
import fleet.console.ui.pods.PodsView;
import fleet.console.ui.pods.PodsViewModel;
import fleet.console.ui.shell.ConsoleWindow;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pods table's FX-side work without a cluster: the Pods area (view-model and, unless {@code nowindow},
 * its view in a headless window) fed synthetic rows through the same seam the watch uses, one row per
 * change as an informer delivers them. Prints the time to a rendered table of N pods, then, under
 * {@code rate} updates a second for {@code seconds}, the FX thread's CPU per update, the longest stall and
 * how far behind the table fell. A quick way to iterate on what {@code scripts/bench pods} measures.
 * <p>
 * Arguments: pods (10000), rate (500), seconds (10), "nowindow", "select" (a pod is selected),
 * "problemsfirst", "snapshot=FILE.png" (a picture of the window once the updates are in: what was drawn).
 */
public final class PodsApplyHarness {

    private PodsApplyHarness() {
    }

    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        boolean window = !List.of(args).contains("nowindow");
        boolean select = List.of(args).contains("select");
        boolean problemsFirst = List.of(args).contains("problemsfirst");
        HeadlessFx.start();
        ScheduledExecutorService background = Executors.newScheduledThreadPool(2);
        Gateway gateway = new Gateway();
        FxStallMeter meter = new FxStallMeter();
        AtomicLong replaced = new AtomicLong();
        Scene[] shown = {null};
        PodsViewModel model = HeadlessFx.call(() -> {
            PodsViewModel m = new PodsViewModel(gateway, background, new FxBatcher(), Clock.systemUTC(),
                    FrameBatcher.fxFrames(), LogBuffer.DEFAULT_CAPACITY);
            Parent view = window ? Fxml.load("/fxml/pods/pods.fxml", new PodsView(m)) : new javafx.scene.layout.Pane();
            Stage stage = new Stage();
            Scene scene = new Scene(view, 1280, 800);
            scene.getStylesheets().setAll(
                    Objects.requireNonNull(ConsoleWindow.class.getResource(ConsoleWindow.THEME_CSS)).toExternalForm(),
                    Objects.requireNonNull(ConsoleWindow.class.getResource(ConsoleWindow.CONSOLE_CSS)).toExternalForm());
            stage.setScene(scene);
            stage.show();
            shown[0] = scene;
            m.problemsFirstProperty().set(problemsFirst);
            m.activate();
            m.rows().addListener((ListChangeListener<PodRow>) c -> {
                while (c.next()) {
                    if (c.wasReplaced()) {
                        replaced.addAndGet(c.getAddedSize());
                    }
                }
            });
            meter.start();
            new AnimationTimer() {
                private long last;

                @Override
                public void handle(long now) {
                    long t = System.nanoTime();
                    if (last != 0 && t - last > 100_000_000L) {
                        System.out.println("harness.gap " + (t - last) / 1_000_000 + " ms ending " + java.time.LocalTime.now());
                    }
                    last = t;
                }
            }.start();
            return m;
        });
        CountDownLatch rendered = new CountDownLatch(1);
        long[] renderedAt = {0};
        HeadlessFx.run(() -> {
            Scene scene = shown[0];
            TableView<?> table = window ? (TableView<?>) scene.lookup("#podTable") : null;
            boolean[] laidOut = {false};
            scene.addPostLayoutPulseListener(() -> {
                // Asked only until the table is first laid out: a lookup over the scene on every pulse is work
                // the console does not do.
                if (!laidOut[0] && (window ? table.getItems().size() >= pods && !table.lookupAll(".table-row-cell").isEmpty()
                        : model.shownRows().size() >= pods)) {
                    laidOut[0] = true;
                    new AnimationTimer() {
                        @Override
                        public void handle(long now) {
                            if (renderedAt[0] == 0) {
                                renderedAt[0] = System.nanoTime();
                                rendered.countDown();
                            }
                            stop();
                        }
                    }.start();
                }
            });
            model.show(new ClusterSession(null, "sandbox", "bench", "https://127.0.0.1:1", "v1.31.2", true));
        });
        while (gateway.listener == null) {
            Thread.onSpinWait();
        }
        List<PodRow> all = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            all.add(row(i, 0));
        }
        long t0 = System.nanoTime();
        gateway.listener.changed(List.copyOf(all), List.of());
        if (!rendered.await(120, TimeUnit.SECONDS)) {
            System.out.println("not rendered within 120 s");
        }
        System.out.printf("harness.render_%d %d ms%n", pods, Math.round((renderedAt[0] - t0) / 1e6));
        if (select) {
            HeadlessFx.run(() -> model.select(model.shownRows().get(pods / 2)));
        }
        HeadlessFx.run(() -> { });

        HeadlessFx.run(meter::reset);
        System.out.println("harness.updates_start_clock " + java.time.LocalTime.now());
        double cpuBefore = HeadlessFx.call(Figures::threadCpuMs);
        double renderBefore = Figures.rendererCpuMs();
        long before = replaced.get();
        long start = System.nanoTime();
        int total = rate * seconds;
        int perTick = Math.max(1, rate / 100);
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(10);
        int sent = 0;
        for (long tick = 0; sent < total; tick++) {
            long due = start + tick * tickNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            for (int k = 0; k < perTick && sent < total; k++, sent++) {
                int n = sent % pods;
                int round = sent / pods + 1;
                gateway.listener.changed(List.of(row(n, round)), List.of());
            }
        }
        long sentAt = System.nanoTime();
        while (replaced.get() - before < total && System.nanoTime() - sentAt < TimeUnit.SECONDS.toNanos(120)) {
            Thread.sleep(5);
        }
        HeadlessFx.run(() -> { });
        long doneAt = System.nanoTime();
        double cpu = HeadlessFx.call(Figures::threadCpuMs) - cpuBefore;
        double render = Figures.rendererCpuMs() - renderBefore;
        double stall = HeadlessFx.call(meter::longestGapMs);
        long applied = replaced.get() - before;
        System.out.printf("harness.updates_sent %d in %d ms%n", total, (sentAt - start) / 1_000_000);
        System.out.printf("harness.updates_applied %d%n", applied);
        System.out.printf("harness.lag_after_last_update %d ms%n", (doneAt - sentAt) / 1_000_000);
        System.out.printf("harness.fx_cpu_total %d ms%n", Math.round(cpu));
        System.out.printf("harness.fx_cpu_per_update %.3f ms%n", cpu / Math.max(1, applied));
        System.out.printf("harness.renderer_cpu_total %d ms%n", Math.round(render));
        System.out.printf("harness.fx_longest_stall %d ms%n", Math.round(stall));
        System.out.printf("harness.fx_most_cpu_between_two_frames %d ms%n", Math.round(HeadlessFx.call(meter::longestBusyMs)));
        System.out.printf("harness.selected %s%n", HeadlessFx.call(() -> model.getSelected() == null ? "-" : model.getSelected().name()
                + " restarts " + model.getSelected().restarts()));
        for (String a : args) {
            if (a.startsWith("snapshot=") && window) {
                Path file = Path.of(a.substring("snapshot=".length()));
                javafx.scene.image.WritableImage image = HeadlessFx.call(() -> shown[0].snapshot(null));
                java.awt.image.BufferedImage picture = new java.awt.image.BufferedImage((int) image.getWidth(),
                        (int) image.getHeight(), java.awt.image.BufferedImage.TYPE_INT_ARGB);
                for (int y = 0; y < picture.getHeight(); y++) {
                    for (int x = 0; x < picture.getWidth(); x++) {
                        picture.setRGB(x, y, image.getPixelReader().getArgb(x, y));
                    }
                }
                javax.imageio.ImageIO.write(picture, "png", file.toFile());
                System.out.println("harness.snapshot " + file);
            }
        }
        HeadlessFx.run(model::dispose);
        background.shutdownNow();
        Platform.exit();
        System.exit(0);
    }

    /** Pod n in its round'th update: crash-looping on odd rounds, running on even ones, as the benchmark does. */
    static PodRow row(int n, int round) {
        String name = String.format("bench-worker-%05d", n);
        boolean crashing = round % 2 == 1;
        return new PodRow("bench", name, "uid-" + n, new WorkloadRef("Pod", name), crashing ? 0 : 1, 1,
                crashing ? "CrashLoopBackOff" : "Running", crashing, crashing ? "back-off 10s restarting failed container" : "",
                round, round > 0 ? Optional.of(Instant.now()) : Optional.empty(), Instant.parse("2026-01-01T00:00:00Z"),
                "bench-node", List.of("registry.local/bench/worker:1.0"), Integer.toString(round + 1));
    }

    private static final class Gateway implements PodsGateway {
        volatile RowListener listener;

        @Override
        public AutoCloseable watch(ClusterSession session, RowListener l) {
            listener = l;
            return () -> { };
        }

        @Override
        public Optional<PodDetail> inspect(ClusterSession session, String pod) {
            return Optional.empty();
        }

        @Override
        public void delete(ClusterSession session, String pod) {
        }

        @Override
        public AuditContents audit() {
            return new AuditContents(Path.of("audit.jsonl"), List.<AuditEntry>of(), 0);
        }

        @Override
        public LogOrigin podLogs(ClusterSession session, PodRow pod, List<String> containers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public LogOrigin workloadLogs(ClusterSession session, WorkloadRef workload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<KubectlCommand> kubectl(ClusterSession session, PodRow pod, Optional<PodDetail> detail) {
            return List.of();
        }
    }
}
