package fleet.console.diagnosis;

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
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.sandbox.process.ScratchDir;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One sandbox for a test class, with a diagnosis service connected to it the way the console connects
 * (its own client, NATS through the port-forward), faults injected once the fleet is up, the fixes a
 * diagnosis offers run through the runbook engine, and recovery checked by the diagnosis itself.
 */
final class DiagnosisFixture implements AutoCloseable {

    static final String NS = "swe-ai-fleet";
    static final Duration WAIT = Duration.ofSeconds(90);

    final Sandbox sandbox;
    final KubernetesClient client;
    final DiagnosisService service;
    final List<AuditEntry> journal = new CopyOnWriteArrayList<>();
    private final Path runs;

    private DiagnosisFixture(Sandbox sandbox, Function<Sandbox, RegistryLookup> registry, DiagnosisOptions options) {
        this.sandbox = sandbox;
        this.client = new KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build();
        Clock clock = Clock.systemUTC();
        LinkedNats nats = new LinkedNats(() -> NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(5)), clock);
        this.service = new DiagnosisService(client, "sandbox", NS, sandbox.profile(), nats, registry.apply(sandbox), options,
                Runnable::run, clock, journal::add);
        this.runs = ScratchDir.create("diagnosis-runs").path();
    }

    static DiagnosisFixture start(SandboxOptions options, Function<Sandbox, RegistryLookup> registry, DiagnosisOptions diagnosis)
            throws InterruptedException {
        Sandbox sandbox = Sandbox.start(FleetProfile.defaults(), options);
        if (sandbox.natsUrl().isEmpty()) {
            sandbox.close();
            Assumptions.assumeTrue(false, "nats-server is not installed: sudo apt-get install -y nats-server");
        }
        DiagnosisFixture f = new DiagnosisFixture(sandbox, registry, diagnosis);
        assertTrue(sandbox.awaitFleetReady(WAIT), "the fleet comes up");
        return f;
    }

    static DiagnosisFixture start() throws InterruptedException {
        return start(SandboxOptions.defaults().withRegistry(false), s -> RegistryLookup.none(), DiagnosisOptions.defaults());
    }

    DiagnosisReport now() {
        return service.namespaceNow();
    }

    /** Injects the faults once the fleet is up and waits until each shows on the cluster. */
    void inject(String... faults) throws InterruptedException {
        List<Fault> parsed = Arrays.stream(faults).map(Fault::parse).toList();
        assertTrue(sandbox.injectOnceReady(parsed, WAIT), "the faults show: " + parsed);
    }

    /** Waits (re-diagnosing on every change the sandbox sees) until the report satisfies the condition; returns that report. */
    DiagnosisReport await(String what, Predicate<DiagnosisReport> condition) throws InterruptedException {
        AtomicReference<DiagnosisReport> last = new AtomicReference<>();
        boolean met = sandbox.await(c -> {
            DiagnosisReport r = now();
            last.set(r);
            return condition.test(r);
        }, WAIT);
        assertTrue(met, "timed out waiting until " + what + "; the last diagnosis was:\n" + (last.get() == null ? "none" : last.get().render()));
        return last.get();
    }

    /** The first diagnosis by a rule of a workload (or its pods), once there is one. */
    Diagnosis awaitRule(String rule, String workload) throws InterruptedException {
        DiagnosisReport r = await(rule + " on " + workload, x -> of(x, rule, workload).isPresent());
        return of(r, rule, workload).orElseThrow();
    }

    static java.util.Optional<Diagnosis> of(DiagnosisReport report, String rule, String workload) {
        return report.diagnoses().stream().filter(d -> d.rule().equals(rule)
                && d.subject().workload().map(w -> w.name().equals(workload)).orElse(d.subject().name().equals(workload))).findFirst();
    }

    /** Runs the fix a diagnosis offers, through the runbook engine, as the UI's one click does. */
    RunRecord run(Fix fix) throws InterruptedException {
        assertTrue(fix instanceof Fix.RunbookFix, "the fix is a runbook: " + fix);
        Fix.RunbookFix rb = (Fix.RunbookFix) fix;
        RunContext ctx = new RunContext(client, "sandbox", NS, sandbox.profile(), rb.options().withYes(true),
                () -> NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(5)), journal::add, Clock.systemUTC());
        Runbook runbook;
        try {
            runbook = Runbooks.named(rb.runbook()).orElseThrow().planner().plan(ctx);
        } catch (fleet.console.runbook.StepFailure e) {
            throw new AssertionError("the runbook cannot be planned: " + e.getMessage(), e);
        }
        RunRecord record = new RunbookEngine(new RunStore(runs), journal::add, Clock.systemUTC()).run(runbook, ctx, e -> { });
        assertEquals(RunRecord.Status.SUCCEEDED, record.status(), rb.cliCommand() + ": " + record.reason());
        return record;
    }

    /** Clears every fault; the fleet comes back and the diagnosis is empty again. */
    void recover() throws InterruptedException {
        sandbox.clearFaults();
        assertTrue(sandbox.awaitFleetReady(WAIT), "the fleet recovers once the faults are cleared");
        // Undoing a fault restarts pods: only once the replacements are Ready is the fleet really back.
        assertTrue(sandbox.await(c -> c.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getMetadata().getLabels() == null || !p.getMetadata().getLabels().containsKey("job-name"))
                .allMatch(p -> p.getMetadata().getDeletionTimestamp() == null && CrashLoopDiagnosisTest.ready(p)), WAIT),
                "every pod of the fleet Ready again");
        await("nothing is diagnosed any more", DiagnosisReport::isEmpty);
    }

    @Override
    public void close() {
        service.close();
        client.close();
        sandbox.close();
    }
}
