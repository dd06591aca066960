package fleet.console.cluster.pods;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pod as a table row: the real reason kubectl's STATUS column would show, and the workload by owner references. */
class PodRowsTest {

    private static final Function<OwnerReference, Optional<WorkloadRef>> NO_OWNERS = o -> Optional.empty();

    private static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("swe-ai-fleet").withUid("uid-" + name)
                .withCreationTimestamp("2025-03-01T10:00:00Z").withResourceVersion("7").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry/app:v1").endContainer().withNodeName("node-1").endSpec();
    }

    private static OwnerReference owner(String kind, String name) {
        return new OwnerReferenceBuilder().withKind(kind).withName(name).withUid("uid-" + name).withController(true).build();
    }

    @Test
    void crashLoopAfterAnOutOfMemoryKillShowsOomKilledAsTheReason() {
        Pod p = pod("ray-executor-abc").editStatus().withPhase("Running").addToContainerStatuses(new ContainerStatusBuilder()
                .withName("app").withReady(false).withRestartCount(4)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 40s restarting failed container").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .withStartedAt("2025-03-01T10:05:00Z").withFinishedAt("2025-03-01T10:05:09Z").endTerminated().endLastState()
                .build()).endStatus().build();
        PodRow row = PodRows.of(p, NO_OWNERS);
        assertEquals("CrashLoopBackOff", row.status());
        assertEquals("OOMKilled (exit code 137)", row.reason());
        assertTrue(row.problem());
        assertEquals(4, row.restarts());
        assertEquals(Optional.of(Instant.parse("2025-03-01T10:05:09Z")), row.lastRestart());
        assertEquals("0/1", row.readyText());
    }

    @Test
    void pendingPodCarriesTheSchedulersMessage() {
        Pod p = pod("vllm-abc").editSpec().withNodeName(null).endSpec().editOrNewStatus().withPhase("Pending").addNewCondition()
                .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/1 nodes are available: 1 Insufficient nvidia.com/gpu.").endCondition().endStatus().build();
        PodRow row = PodRows.of(p, NO_OWNERS);
        assertEquals("Pending", row.status());
        assertEquals("0/1 nodes are available: 1 Insufficient nvidia.com/gpu.", row.reason());
        assertTrue(row.problem());
        assertEquals("", row.node());
    }

    @Test
    void containerLostWithItsNodeShowsContainerStatusUnknown() {
        Pod p = pod("context-abc").editStatus().withPhase("Running").addToContainerStatuses(new ContainerStatusBuilder().withName("app")
                .withNewState().withNewTerminated().withReason("ContainerStatusUnknown").withExitCode(137)
                .withMessage("The container could not be located when the pod was terminated").endTerminated().endState().build())
                .endStatus().build();
        PodRow row = PodRows.of(p, NO_OWNERS);
        assertEquals("ContainerStatusUnknown", row.status());
        assertTrue(row.problem());
        assertEquals("The container could not be located when the pod was terminated", row.reason());
    }

    @Test
    void deletedPodIsTerminatingAndAFinishedJobPodCompleted() {
        Pod terminating = pod("context-abc").editMetadata().withDeletionTimestamp("2025-03-01T11:00:00Z").endMetadata()
                .editOrNewStatus().withPhase("Running").endStatus().build();
        assertEquals("Terminating", PodRows.of(terminating, NO_OWNERS).status());
        Pod done = pod("nats-init-streams-xyz").editOrNewStatus().withPhase("Succeeded").addToContainerStatuses(new ContainerStatusBuilder()
                .withName("app").withNewState().withNewTerminated().withReason("Completed").withExitCode(0).endTerminated().endState().build())
                .endStatus().build();
        PodRow row = PodRows.of(done, NO_OWNERS);
        assertEquals("Completed", row.status());
        assertFalse(row.problem());
    }

    @Test
    void failingInitContainerShowsAsInitCrashLoopBackOff() {
        Pod p = pod("orchestrator-abc").editOrNewStatus().withPhase("Pending").addToInitContainerStatuses(new ContainerStatusBuilder()
                .withName("wait-for-nats").withRestartCount(2).withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1).endTerminated().endLastState().build())
                .endStatus().build();
        PodRow row = PodRows.of(p, NO_OWNERS);
        assertEquals("Init:CrashLoopBackOff", row.status());
        assertTrue(row.problem());
        assertEquals("init container wait-for-nats: Error (exit code 1)", row.reason());
    }

    @Test
    void workloadIsTheDeploymentBehindTheReplicaSetNotAGuessFromLabels() {
        Pod p = pod("monitoring-dashboard-7d9-x1").editMetadata().addToLabels("app", "monitoring")
                .withOwnerReferences(owner("ReplicaSet", "monitoring-dashboard-7d9")).endMetadata().build();
        var rs = new ReplicaSetBuilder().withNewMetadata().withName("monitoring-dashboard-7d9")
                .withOwnerReferences(owner("Deployment", "monitoring-dashboard")).endMetadata().build();
        PodRow row = PodRows.of(p, o -> o.getName().equals("monitoring-dashboard-7d9") ? Optional.of(PodRows.workloadOfReplicaSet(rs)) : Optional.empty());
        assertEquals(new WorkloadRef("Deployment", "monitoring-dashboard"), row.workload());
        assertEquals("deployment/monitoring-dashboard", row.workload().kubectlName());
    }

    @Test
    void ownerThatCannotBeResolvedIsShownAsItIsAndAPodWithoutOwnerIsItsOwnWorkload() {
        Pod owned = pod("orchestrator-5d-x").editMetadata().withOwnerReferences(owner("ReplicaSet", "orchestrator-5d")).endMetadata().build();
        assertEquals(new WorkloadRef("ReplicaSet", "orchestrator-5d"), PodRows.of(owned, NO_OWNERS).workload());
        Pod statefulSet = pod("nats-0").editMetadata().withOwnerReferences(owner("StatefulSet", "nats")).endMetadata().build();
        assertEquals(new WorkloadRef("StatefulSet", "nats"), PodRows.of(statefulSet, NO_OWNERS).workload());
        PodRow bare = PodRows.of(pod("debug").build(), NO_OWNERS);
        assertEquals(WorkloadRef.none("debug"), bare.workload());
        assertEquals("node-1", bare.node());
        assertEquals(java.util.List.of("registry/app:v1"), bare.images());
        assertEquals(Instant.parse("2025-03-01T10:00:00Z"), bare.created());
    }
}
