package fleet.console.diagnosis;

import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.runbook.RunRecord;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static fleet.console.diagnosis.DiagnosisFixture.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runbook's CrashLoopBackOff causes (Issue A and B) reproduced in one sandbox and told apart by their
 * evidence: the cause, what proves it, the fix; and for the runbook fixes, the fix run and the pods healthy
 * again with nothing left to diagnose.
 */
class CrashLoopDiagnosisTest {

    private static DiagnosisFixture fleet;

    @BeforeAll
    static void start() throws Exception {
        fleet = DiagnosisFixture.start();
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @AfterEach
    void recover() throws Exception {
        fleet.recover();
    }

    private static boolean evidenceSays(Diagnosis d, String text) {
        return d.evidence().stream().anyMatch(e -> e.text().contains(text));
    }

    private static List<Pod> pods(String app) {
        return fleet.client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
    }

    static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Test
    void consumerAlreadyBoundIsIssueAAndTheSafeRedeployCuresIt() throws Exception {
        fleet.inject("double-bind=orchestrator");
        Diagnosis d = fleet.awaitRule("consumer-already-bound", "orchestrator");

        assertEquals(PodView.CRASH, d.symptom());
        assertEquals(RunbookSection.CONSUMER_ALREADY_BOUND, d.section());
        assertEquals(Confidence.CERTAIN, d.confidence());
        assertTrue(d.subject().isPod() && d.subject().name().startsWith("orchestrator-"), d.subject().label());
        Evidence line = d.evidence().stream().filter(e -> e.text().contains("consumer is already bound to a subscription")).findFirst().orElseThrow();
        EvidenceSource.PodLog log = (EvidenceSource.PodLog) line.source();
        assertEquals(d.subject().name(), log.pod());
        assertEquals("orchestrator", log.container());
        assertTrue(log.command().contains("kubectl logs -n swe-ai-fleet " + log.pod() + " -c orchestrator"), log.command());
        assertTrue(d.explanation().contains("deliberation-collector-completed"), "names the durable: " + d.explanation());
        assertTrue(evidenceSays(d, "holds the binding"), "shows the pod of the other version still running");

        Fix.RunbookFix fix = (Fix.RunbookFix) d.fix().orElseThrow();
        assertEquals("redeploy", fix.runbook());
        assertEquals(Optional.of("orchestrator"), fix.options().service());
        assertTrue(fix.options().skipBuild());
        assertTrue(fix.cliCommand().startsWith("fleet-console runbook redeploy --service orchestrator --skip-build"), fix.cliCommand());

        fleet.run(fix);
        DiagnosisReport after = fleet.await("orchestrator healthy and undiagnosed", r -> r.forWorkload(new WorkloadRef("Deployment", "orchestrator")).isEmpty()
                && pods("orchestrator").size() == 2 && pods("orchestrator").stream().allMatch(CrashLoopDiagnosisTest::ready));
        assertTrue(after.forWorkload(new WorkloadRef("Deployment", "orchestrator")).isEmpty(), after.render());
    }

    @Test
    void natsNotReadyAndAMissingConfigMapAreBothReportedNatsFirst() throws Exception {
        fleet.inject("nats-down", "missing-configmap=context");
        DiagnosisReport r = fleet.await("orchestrator crashes on NATS and context waits for its ConfigMap",
                x -> DiagnosisFixture.of(x, "crash-nats-unreachable", "orchestrator").isPresent()
                        && DiagnosisFixture.of(x, "missing-config", "context").isPresent());

        Diagnosis nats = r.diagnoses().get(0);
        assertEquals("nats-not-ready", nats.rule(), "NATS, which blocks the others, comes first:\n" + r.render());
        assertEquals("pod/nats-0", nats.subject().label());
        assertEquals(Severity.CRITICAL, nats.severity());
        assertTrue(nats.evidence().stream().anyMatch(e -> e.text().startsWith("Ready=False")
                && e.source() instanceof EvidenceSource.ObjectField f && f.name().equals("nats-0")), "nats-0's Ready condition is evidence");
        assertTrue(nats.fix().orElseThrow() instanceof Fix.CommandFix c && c.commands().stream().anyMatch(x -> x.contains("nats-0")));

        Diagnosis config = DiagnosisFixture.of(r, "missing-config", "context").orElseThrow();
        assertEquals("Missing ConfigMap", config.cause());
        assertEquals(PodView.CONFIG, config.symptom());
        assertTrue(config.explanation().contains("app-config") || config.explanation().contains("service-urls"), config.explanation());
        String name = config.explanation().contains("app-config") ? "app-config" : "service-urls";
        assertTrue(config.evidence().stream().anyMatch(e -> e.what().startsWith("event Failed") && e.text().contains("configmap \"" + name + "\" not found")
                && e.source() instanceof EvidenceSource.KubeEvent k && k.objectName().equals(config.subject().name())), "the kubelet's event, linked");
        assertTrue(config.fix().orElseThrow().commands().stream().anyMatch(c -> c.startsWith("kubectl create configmap " + name + " -n swe-ai-fleet")),
                "the exact command that recreates it: " + config.fix());
        assertEquals(List.of(nats.id()), config.blockedBy(), "context also needs NATS: fix NATS first");

        Diagnosis crash = DiagnosisFixture.of(r, "crash-nats-unreachable", "orchestrator").orElseThrow();
        assertEquals("NATS not ready", crash.cause());
        assertTrue(evidenceSays(crash, "no servers available") || evidenceSays(crash, "Connection refused"), "the log line");
        assertTrue(evidenceSays(crash, "nats-0 Ready=False"), "nats-0 not Ready is evidence too");
        assertEquals(List.of(nats.id()), crash.blockedBy());
        assertTrue(r.diagnoses().indexOf(nats) < r.diagnoses().indexOf(config) && r.diagnoses().indexOf(nats) < r.diagnoses().indexOf(crash));
        assertTrue(r.render().indexOf("NATS not ready") < r.render().indexOf("Missing ConfigMap"), r.render());
    }

    @Test
    void anImportErrorAfterTheSrcToCoreMoveNamesTheModuleAndRollbackCuresIt() throws Exception {
        fleet.inject("import-error=context");
        Diagnosis d = fleet.awaitRule("crash-import-error", "context");

        assertEquals("Import error after the src/ -> core/ move", d.cause());
        assertTrue(d.explanation().contains("'src.shared'"), "names the module: " + d.explanation());
        assertTrue(evidenceSays(d, "ModuleNotFoundError: No module named 'src.shared'"));
        assertTrue(evidenceSays(d, "from src.shared.events import EventEnvelope"), "the import line above the error");
        assertTrue(d.evidence().stream().allMatch(e -> e.source() instanceof EvidenceSource.PodLog l && l.previous()), "from the crashed run's log");

        // The new image also differs from the profile's: that cause is offered too, as the weaker one.
        DiagnosisReport r = fleet.now();
        Diagnosis tag = r.forPod(d.subject().name()).stream().filter(x -> x.rule().equals("crash-wrong-image")).findFirst()
                .orElseThrow(() -> new AssertionError("the image differs from the profile's: offered as a cause too\n" + r.render()));
        assertEquals(Confidence.POSSIBLE, tag.confidence(), "less sure than the traceback");
        Diagnosis imports = r.byId(d.id()).orElseThrow();
        assertTrue(imports.contested() && imports.competing().contains(tag.id()) && tag.competing().contains(imports.id()));
        assertTrue(r.diagnoses().indexOf(imports) < r.diagnoses().indexOf(tag), "the surer cause first");

        Fix.RunbookFix fix = (Fix.RunbookFix) d.fix().orElseThrow();
        assertEquals("rollback", fix.runbook());
        assertEquals(Optional.of("context"), fix.options().service());
        assertTrue(fix.options().toRevision().isPresent());
        fleet.run(fix);
        DiagnosisReport after = fleet.await("context runs its previous image and is undiagnosed",
                x -> x.forWorkload(new WorkloadRef("Deployment", "context")).isEmpty() && pods("context").stream().noneMatch(p ->
                        p.getSpec().getContainers().get(0).getImage().endsWith("-next")));
        assertTrue(after.forWorkload(new WorkloadRef("Deployment", "context")).isEmpty());
    }

    @Test
    void aWrongImageTagIsNamedWithTheProfilesImageAndARedeployOfItCuresIt() throws Exception {
        fleet.inject("wrong-tag=ray-executor");
        Diagnosis d = fleet.awaitRule("crash-wrong-image", "ray-executor");

        assertEquals("Wrong image tag", d.cause());
        assertEquals(Confidence.LIKELY, d.confidence(), "inferred, not read: likely");
        assertFalse(d.contested(), "nothing else explains this crash");
        assertTrue(d.explanation().contains("runs tag v2.2.3") && d.explanation().contains("v3.0.0-core-refactor"), d.explanation());
        assertTrue(d.evidence().stream().anyMatch(e -> e.source() instanceof EvidenceSource.ObjectField f && f.field().endsWith(".image")
                && e.text().endsWith(":v2.2.3")), "the running image, from the pod spec");
        assertTrue(d.evidence().stream().anyMatch(e -> e.source() instanceof EvidenceSource.Profile
                && e.text().equals("registry.underpassai.com/swe-ai-fleet/ray-executor:v3.0.0-core-refactor")), "the profile's image");

        Fix.RunbookFix fix = (Fix.RunbookFix) d.fix().orElseThrow();
        assertEquals("redeploy", fix.runbook());
        assertEquals(Optional.of("ray-executor"), fix.options().service());
        assertTrue(fix.options().tag().isEmpty(), "the profile's tag");
        fleet.run(fix);
        fleet.await("ray-executor runs the profile's image and is undiagnosed", x -> x.forWorkload(new WorkloadRef("Deployment", "ray-executor")).isEmpty()
                && pods("ray-executor").stream().allMatch(p -> p.getSpec().getContainers().get(0).getImage().endsWith(":v3.0.0-core-refactor")));
    }

    @Test
    void oomKilledShowsTheLimitAndOffersTwiceIt() throws Exception {
        fleet.inject("oom=ray-executor");
        Diagnosis d = fleet.awaitRule("crash-oom", "ray-executor");

        assertEquals("Out of memory (OOMKilled)", d.cause());
        assertTrue(d.explanation().contains("512Mi"), d.explanation());
        assertTrue(evidenceSays(d, "OOMKilled, exit code 137"));
        assertTrue(d.evidence().stream().anyMatch(e -> e.text().equals("limits.memory: 512Mi")
                && e.source() instanceof EvidenceSource.ObjectField f && f.field().contains("resources.limits.memory")));
        assertEquals(List.of("kubectl set resources deployment/ray-executor -n swe-ai-fleet -c ray-executor --limits=memory=1Gi"),
                d.fix().orElseThrow().commands());
    }

    @Test
    void aMissingConfigMapKeyIsNamedAndThePatchItOffersLetsThePodStart() throws Exception {
        String value = fleet.client.configMaps().inNamespace(NS).withName("service-urls").get().getData().get("NEO4J_URI");
        try {
            // Someone edits service-urls and drops a key; running pods keep their environment, a new one cannot start.
            fleet.client.configMaps().inNamespace(NS).withName("service-urls").edit(cm -> {
                cm.getData().remove("NEO4J_URI");
                return cm;
            });
            String victim = pods("context").get(0).getMetadata().getName();
            fleet.client.pods().inNamespace(NS).withName(victim).delete();
            Diagnosis d = fleet.awaitRule("missing-config", "context");

            assertEquals("Missing ConfigMap key", d.cause());
            assertEquals(PodView.CONFIG, d.symptom());
            assertTrue(d.explanation().contains("key NEO4J_URI of ConfigMap service-urls"), d.explanation());
            assertTrue(d.evidence().stream().anyMatch(e -> e.text().contains("couldn't find key NEO4J_URI in ConfigMap swe-ai-fleet/service-urls")
                    && e.source() instanceof EvidenceSource.ObjectField f && f.name().equals(d.subject().name())), "the container's waiting status");
            assertTrue(d.evidence().stream().anyMatch(e -> e.source() instanceof EvidenceSource.ObjectField f && f.field().equals("spec.containers[context].env[NEO4J_URI]")
                    && e.text().equals("context reads NEO4J_URI from configmap service-urls / NEO4J_URI")),
                    "the env var that reads the missing key, not the first one from service-urls (NATS_URL): " + d.evidence());
            assertEquals(List.of("kubectl patch configmap service-urls -n swe-ai-fleet --type merge -p '{\"data\":{\"NEO4J_URI\":\""
                    + value + "\"}}'"), d.fix().orElseThrow().commands(), "the value from the console's own manifests");

            // The patch, as the command does it: the waiting pod starts by itself and nothing is diagnosed.
            fleet.client.configMaps().inNamespace(NS).withName("service-urls").edit(cm -> {
                cm.getData().put("NEO4J_URI", value);
                return cm;
            });
            fleet.await("context's new pod starts once the key is back", r -> r.forWorkload(new WorkloadRef("Deployment", "context")).isEmpty()
                    && pods("context").size() == 2 && pods("context").stream().allMatch(CrashLoopDiagnosisTest::ready));
        } finally {
            fleet.client.configMaps().inNamespace(NS).withName("service-urls").edit(cm -> {
                cm.getData().put("NEO4J_URI", value);
                return cm;
            });
        }
    }
}
