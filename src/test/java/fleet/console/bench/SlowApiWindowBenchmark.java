package fleet.console.bench;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.FleetHealth;
import fleet.console.cluster.KubeconfigFile;
import fleet.console.cluster.WorkloadHealth;
import fleet.console.cluster.pods.PodRow;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.process.ScratchDir;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.shell.Area;
import fleet.console.ui.shell.ConnectionState;
import fleet.console.ui.shell.ConsoleWindow;
import fleet.console.ui.shell.MainViewModel;
import fleet.console.ui.shell.SandboxHandle;
import fleet.console.ui.shell.ShellOptions;
import fleet.console.ui.shell.ShellServices;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 11's "slow API" figure: the longest FX-thread stall while the whole window works against an API
 * server that answers every request 300 ms late ({@code --fault api-slow=300}). The sandbox runs in a
 * process of its own (what this JVM measures is the console's alone); the window connects to it, the
 * Overview loads, the Pods area loads, orchestrator is scaled 2 -> 4 -> 2 (pods added, started, deleted:
 * both areas update), and the Overview is shown again with the fleet back. The stall is measured from
 * the moment the window is shown to the end (the window's construction itself is reported apart).
 * Run by {@code scripts/bench reliability}.
 */
public final class SlowApiWindowBenchmark {

    private static final int LATENCY_MS = 300;
    private static final String SERVICE = "orchestrator";

    private SlowApiWindowBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run();
        } catch (Exception | Error e) {
            System.err.println("The slow-API window benchmark failed: " + e);
            e.printStackTrace();
            System.out.println("# slow-API window benchmark failed: " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run() throws Exception {
        Path dir = ScratchDir.create("slow-api-bench").path();
        FleetProfile profile = FleetProfile.defaults();
        String ns = profile.namespace();
        Figures.say("Starting the sandbox in its own process with api-slow=" + LATENCY_MS + "…");
        try (SandboxProcess sandbox = SandboxProcess.start(dir, List.of("--fault", "api-slow=" + LATENCY_MS))) {
            // The sandbox stands for the cluster's machines: it yields the cores to the console.
            Figures.note("slow_api.setup_cluster_process_niceness", SandboxProcess.clusterNiceness(), "");
            Config config = KubeconfigFile.read(sandbox.kubeconfig()).configFor("sandbox");
            try (KubernetesClient api = new KubernetesClientBuilder().withConfig(config).build()) {
                long t = System.nanoTime();
                int podCount = api.pods().inNamespace(ns).list().getItems().size();
                Figures.note("slow_api.one_list_of_" + podCount + "_pods", (System.nanoTime() - t) / 1_000_000, "ms");

                HeadlessFx.start();
                ScheduledExecutorService background = Executors.newScheduledThreadPool(4);
                SandboxHandle handle = new SandboxHandle() {
                    @Override
                    public Config clientConfig() {
                        return config;
                    }

                    @Override
                    public String namespace() {
                        return ns;
                    }

                    @Override
                    public Optional<fleet.console.ui.shell.SandboxFaults> faults() {
                        return Optional.empty();
                    }
                };
                ShellServices services = new ShellServices(ClusterConnector.withDefaultTimeout(), dir.resolve("no-kubeconfig"), () -> handle,
                        (client, namespace) -> FleetHealth.read(client, namespace, profile), background, new FxBatcher())
                        .withAuditFile(dir.resolve("audit.jsonl"));
                FxStallMeter meter = new FxStallMeter();
                long opening = System.nanoTime();
                ConsoleWindow window = HeadlessFx.call(() -> {
                    Stage stage = new Stage();
                    ConsoleWindow w = ConsoleWindow.open(stage, services, ShellOptions.defaults());
                    stage.setWidth(1280);
                    stage.setHeight(800);
                    stage.show();
                    meter.start();
                    return w;
                });
                Figures.note("slow_api.window_built_and_shown", (System.nanoTime() - opening) / 1_000_000, "ms");
                StallWitness witness = StallWitness.start(meter, 100);
                // When the idle warm-up of the views not shown yet was done, next to when the areas were first
                // visited: a first visit before it is a visit of code still cold.
                long[] warmedAt = {0};
                HeadlessFx.run(() -> new javafx.animation.AnimationTimer() {
                    @Override
                    public void handle(long now) {
                        if (window.isWarmedUp()) {
                            warmedAt[0] = System.nanoTime();
                            stop();
                        }
                    }
                }.start());
                MainViewModel model = window.model();
                HeadlessFx.run(meter::reset);
                GcPauses firstVisitsGc = GcPauses.record();
                long began = System.nanoTime();
                // The witness's reports on stderr say when each stall ended in the JVM's uptime.
                Figures.note("slow_api.began_at_jvm_uptime", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(), "ms");

                await("the Overview lists the fleet", 120, () -> model.getState() == ConnectionState.CONNECTED && model.overview().isLoaded()
                        && !model.overview().rows().isEmpty());
                Figures.note("slow_api.overview_loaded_after", (System.nanoTime() - began) / 1_000_000, "ms");
                double overviewStall = HeadlessFx.call(meter::longestGapMs);

                long pods = System.nanoTime();
                HeadlessFx.run(() -> model.selectArea(Area.PODS));
                await("the Pods area lists the pods", 120, () -> model.pods().isLoaded() && !model.pods().rows().isEmpty());
                Figures.note("slow_api.pods_loaded_after", (System.nanoTime() - pods) / 1_000_000, "ms");

                long updates = System.nanoTime();
                scale(api, ns, 4);
                await("4 orchestrator pods Running in the Pods area", 120, () -> running(model, 4));
                HeadlessFx.run(() -> model.selectArea(Area.OVERVIEW));
                await("the Overview shows orchestrator 4/4", 120, () -> overview(model, 4));
                Figures.note("slow_api.scale_up_seen_in_both_areas_after", (System.nanoTime() - updates) / 1_000_000, "ms");
                Figures.note("slow_api.pods_first_visited_after", (pods - began) / 1_000_000, "ms");
                long warmed = HeadlessFx.call(() -> warmedAt[0]);
                Figures.note("slow_api.views_warmed_after", warmed == 0 ? -1 : (warmed - began) / 1_000_000, "ms");
                // Until here each area was shown for the first time (its FXML, skins, CSS and code loaded cold).
                double firstVisits = HeadlessFx.call(meter::longestGapMs);
                double firstVisitsBusy = HeadlessFx.call(meter::longestBusyMs);
                firstVisitsGc.close();

                HeadlessFx.run(meter::reset);
                long down = System.nanoTime();
                HeadlessFx.run(() -> model.selectArea(Area.PODS));
                scale(api, ns, 2);
                await("2 orchestrator pods left in the Pods area", 120, () -> running(model, 2)
                        && model.pods().rows().stream().filter(r -> r.workload().name().equals(SERVICE)).count() == 2);
                HeadlessFx.run(() -> model.selectArea(Area.OVERVIEW));
                await("the Overview shows orchestrator 2/2", 120, () -> overview(model, 2));
                Figures.note("slow_api.scale_down_seen_in_both_areas_after", (System.nanoTime() - down) / 1_000_000, "ms");
                double shownBefore = HeadlessFx.call(meter::longestGapMs);
                double shownBeforeBusy = HeadlessFx.call(meter::longestBusyMs);
                long frames = HeadlessFx.call(meter::frames);
                HeadlessFx.run(meter::stop);
                Figures.note("slow_api.fx_frames_after_first_visits", frames, "frames");
                Figures.note("slow_api.fx_longest_stall_while_overview_loads", Math.round(overviewStall), "ms");
                Figures.print("slow_api.fx_longest_stall_api_slow_" + LATENCY_MS + ".first_visits", Math.round(firstVisits), "ms", "<", 100);
                Figures.print("slow_api.fx_longest_stall_api_slow_" + LATENCY_MS + ".areas_shown_before", Math.round(shownBefore), "ms", "<", 100);
                Figures.note("slow_api.fx_most_cpu_between_two_frames.first_visits", Math.round(firstVisitsBusy), "ms");
                // The collector's pauses stop the FX thread too: how much of the stall they can explain.
                firstVisitsGc.note("slow_api.first_visits");
                Figures.note("slow_api.fx_most_cpu_between_two_frames.areas_shown_before", Math.round(shownBeforeBusy), "ms");
                witness.close();
                Figures.note("slow_api.fx_thread_samples_while_a_frame_was_late", witness.samples(), "samples");
                Figures.print("slow_api.fx_thread_samples_inside_a_server_call", witness.samplesInApiCalls(), "samples", "=", 0);
                HeadlessFx.run(window::dispose);
                background.shutdownNow();
            }
        }
    }

    private static void scale(KubernetesClient api, String ns, int replicas) {
        api.apps().deployments().inNamespace(ns).withName(SERVICE).edit(d -> {
            d.getSpec().setReplicas(replicas);
            return d;
        });
    }

    private static boolean running(MainViewModel model, int n) {
        return model.pods().rows().stream().filter((PodRow r) -> r.workload().name().equals(SERVICE) && r.status().equals("Running")).count() >= n;
    }

    private static boolean overview(MainViewModel model, int n) {
        return model.overview().rows().stream().anyMatch((WorkloadHealth w) -> w.name().equals(SERVICE) && w.desired() == n && w.ready() == n);
    }

    /** Waits for a condition read on the FX thread, asking every 20 ms (the FX thread answers between frames). */
    private static void await(String what, int seconds, Callable<Boolean> onFx) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!HeadlessFx.call(() -> {
            try {
                return onFx.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Not within " + seconds + " s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
