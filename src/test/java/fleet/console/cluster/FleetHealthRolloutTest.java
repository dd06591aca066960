package fleet.console.cluster;

import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.api.EmulatedApi;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Deployment is healthy only once its rollout is done, as {@code kubectl rollout status} says it: every
 * pod of the new template and no pod of an old one left. An old pod still serving must not hide a new one
 * that has not started (seen in a full CI run: the health runbook passed while ray-executor's new pod,
 * with a mistyped image tag, was still Pending and its old pod Running).
 */
class FleetHealthRolloutTest {

    private static final String NS = "rollout-health";
    private static final String OLD_IMAGE = "registry.local/ray-executor:v3.0.0";
    private static final String NEW_IMAGE = "registry.local/ray-executor:v3.0.0-typo";
    private static EmulatedApi api;

    @BeforeAll
    static void apiServer() {
        api = EmulatedApi.withNamespace(NS);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static Pod pod(String name, String image, boolean running) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).addToLabels("app", "ray-executor").endMetadata()
                .withNewSpec().addNewContainer().withName("ray-executor").withImage(image).endContainer().endSpec();
        if (running) {
            return pod.withNewStatus().withPhase("Running")
                    .addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .addToContainerStatuses(new ContainerStatusBuilder().withName("ray-executor").withImage(image).withReady(true)
                            .withRestartCount(0).withNewState().withNewRunning().withStartedAt("2026-11-28T01:00:00Z").endRunning().endState()
                            .build())
                    .endStatus().build();
        }
        // Just made: not yet given to the kubelet's image pull, so no container status says anything is wrong.
        return pod.withNewStatus().withPhase("Pending").endStatus().build();
    }

    /** ray-executor as its controller would report it: {@code total} pods, {@code updated} of the new template, {@code ready} ready. */
    private static void deployment(int total, int updated, int ready) {
        Deployment d = api.client().apps().deployments().inNamespace(NS).withName("ray-executor").get();
        if (d == null) {
            d = api.client().apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                    .withNewMetadata().withName("ray-executor").withNamespace(NS).endMetadata()
                    .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "ray-executor").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "ray-executor").endMetadata()
                    .withNewSpec().addNewContainer().withName("ray-executor").withImage(NEW_IMAGE).endContainer().endSpec()
                    .endTemplate().endSpec().build()).create();
        }
        d.setStatus(new DeploymentStatusBuilder().withReplicas(total).withUpdatedReplicas(updated).withReadyReplicas(ready)
                .withAvailableReplicas(ready).build());
        api.client().apps().deployments().inNamespace(NS).resource(d).updateStatus();
    }

    private static WorkloadHealth rayExecutor() {
        return FleetHealth.read(api.client(), NS, FleetProfile.defaults()).stream()
                .filter(w -> w.name().equals("ray-executor")).findFirst().orElseThrow();
    }

    @Test
    void anOldPodStillServingDoesNotMakeARolloutWhoseNewPodHasNotStartedHealthy() {
        api.client().pods().inNamespace(NS).resource(pod("ray-executor-old", OLD_IMAGE, true)).create();
        api.client().pods().inNamespace(NS).resource(pod("ray-executor-new", NEW_IMAGE, false)).create();
        deployment(2, 1, 1);

        WorkloadHealth during = rayExecutor();
        assertThat(during.healthy()).as(during.toString()).isFalse();
        assertThat(during.state()).isEqualTo("Rolling out");
        assertThat(during.detail()).isEqualTo("1 pod of the old template still running, 1 of 1 ready");

        // The new pod runs and the old one is gone: done.
        api.client().pods().inNamespace(NS).withName("ray-executor-old").delete();
        api.client().pods().inNamespace(NS).resource(pod("ray-executor-new", NEW_IMAGE, true)).update();
        deployment(1, 1, 1);
        WorkloadHealth after = rayExecutor();
        assertThat(after.healthy()).as(after.toString()).isTrue();
        assertThat(after.state()).isEqualTo("Running");
    }
}
