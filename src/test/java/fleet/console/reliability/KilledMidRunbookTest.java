package fleet.console.reliability;

import fleet.console.audit.AuditEntry;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.profile.FleetProfile;
import fleet.console.runbook.RunContext;
import fleet.console.runbook.RunRecord;
import fleet.console.runbook.RunStore;
import fleet.console.runbook.Runbook;
import fleet.console.runbook.RunbookEngine;
import fleet.console.runbook.Runbooks;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: the console killed mid-runbook. The engine runs in a process of its own (connected through a
 * kubeconfig file, its run saved in a temporary folder) and is killed with SIGKILL once the safe redeploy
 * has recorded orchestrator's 2 replicas and scaled it to 0. The next start (this JVM) is offered the run;
 * resuming it, or abandoning it, brings orchestrator back to the 2 replicas it had, not 1 and not 0.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KilledMidRunbookTest {

    private static final String SERVICE = "orchestrator";

    private Sandbox sandbox;
    private KubernetesClient client;
    private String ns;
    private Path kubeconfig;
    private final List<AuditEntry> journal = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start(@TempDir Path shared) throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withRegistry(false));
        Assumptions.assumeTrue(sandbox.natsUrl().isPresent(), "nats-server is not installed: sudo apt-get install -y nats-server");
        assertThat(sandbox.awaitFleetReady(Duration.ofSeconds(90))).as("the sandbox's fleet is Ready").isTrue();
        client = sandbox.client();
        ns = sandbox.namespace();
        kubeconfig = sandbox.writeKubeconfig(shared.resolve("kubeconfig"));
    }

    @AfterAll
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void aRunKilledAfterScalingDownIsOfferedAndResumingItRestoresTheRecordedCount(@TempDir Path dir) throws Exception {
        // 3, neither the profile's 2 nor the runbook commands' 1: only the count the run recorded gives 3.
        RunRecord pending = killMidRun(dir, "wait-gone-" + SERVICE, 3);

        RunStore store = new RunStore(runs(dir));
        RunContext run = context(RunbookEngine.optionsFrom(pending.options()));
        Runbook runbook = Runbooks.named(pending.runbook()).orElseThrow().planner().plan(run);
        List<Object> events = new ArrayList<>();
        RunRecord resumed = new RunbookEngine(store, journal::add, Clock.systemUTC()).resume(runbook, run, pending, events::add);

        assertThat(resumed.status()).as("resumed run: %s", resumed.reason()).isEqualTo(RunRecord.Status.SUCCEEDED);
        assertThat(resumed.id()).isEqualTo(pending.id());
        assertThat(resumed.done()).contains("scale-up-" + SERVICE, "wait-ready-" + SERVICE);
        assertThat(orchestrator().getSpec().getReplicas()).as("orchestrator's replicas after the resumed run").isEqualTo(3);
        assertThat(sandbox.await(c -> readyReplicas() == 3, Duration.ofSeconds(60))).as("3 orchestrator pods Ready").isTrue();
        assertThat(store.unfinished()).as("nothing is offered any more").isEmpty();
        assertThat(store.load(pending.id()).orElseThrow().status()).isEqualTo(RunRecord.Status.SUCCEEDED);
    }

    @Test
    void aRunKilledAfterScalingDownAndAbandonedScalesTheServiceBackToItsRecordedCount(@TempDir Path dir) throws Exception {
        RunRecord pending = killMidRun(dir, "set-image-" + SERVICE, 2);

        RunStore store = new RunStore(runs(dir));
        RunContext run = context(RunbookEngine.optionsFrom(pending.options()));
        Runbook runbook = Runbooks.named(pending.runbook()).orElseThrow().planner().plan(run);
        RunRecord abandoned = new RunbookEngine(store, journal::add, Clock.systemUTC()).abandon(runbook, run, pending);

        assertThat(abandoned.status()).isEqualTo(RunRecord.Status.ABANDONED);
        assertThat(orchestrator().getSpec().getReplicas()).as("orchestrator's replicas after abandoning").isEqualTo(2);
        assertThat(sandbox.await(c -> readyReplicas() == 2, Duration.ofSeconds(60))).as("2 orchestrator pods Ready again").isTrue();
        assertThat(store.unfinished()).as("nothing is offered any more").isEmpty();
        assertThat(journal).anySatisfy(e -> assertThat(e.result()).contains("abandoned (run " + pending.id() + ")"));
    }

    @Test
    void theNextCommandLineStartAbandonsTheKilledRunAndScalesTheServiceBack(@TempDir Path dir) throws Exception {
        RunRecord pending = killMidRun(dir, "wait-gone-" + SERVICE, 2);

        // A new console process, as an operator starts it: no run id given, the latest unfinished run is taken.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve("abandon.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-Duser.home=" + dir,
                "-cp", System.getProperty("java.class.path"), fleet.console.app.Launcher.class.getName(),
                "runbook", "abandon", "--kubeconfig", kubeconfig.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("KUBECONFIG");
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        builder.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        Process cli = builder.start();
        boolean exited = cli.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            cli.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(exited).as("runbook abandon ends; output:%n%s", output).isTrue();
        assertThat(cli.exitValue()).as("exit status; output:%n%s", output).isZero();
        assertThat(output).contains("Run " + pending.id() + " abandoned");

        assertThat(orchestrator().getSpec().getReplicas()).as("orchestrator's replicas after abandoning").isEqualTo(2);
        assertThat(sandbox.await(c -> readyReplicas() == 2, Duration.ofSeconds(60))).as("2 orchestrator pods Ready again").isTrue();
        RunStore store = new RunStore(runs(dir));
        assertThat(store.unfinished()).as("nothing is offered any more").isEmpty();
        assertThat(store.load(pending.id()).orElseThrow().status()).isEqualTo(RunRecord.Status.ABANDONED);
        assertThat(Files.readString(audit(dir))).contains("abandoned (run " + pending.id() + ")");
    }

    /**
     * Starts the engine's process on a fleet with orchestrator at 2 Ready replicas, waits until it says it
     * reached {@code holdAt} (everything before is done and saved), checks the saved run and the cluster,
     * kills the process, and returns what the next start is offered.
     */
    private RunRecord killMidRun(Path dir, String holdAt, int replicas) throws Exception {
        client.apps().deployments().inNamespace(ns).withName(SERVICE).edit(d -> {
            d.getSpec().setReplicas(replicas);
            return d;
        });
        assertThat(sandbox.await(c -> readyReplicas() == replicas && orchestrator().getSpec().getReplicas() == replicas, Duration.ofSeconds(90)))
                .as("orchestrator at %d Ready replicas before the run", replicas).isTrue();
        Path runs = runs(dir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-Duser.home=" + dir,
                "-cp", System.getProperty("java.class.path"), RunbookProcessMain.class.getName(),
                kubeconfig.toString(), runs.toString(), audit(dir).toString(), "redeploy", SERVICE, holdAt))
                .redirectErrorStream(true);
        builder.environment().remove("KUBECONFIG");
        Process engine = builder.start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<String> held = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.startsWith("at ") || line.startsWith("finished ")) {
                        held.complete(line);
                    }
                }
            } catch (java.io.IOException e) {
                // the process was killed
            }
            held.complete("ended");
        }, "engine-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String where = held.get(120, TimeUnit.SECONDS);
            assertThat(where).as("the engine's output:%n%s", output).isEqualTo("at " + holdAt);

            // What the engine saved before the crash: the count it recorded, and the scale-down done.
            RunStore store = new RunStore(runs);
            List<RunRecord> saved = store.unfinished();
            assertThat(saved).hasSize(1);
            assertThat(saved.get(0).values()).containsEntry("replicas." + SERVICE, Integer.toString(replicas));
            assertThat(saved.get(0).done()).contains("remember-" + SERVICE, "scale-down-" + SERVICE);
            assertThat(orchestrator().getSpec().getReplicas()).as("scaled down by the run").isZero();
        } finally {
            engine.destroyForcibly();
            assertThat(engine.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(engine.exitValue()).as("killed, not exited by itself").isNotIn(0, 3);

        // Nothing brought the service back in the meantime: only the next start can.
        assertThat(orchestrator().getSpec().getReplicas()).isZero();
        List<RunRecord> offered = new RunStore(runs).unfinished();
        assertThat(offered).as("the next start offers the killed run").hasSize(1);
        RunRecord pending = offered.get(0);
        assertThat(pending.runbook()).isEqualTo("redeploy");
        assertThat(pending.status()).isEqualTo(RunRecord.Status.RUNNING);
        assertThat(pending.options()).containsEntry("service", SERVICE).containsEntry("skip-build", "true");
        assertThat(pending.values()).containsEntry("replicas." + SERVICE, Integer.toString(replicas));
        assertThat(Files.readString(audit(dir))).contains("started (run " + pending.id() + ")");
        return pending;
    }

    /** Where the command line keeps runs and the journal with XDG_STATE_HOME=dir/state. */
    private static Path runs(Path dir) {
        return dir.resolve("state/fleet-console/runs");
    }

    private static Path audit(Path dir) {
        return dir.resolve("state/fleet-console/audit.jsonl");
    }

    private RunContext context(fleet.console.runbook.RunOptions options) {
        return new RunContext(client, Sandbox.CONTEXT_NAME, ns, FleetProfile.defaults(), options,
                () -> NatsLink.open(NatsTarget.InCluster.fleet(ns), client, Duration.ofSeconds(5)), journal::add, Clock.systemUTC());
    }

    private Deployment orchestrator() {
        return client.apps().deployments().inNamespace(ns).withName(SERVICE).get();
    }

    private int readyReplicas() {
        Deployment d = orchestrator();
        Integer ready = d == null || d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
        return ready == null ? 0 : ready;
    }
}
