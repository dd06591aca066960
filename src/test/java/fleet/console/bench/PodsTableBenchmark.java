package fleet.console.bench;

import fleet.console.audit.AuditJournal;
import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.KubeconfigFile;
import fleet.console.cluster.pods.PodRow;
import fleet.console.sandbox.process.ScratchDir;
import fleet.console.ui.common.FrameBatcher;
import fleet.console.ui.common.Fxml;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.logs.LogBuffer;
import fleet.console.ui.pods.ClusterPodsGateway;
import fleet.console.ui.pods.PodsView;
import fleet.console.ui.pods.PodsViewModel;
import fleet.console.ui.shell.ConsoleWindow;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pods table with 10,000 pods: time from connecting to a fully rendered table, then 500 pod status
 * updates a second for 30 s (the longest FX-thread stall meanwhile), then the console's heap after a full
 * collection. The pods live in a sandbox in a process of its own, on a node its kubelet does not manage
 * (so no simulated container runs and the scheduler leaves them alone), made Running through the status
 * subresource as a kubelet would; the updates come from a third process ({@link PodUpdatesProcess}), as a
 * cluster's kubelets send them from machines of their own. Both run at the lowest priority
 * ({@link SandboxProcess#CLUSTER_NICENESS}), so that on the benchmark's cores, too, the cluster does not take
 * the CPU the console's threads ask for. Run by {@code scripts/bench pods}.
 */
public final class PodsTableBenchmark {

    private static final String NAMESPACE = "bench";
    private static final String NODE = "bench-node";

    private PodsTableBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Exception | Error e) {
            System.err.println("The pods benchmark failed: " + e);
            e.printStackTrace();
            System.out.println("# pods benchmark failed: " + e);
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Path dir = ScratchDir.create("pods-bench").path();
        Figures.say("Starting the sandbox in its own process…");
        try (SandboxProcess sandbox = SandboxProcess.start(dir)) {
            KubeconfigFile kubeconfig = KubeconfigFile.read(sandbox.kubeconfig());
            ClusterSession setup = ClusterConnector.withDefaultTimeout().connect(kubeconfig, "sandbox", "swe-ai-fleet", "swe-ai-fleet");
            KubernetesClient api = setup.client();
            api.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
            long createdIn = createPods(api, pods);
            Figures.note("pods.setup_created", pods, "pods");
            // The cluster's processes (sandbox, kubelets) stand for machines of their own: they yield the cores to the console.
            Figures.note("pods.setup_cluster_processes_niceness", SandboxProcess.clusterNiceness(), "");
            Figures.note("pods.setup_create_time", createdIn, "ms");
            // The figures are the console's: the sandbox first works off starting the 10,000 pods.
            Figures.note("pods.setup_sandbox_quiet_after", sandbox.awaitQuiet(0.3, java.time.Duration.ofSeconds(90)), "ms");

            HeadlessFx.start();
            ScheduledExecutorService background = Executors.newScheduledThreadPool(4);
            FxStallMeter meter = new FxStallMeter();
            AtomicLong replaced = new AtomicLong();
            AtomicLong firstRowsAt = new AtomicLong();
            AtomicLong allRowsAt = new AtomicLong();
            Scene[] shown = {null};
            PodsViewModel model = HeadlessFx.call(() -> {
                PodsViewModel m = new PodsViewModel(new ClusterPodsGateway(new AuditJournal(dir.resolve("audit.jsonl"))),
                        background, new FxBatcher(), Clock.systemUTC(), FrameBatcher.fxFrames(), LogBuffer.DEFAULT_CAPACITY);
                Parent view = Fxml.load("/fxml/pods/pods.fxml", new PodsView(m));
                Stage stage = new Stage();
                Scene scene = new Scene(view, 1280, 800);
                scene.getStylesheets().setAll(
                        Objects.requireNonNull(ConsoleWindow.class.getResource(ConsoleWindow.THEME_CSS)).toExternalForm(),
                        Objects.requireNonNull(ConsoleWindow.class.getResource(ConsoleWindow.CONSOLE_CSS)).toExternalForm());
                stage.setScene(scene);
                stage.show();
                shown[0] = scene;
                m.activate();
                m.rows().addListener((ListChangeListener<PodRow>) c -> {
                    long now = System.nanoTime();
                    firstRowsAt.compareAndSet(0, now);
                    if (c.getList().size() >= pods) {
                        allRowsAt.compareAndSet(0, now);
                    }
                    while (c.next()) {
                        if (c.wasReplaced()) {
                            replaced.addAndGet(c.getAddedSize());
                            synchronized (replaced) {
                                replaced.notifyAll();
                            }
                        }
                    }
                });
                meter.start();
                return m;
            });
            // The console's window warms the areas it has not shown yet while it is idle (ViewWarmup); an
            // operator opens the Pods area on a warmed window, so the benchmark does too.
            long warmStart = System.nanoTime();
            fleet.console.ui.common.ViewWarmup warmup = HeadlessFx.call(() -> fleet.console.ui.common.ViewWarmup.start(
                    List.of("/fxml/pods/pods.fxml"), shown[0].getStylesheets(), 1280, 800, () -> shown[0].getRoot().isNeedsLayout()));
            CountDownLatch warmed = new CountDownLatch(1);
            HeadlessFx.run(() -> new AnimationTimer() {
                @Override
                public void handle(long now) {
                    if (warmup.isDone()) {
                        warmed.countDown();
                        stop();
                    }
                }
            }.start());
            if (!warmed.await(60, TimeUnit.SECONDS)) {
                Figures.say("The view warm-up did not finish within 60 s; measuring anyway.");
            }
            Figures.note("pods.view_warmup_before_connect", Math.round((System.nanoTime() - warmStart) / 1e6), "ms");
            double baseline = Figures.heapAfterGcMb();
            Figures.note("pods.heap_before_connect", Math.round(baseline), "MB");

            // Connect, then wait for the pulse after the one that laid out 10,000 rows (that pulse rendered them).
            CountDownLatch rendered = new CountDownLatch(1);
            long[] renderedAt = {0};
            TableView<?> table = HeadlessFx.call(() -> (TableView<?>) shown[0].lookup("#podTable"));
            HeadlessFx.run(() -> {
                Scene scene = shown[0];
                boolean[] laidOut = {false};
                scene.addPostLayoutPulseListener(() -> {
                    if (!laidOut[0] && table.getItems().size() >= pods && !table.lookupAll(".table-row-cell").isEmpty()) {
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
                meter.reset();
            });
            long t0 = System.nanoTime();
            ClusterSession session = ClusterConnector.withDefaultTimeout().connect(KubeconfigFile.read(sandbox.kubeconfig()),
                    "sandbox", NAMESPACE, NAMESPACE);
            long connectedAt = System.nanoTime();
            HeadlessFx.run(() -> model.show(session));
            if (!rendered.await(120, TimeUnit.SECONDS)) {
                Figures.say("The table did not show " + pods + " pods within 120 s (it has "
                        + HeadlessFx.call(() -> model.rows().size()) + ").");
            }
            double renderMs = (renderedAt[0] - t0) / 1e6;
            // Where the time to a drawn table goes: connected, the first rows in the table's list, all of them, drawn.
            Figures.note("pods.render_connected", Math.round((connectedAt - t0) / 1e6), "ms");
            Figures.note("pods.render_first_rows_in_list", Math.round((firstRowsAt.get() - t0) / 1e6), "ms");
            Figures.note("pods.render_all_rows_in_list", Math.round((allRowsAt.get() - t0) / 1e6), "ms");
            double loadStall = HeadlessFx.call(meter::longestGapMs);

            PodUpdatesProcess kubelets = PodUpdatesProcess.start(sandbox.kubeconfig(), NAMESPACE, NODE, pods, rate, seconds);
            Figures.say("Updating " + rate + " pods a second for " + seconds + " s…");
            HeadlessFx.run(meter::reset);
            // Where the FX thread was during each stall over the target, on stderr.
            StallWitness witness = StallWitness.start(meter, 50);
            GcPauses gc = GcPauses.record();
            double fxCpuBefore = HeadlessFx.call(Figures::threadCpuMs);
            double renderCpuBefore = Figures.rendererCpuMs();
            long updatesStarted = System.nanoTime();
            // The witness's reports on stderr say when each stall ended in the JVM's uptime.
            Figures.note("pods.updates_began_at_jvm_uptime", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(), "ms");
            long replacedBefore = replaced.get();
            PodUpdatesProcess.Updates updates = kubelets.go();
            // The last updates reach the table through the watch a moment later; they count too.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            synchronized (replaced) {
                long left;
                while (replaced.get() - replacedBefore < updates.done()
                        && (left = deadline - System.nanoTime()) > 0) {
                    replaced.wait(Math.max(1, left / 1_000_000));
                }
            }
            HeadlessFx.run(() -> { });
            witness.close();
            gc.close();
            double updateStall = HeadlessFx.call(meter::longestGapMs);
            double updateBusy = HeadlessFx.call(meter::longestBusyMs);
            long lateUnderUpdates = HeadlessFx.call(() -> meter.gapsOverMs(33));
            double gap95UnderUpdates = HeadlessFx.call(() -> meter.gapPercentileMs(0.95));
            double fxCpuUpdating = HeadlessFx.call(Figures::threadCpuMs) - fxCpuBefore;
            double renderCpuUpdating = Figures.rendererCpuMs() - renderCpuBefore;
            long updatingMs = (System.nanoTime() - updatesStarted) / 1_000_000;
            long seen = replaced.get() - replacedBefore;
            HeadlessFx.run(meter::stop);
            double heap = Figures.heapAfterGcMb();

            Figures.note("pods.rows", HeadlessFx.call(() -> model.rows().size()), "rows");
            Figures.note("pods.fx_longest_stall_while_loading", Math.round(loadStall), "ms");
            Figures.note("pods.updates_sent", updates.done(), "updates");
            Figures.note("pods.updates_failed", updates.failed(), "updates");
            Figures.note("pods.updates_sent_again_after_a_conflict", updates.conflicts(), "updates");
            Figures.note("pods.update_rows_changed_in_table", seen, "rows");
            // The FX thread's own work while updating, next to the wall time: busy or waiting for a CPU.
            Figures.note("pods.fx_thread_cpu_while_updating", Math.round(fxCpuUpdating), "ms");
            Figures.note("pods.updating_wall_time", updatingMs, "ms");
            // The renderer's: a pulse waits for it to finish the frame before (software rendering here).
            Figures.note("pods.renderer_cpu_while_updating", Math.round(renderCpuUpdating), "ms");
            Figures.print("pods.render_" + (pods / 1000) + "k", Math.round(renderMs), "ms", "<", 1500);
            Figures.print("pods.update_rate", Math.round(updates.done() / (double) seconds), "updates/s", ">=", rate);
            Figures.print("pods.fx_longest_stall_under_updates", Math.round(updateStall), "ms", "<", 50);
            Figures.note("pods.fx_most_cpu_between_two_frames_under_updates", Math.round(updateBusy), "ms");
            // The long gaps beside the longest: how many frames came late, and how late the latest but a few were.
            Figures.note("pods.fx_gaps_over_33ms_under_updates", lateUnderUpdates, "frames");
            Figures.note("pods.fx_gap_95th_percentile_under_updates", Math.round(gap95UnderUpdates), "ms");
            // The collector's pauses stop the FX thread too: how much of the stall they can explain.
            gc.note("pods.under_updates");
            Figures.print("pods.heap_after_gc", Math.round(heap), "MB", "<", 300);

            // What the render figure's first part is made of: the same list by a bare client, warm, after all
            // the rest (so that it warms nothing the console's own first list met cold).
            long listStart = System.nanoTime();
            int listed = api.pods().inNamespace(NAMESPACE).list().getItems().size();
            Figures.note("pods.bare_client_list_of_" + listed + "_warm", Math.round((System.nanoTime() - listStart) / 1e6), "ms");

            HeadlessFx.run(model::dispose);
            session.close();
            setup.close();
            background.shutdownNow();
        }
        Platform.exit();
        System.exit(0);
    }

    /** Creates the pods with a pool of parallel requests, each made Running through the status subresource. */
    private static long createPods(KubernetesClient api, int count) throws Exception {
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        AtomicInteger done = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            all.add(pool.submit(() -> {
                String name = PodUpdatesProcess.podName(n);
                Pod created;
                try {
                    created = retried(() -> api.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                            .withNewMetadata().withName(name).addToLabels("app", "bench-worker")
                            .endMetadata()
                            .withNewSpec().withNodeName(NODE).addNewContainer().withName("worker")
                            .withImage(PodUpdatesProcess.WORKER_IMAGE).endContainer().endSpec().build()).create());
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    // A create that timed out on our side but was done on the server's.
                    created = api.pods().inNamespace(NAMESPACE).withName(name).get();
                }
                created.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("10.1." + (n / 250) + "." + (n % 250))
                        .addNewCondition().withType("Ready").withStatus("True").endCondition()
                        .withContainerStatuses(PodUpdatesProcess.running(0)).build());
                created.getMetadata().setResourceVersion(null);
                Pod running = created;
                retried(() -> api.pods().inNamespace(NAMESPACE).resource(running).updateStatus());
                int d = done.incrementAndGet();
                if (d % 1000 == 0) {
                    Figures.say("  " + d + " pods created (" + (System.nanoTime() - t0) / 1_000_000 / 1000 + " s)");
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            // A failed request ends the run: the remaining ones are abandoned, not waited for.
            pool.shutdownNow();
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * Setup is not measured: a request the API server answered too slowly (a loaded machine) is sent
     * again, up to five times. Refusals other than overload are not retried.
     */
    private static <T> T retried(java.util.function.Supplier<T> request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return request.get();
            } catch (KubernetesClientException e) {
                boolean overloaded = e.getCode() == 0 || e.getCode() == 429 || e.getCode() >= 500;
                if (!overloaded || attempt == 5) {
                    throw e;
                }
            }
        }
    }
}
