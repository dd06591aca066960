package fleet.console.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox pulls from its own registry like a kubelet: a deployment set to a tag the console
 * pushed there runs, one set to a tag never pushed shows ImagePullBackOff.
 */
@Timeout(180)
class SandboxImagePullTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NS = "images";

    @TempDir
    static Path dir;

    private static Sandbox sandbox;
    private static KubernetesClient client;
    private static BuildResult pushed;

    @BeforeAll
    static void startSandboxAndPush() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults());
        client = sandbox.client();
        if (sandbox.registryHost().isEmpty()) {
            return;
        }
        String host = sandbox.registryHost().orElseThrow();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        ImageBuilder builder = ImageBuilder.builder().insecureRegistries(Set.of(host)).cacheDirectory(dir.resolve("cache"))
                .build();
        ServiceTree tree = ServiceTree.create(dir.resolve("tree"), 3, 300);
        builder.build(BuildRequest.push("demo-base", ServiceTree.baseSpec(), tree.root, host + "/demo-base", "v1.0.0"), p -> { });
        pushed = builder.build(BuildRequest.push("demo", tree.spec(host + "/demo-base:v1.0.0"), tree.root, host + "/demo",
                "v1.0.0"), p -> { });
    }

    @AfterAll
    static void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static void assumeRegistry() {
        Assumptions.assumeTrue(sandbox.registryHost().isPresent(), ImageBuildTest.INSTALL_HINT);
    }

    private static Deployment deployment(String name, String image) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private static List<Pod> pods(String app) {
        return client.pods().inNamespace(NS).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static boolean runningAndReady(Pod pod) {
        return "Running".equals(pod.getStatus().getPhase()) && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean waitingFor(Pod pod, String reason) {
        return pod.getStatus().getContainerStatuses() != null && pod.getStatus().getContainerStatuses().stream()
                .anyMatch(c -> c.getState().getWaiting() != null && reason.equals(c.getState().getWaiting().getReason()));
    }

    private static void await(String what, Predicate<KubernetesClient> condition) throws InterruptedException {
        assertTrue(sandbox.await(condition, WAIT), "timed out waiting until " + what);
    }

    @Test
    void aDeploymentSetToAPushedTagRuns() throws Exception {
        assumeRegistry();
        client.apps().deployments().inNamespace(NS).resource(deployment("demo-pushed", pushed.image())).create();

        await(pushed.image() + " runs", c -> pods("demo-pushed").stream().anyMatch(SandboxImagePullTest::runningAndReady));
    }

    @Test
    void aDeploymentPinnedToThePushedDigestRuns() throws Exception {
        assumeRegistry();
        client.apps().deployments().inNamespace(NS).resource(deployment("demo-pinned", pushed.pinned())).create();

        await(pushed.pinned() + " runs", c -> pods("demo-pinned").stream().anyMatch(SandboxImagePullTest::runningAndReady));
    }

    @Test
    void aDeploymentSetToATagNeverPushedShowsImagePullBackOff() throws Exception {
        assumeRegistry();
        String unpushed = pushed.repository() + ":v9.9.9";
        client.apps().deployments().inNamespace(NS).resource(deployment("demo-unpushed", unpushed)).create();

        await(unpushed + " is in ImagePullBackOff", c -> pods("demo-unpushed").stream()
                .anyMatch(p -> waitingFor(p, "ImagePullBackOff")));
        assertTrue(pods("demo-unpushed").stream().noneMatch(SandboxImagePullTest::runningAndReady));
    }
}
