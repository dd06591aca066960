package fleet.console.diagnosis;

import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;
import fleet.console.profile.WorkloadKind;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.sandbox.registry.RegistryProcess;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static fleet.console.diagnosis.DiagnosisFixture.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pods that never run (Issue C, image pulls, with the registry asked through its API; Issue D, Pending by the
 * scheduler's words), pods that run but do not serve (a readiness probe, a node reboot) and a Job that
 * gave up, each reproduced in one sandbox whose own registry stands in for the fleet's.
 */
class StartAndScheduleDiagnosisTest {

    private static DiagnosisFixture fleet;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(RegistryProcess.findBinary().isPresent(), "docker-registry is not installed: sudo apt-get install -y docker-registry");
        fleet = DiagnosisFixture.start(SandboxOptions.defaults(), s -> RegistryLookup.http(
                Map.of("registry.underpassai.com", URI.create("http://" + s.registryHost().orElseThrow())), Duration.ofSeconds(3)),
                DiagnosisOptions.defaults());
        // The fleet's registry, as the build scripts fill it: the profile's tags under swe-ai-fleet/.
        for (ServiceSpec s : FleetProfile.defaults().services()) {
            if (s.kind() == WorkloadKind.DEPLOYMENT && s.image().startsWith("registry.underpassai.com/")) {
                RegistryImages.push(fleet.sandbox.registryHost().orElseThrow(), s.image().substring("registry.underpassai.com/".length()), s.tag());
            }
        }
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

    private static List<Pod> pods(String app) {
        return fleet.client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
    }

    private static boolean evidenceSays(Diagnosis d, String text) {
        return d.evidence().stream().anyMatch(e -> e.text().contains(text));
    }

    @Test
    void aTagTheRegistryDoesNotHaveIsSaidWithTheTagsItHasAndTheProfilesImageIsRedeployed() throws Exception {
        fleet.inject("bad-image=context");
        Diagnosis d = fleet.awaitRule("image-pull", "context");

        assertEquals("Image tag not in the registry", d.cause());
        assertEquals(RunbookSection.IMAGE_PULL, d.section());
        assertEquals(Confidence.CERTAIN, d.confidence(), "the registry answered");
        assertTrue(d.explanation().contains("no tag v2.0.0-core-refactor-typo") && d.explanation().contains("it has: v2.0.0-core-refactor"),
                d.explanation());
        Evidence registry = d.evidence().stream().filter(e -> e.source() instanceof EvidenceSource.Registry).findFirst().orElseThrow();
        assertTrue(((EvidenceSource.Registry) registry.source()).url().endsWith("/v2/swe-ai-fleet/context/tags/list"), registry.toString());
        assertTrue(d.evidence().stream().anyMatch(e -> e.what().startsWith("event Failed") && e.text().startsWith("Failed to pull image")),
                "the kubelet's event");

        Fix.RunbookFix fix = (Fix.RunbookFix) d.fix().orElseThrow();
        assertEquals("redeploy", fix.runbook());
        assertEquals(Optional.of("context"), fix.options().service());
        fleet.run(fix);
        fleet.await("context pulls the profile's image and is undiagnosed", r -> r.forWorkload(new WorkloadRef("Deployment", "context")).isEmpty()
                && pods("context").stream().allMatch(p -> p.getSpec().getContainers().get(0).getImage().endsWith(":v2.0.0-core-refactor")));
    }

    @Test
    void anImagePathThatMixesSweFleetAndSweAiFleetIsNamedAsSuch() throws Exception {
        fleet.inject("bad-image=orchestrator:path");
        Diagnosis d = fleet.awaitRule("image-pull", "orchestrator");

        assertEquals("Image path mixes swe-fleet/ and swe-ai-fleet/", d.cause());
        assertEquals(Confidence.CERTAIN, d.confidence(), "the registry says it has no swe-fleet/orchestrator");
        assertTrue(d.explanation().contains("registry.underpassai.com/swe-fleet/orchestrator")
                && d.explanation().contains("registry.underpassai.com/swe-ai-fleet/orchestrator"), d.explanation());
        assertTrue(evidenceSays(d, "no repository swe-fleet/orchestrator"), "the registry's answer is evidence");
        Fix.RunbookFix fix = (Fix.RunbookFix) d.fix().orElseThrow();
        assertEquals("redeploy", fix.runbook());
        assertTrue(fix.summary().contains("registry.underpassai.com/swe-ai-fleet/orchestrator:v3.0.0-core-refactor, which the registry has"),
                fix.summary());
        fleet.run(fix);
        fleet.await("orchestrator pulls from swe-ai-fleet/ and is undiagnosed", r -> r.forWorkload(new WorkloadRef("Deployment", "orchestrator")).isEmpty()
                && !pods("orchestrator").isEmpty() && pods("orchestrator").stream().allMatch(p -> CrashLoopDiagnosisTest.ready(p)
                        && p.getSpec().getContainers().get(0).getImage().equals("registry.underpassai.com/swe-ai-fleet/orchestrator:v3.0.0-core-refactor")));
    }

    @Test
    void pendingForAGpuNamesTheResourceAndRollsBackToTheRevisionThatAskedForNone() throws Exception {
        fleet.inject("unschedulable=ray-executor");
        Diagnosis d = fleet.awaitRule("pending-resources", "ray-executor");

        assertEquals("Insufficient nvidia.com/gpu", d.cause());
        assertEquals(PodView.PENDING, d.symptom());
        assertEquals(RunbookSection.PENDING, d.section());
        assertTrue(d.explanation().contains("asks for nvidia.com/gpu 1") && d.explanation().contains("no node has a GPU at all"), d.explanation());
        assertTrue(d.evidence().stream().anyMatch(e -> e.what().startsWith("event FailedScheduling") && e.text().contains("Insufficient nvidia.com/gpu")));
        assertTrue(evidenceSays(d, "sandbox-node-1 allocatable nvidia.com/gpu: none"));

        Fix.RunbookFix fix = (Fix.RunbookFix) d.fix().orElseThrow();
        assertEquals("rollback", fix.runbook());
        fleet.run(fix);
        fleet.await("ray-executor scheduled again and undiagnosed", r -> r.forWorkload(new WorkloadRef("Deployment", "ray-executor")).isEmpty()
                && pods("ray-executor").stream().allMatch(CrashLoopDiagnosisTest::ready));
    }

    @Test
    void pendingForMemoryNamesMemory() throws Exception {
        fleet.inject("unschedulable=ray-executor:memory");
        Diagnosis d = fleet.awaitRule("pending-resources", "ray-executor");
        assertEquals("Insufficient memory", d.cause());
        assertTrue(d.explanation().contains("asks for memory 512Gi"), d.explanation());
        assertTrue(evidenceSays(d, "allocatable memory: 16Gi") || evidenceSays(d, "allocatable memory:"), "the node's memory is shown");
    }

    @Test
    void anUnboundClaimNamesItsMissingStorageClassAndTheCommandsThatRecreateIt() throws Exception {
        fleet.inject("pvc-unbound=neo4j");
        Diagnosis d = fleet.awaitRule("pending-claim", "neo4j");

        assertEquals("pod/neo4j-0", d.subject().label());
        assertTrue(d.explanation().contains("data-neo4j-0") && d.explanation().contains("'fast-ssd'") && d.explanation().contains("standard"),
                d.explanation());
        assertTrue(d.evidence().stream().anyMatch(e -> e.text().equals("storageClassName: fast-ssd")
                && e.source() instanceof EvidenceSource.ObjectField f && f.kind().equals("PersistentVolumeClaim") && f.name().equals("data-neo4j-0")));
        assertEquals(List.of("kubectl delete pvc data-neo4j-0 -n swe-ai-fleet", "kubectl delete pod -n swe-ai-fleet neo4j-0"),
                d.fix().orElseThrow().commands());
        // The commands do what they say: the StatefulSet makes both again, bound.
        fleet.client.persistentVolumeClaims().inNamespace(NS).withName("data-neo4j-0").delete();
        fleet.client.pods().inNamespace(NS).withName("neo4j-0").delete();
        fleet.await("neo4j-0 runs on a bound claim", r -> r.forWorkload(new WorkloadRef("StatefulSet", "neo4j")).isEmpty()
                && pods("neo4j").stream().anyMatch(CrashLoopDiagnosisTest::ready));
    }

    @Test
    void anUntoleratedTaintNamesItAndTheNodesToUntaint() throws Exception {
        fleet.inject("taint=ray-executor");
        Diagnosis d = fleet.awaitRule("pending-taint", "ray-executor");
        assertEquals("Taint not tolerated", d.cause());
        assertTrue(d.explanation().contains("dedicated=gpu") && d.explanation().contains("every node has it"), d.explanation());
        assertTrue(evidenceSays(d, "sandbox-node-1 taint dedicated=gpu:NoSchedule"));
        assertEquals(List.of("kubectl taint nodes sandbox-node-1 dedicated=gpu:NoSchedule-"), d.fix().orElseThrow().commands());
    }

    @Test
    void aNodeSelectorNoNodeMatchesRollsBackToTheRevisionWithoutIt() throws Exception {
        fleet.inject("node-selector=ray-executor");
        Diagnosis d = fleet.awaitRule("pending-node-selector", "ray-executor");
        assertEquals("Node selector matches no node", d.cause());
        assertTrue(d.explanation().contains("accelerator=nvidia-a100"), d.explanation());
        assertTrue(d.evidence().stream().anyMatch(e -> e.text().contains("nodeSelector") && e.source() instanceof EvidenceSource.ObjectField));
        Fix.RunbookFix fix = (Fix.RunbookFix) d.fix().orElseThrow();
        assertEquals("rollback", fix.runbook());
        assertTrue(fix.summary().contains("no such node selector"), fix.summary());
        fleet.run(fix);
        fleet.await("ray-executor without the selector and undiagnosed", r -> r.forWorkload(new WorkloadRef("Deployment", "ray-executor")).isEmpty()
                && pods("ray-executor").stream().allMatch(p -> p.getSpec().getNodeSelector() == null || p.getSpec().getNodeSelector().isEmpty()));
    }

    @Test
    void aFailingReadinessProbeShowsTheProbeAndTheLastFailureAndRollsBackTheChange() throws Exception {
        fleet.inject("readiness=monitoring-dashboard");
        Diagnosis d = fleet.awaitRule("readiness-probe", "monitoring-dashboard");

        assertEquals("Readiness probe failing", d.cause());
        assertEquals(Severity.WARNING, d.severity(), "the old pod still serves");
        assertTrue(d.explanation().contains("http-get :8080/healthz") && d.explanation().contains("statuscode: 404"), d.explanation());
        assertTrue(d.evidence().stream().anyMatch(e -> e.what().startsWith("event Unhealthy") && e.text().startsWith("Readiness probe failed")));
        assertTrue(d.evidence().stream().anyMatch(e -> e.source() instanceof EvidenceSource.PodLog && e.text().contains("GET /healthz")),
                "the service's own log shows the 404s");
        Fix.RunbookFix fix = (Fix.RunbookFix) d.fix().orElseThrow();
        assertEquals("rollback", fix.runbook());
        assertEquals(Optional.of("monitoring-dashboard"), fix.options().service());
        fleet.run(fix);
        fleet.await("monitoring's pods Ready and undiagnosed", r -> r.forWorkload(new WorkloadRef("Deployment", "monitoring-dashboard")).isEmpty()
                && pods("monitoring").stream().allMatch(CrashLoopDiagnosisTest::ready));
    }

    @Test
    void podsLostInANodeRebootAreScaledToZeroAndBack() throws Exception {
        fleet.inject("status-unknown=ray-executor");
        Diagnosis d = fleet.awaitRule("container-status-unknown", "ray-executor");

        assertEquals(PodView.UNKNOWN, d.symptom());
        assertEquals(RunbookSection.NODE_REBOOT, d.section());
        assertTrue(d.explanation().contains("when sandbox-node-1 rebooted"), d.explanation());
        assertTrue(evidenceSays(d, "ContainerStatusUnknown, exit code 137"));
        assertTrue(d.evidence().stream().anyMatch(e -> e.what().startsWith("event Rebooted") && e.source() instanceof EvidenceSource.KubeEvent k
                && k.objectKind().equals("Node") && k.namespace().equals("default")), "the node's Rebooted event");
        Fix.RunbookFix fix = (Fix.RunbookFix) d.fix().orElseThrow();
        assertEquals("scale-cycle", fix.runbook());
        assertEquals(Optional.of("ray-executor"), fix.options().service());
        String lost = d.subject().name();
        fleet.run(fix);
        DiagnosisReport r = fleet.await("ray-executor runs a new pod and is undiagnosed", x -> x.forWorkload(new WorkloadRef("Deployment", "ray-executor"))
                .isEmpty() && pods("ray-executor").stream().allMatch(CrashLoopDiagnosisTest::ready) && !pods("ray-executor").isEmpty());
        assertFalse(pods("ray-executor").stream().anyMatch(p -> p.getMetadata().getName().equals(lost)), "the lost pod is gone");
        assertTrue(r.forPod(lost).isEmpty());
    }

    @Test
    void aJobThatExhaustedItsBackoffLimitShowsItsLastWords() throws Exception {
        fleet.inject("job-backoff=orchestrator");
        Diagnosis d = fleet.awaitRule("job-backoff", "orchestrator-init-councils");

        assertEquals("job/orchestrator-init-councils", d.subject().label());
        assertEquals(RunbookSection.COUNCILS, d.section());
        assertTrue(d.explanation().contains("failed 2 time(s), past its backoff limit of 1"), d.explanation());
        assertTrue(d.evidence().stream().anyMatch(e -> e.text().startsWith("BackoffLimitExceeded")));
        assertTrue(d.evidence().stream().anyMatch(e -> e.source() instanceof EvidenceSource.PodLog && e.text().contains("StatusCode.UNAVAILABLE")),
                "the last try's log says why");
        assertEquals("kubectl delete job orchestrator-init-councils -n swe-ai-fleet", d.fix().orElseThrow().commands().get(1));
    }
}
