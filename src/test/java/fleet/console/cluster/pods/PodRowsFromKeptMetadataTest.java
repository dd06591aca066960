package fleet.console.cluster.pods;

import fleet.console.sandbox.api.EmulatedApi;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pods informer keeps only each pod's metadata ({@link fleet.console.cluster.events.KeptMetadata}); the rows
 * stay whole and right:
 * made from each full pod as it arrives, and given their Deployment when its ReplicaSet appears after
 * them, from what the cache kept.
 */
class PodRowsFromKeptMetadataTest {

    private static final String NS = "skeletons";
    private static final Duration WAIT = Duration.ofSeconds(30);

    static Pod pod(String name, String replicaSet) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withUid(name + "-uid").withResourceVersion("7")
                .addToLabels("app", "worker").withCreationTimestamp("2026-01-15T09:00:00Z")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(replicaSet).withController(true)
                .endOwnerReference().endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("worker").withImage("registry.local/worker:1.0")
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withContainerStatuses(new ContainerStatusBuilder().withName("worker").withReady(true).withRestartCount(0)
                        .withImage("registry.local/worker:1.0").withNewState().withNewRunning().withStartedAt("2026-01-15T09:00:05Z")
                        .endRunning().endState().build())
                .endStatus().build();
    }

    @Test
    void rowsAreMadeFromWholePodsAndFindTheirDeploymentWhenItsReplicaSetComesAfterThem() throws Exception {
        try (EmulatedApi api = EmulatedApi.withNamespace(NS)) {
            KubernetesClient client = api.client();
            client.pods().inNamespace(NS).resource(pod("worker-1", "worker-5f")).create();
            WatchedRows rows = new WatchedRows();
            try (PodWatch watch = PodWatch.start(client, NS, rows)) {
                // No ReplicaSet yet: the pod's owner as it is, and everything the row shows from the whole pod.
                assertTrue(rows.await(r -> r.size() == 1, WAIT), "the pod's row arrives");
                PodRow first = rows.rows().get(0);
                assertEquals(new WorkloadRef("ReplicaSet", "worker-5f"), first.workload());
                assertEquals("Running", first.status());
                assertEquals("1/1", first.readyText());
                assertEquals("node-1", first.node());
                assertEquals(List.of("registry.local/worker:1.0"), first.images());

                // The ReplicaSet arrives, owned by its Deployment: the row is made again from what the cache kept.
                client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder().withNewMetadata().withName("worker-5f")
                        .withNamespace(NS).addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("worker")
                        .withController(true).endOwnerReference().endMetadata()
                        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "worker").endSelector()
                        .withNewTemplate().withNewMetadata().addToLabels("app", "worker").endMetadata().withNewSpec()
                        .addNewContainer().withName("worker").withImage("registry.local/worker:1.0").endContainer().endSpec()
                        .endTemplate().endSpec().build()).create();
                assertTrue(rows.await(r -> r.size() == 1 && r.get(0).workload().equals(new WorkloadRef("Deployment", "worker")), WAIT),
                        "the row names its Deployment: " + rows.rows());
                PodRow again = rows.rows().get(0);
                assertEquals(first.withWorkload(new WorkloadRef("Deployment", "worker")), again, "only the workload changed");

                // A change of the pod comes whole again: its new state, under its Deployment.
                Pod crashing = client.pods().inNamespace(NS).withName("worker-1").get();
                crashing.getStatus().getConditions().get(0).setStatus("False");
                crashing.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("worker").withReady(false)
                        .withRestartCount(3).withImage("registry.local/worker:1.0").withNewState().withNewWaiting()
                        .withReason("CrashLoopBackOff").endWaiting().endState().withNewLastState().withNewTerminated()
                        .withExitCode(1).withReason("Error").withStartedAt("2026-01-15T09:10:00Z").withFinishedAt("2026-01-15T09:10:02Z")
                        .endTerminated().endLastState().build()));
                client.pods().inNamespace(NS).resource(crashing).updateStatus();
                assertTrue(rows.await(r -> r.size() == 1 && r.get(0).status().equals("CrashLoopBackOff"), WAIT),
                        "the crash shows: " + rows.rows());
                PodRow crashed = rows.rows().get(0);
                assertEquals(3, crashed.restarts());
                assertEquals(new WorkloadRef("Deployment", "worker"), crashed.workload());
                assertEquals("0/1", crashed.readyText());
            }
        }
    }
}
