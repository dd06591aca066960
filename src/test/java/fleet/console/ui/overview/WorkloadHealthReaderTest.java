package fleet.console.ui.overview;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadHealthReaderTest {

    private static Pod pod(String name, Map<String, String> labels, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewContainerStatus().withName("c").withReady(ready)
                .withRestartCount(0).withNewState().withNewRunning().endRunning().endState().endContainerStatus()
                .endStatus().build();
    }

    private static Pod crashLooping(String name, Map<String, String> labels, int restarts) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewContainerStatus().withName("c").withReady(false)
                .withRestartCount(restarts).withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 5m0s restarting failed container").endWaiting().endState()
                .endContainerStatus().endStatus().build();
    }

    @Test
    void podsAreFoundThroughTheWorkloadsSelectorNotItsName() {
        LabelSelector monitoring = new LabelSelectorBuilder().addToMatchLabels("app", "monitoring").build();
        List<Pod> pods = List.of(pod("monitoring-dashboard-abc", Map.of("app", "monitoring"), true),
                pod("orchestrator-xyz", Map.of("app", "orchestrator"), true));

        assertThat(WorkloadHealthReader.podsOf(monitoring, pods)).extracting(p -> p.getMetadata().getName())
                .containsExactly("monitoring-dashboard-abc");
    }

    @Test
    void matchExpressionsAreHonoured() {
        LabelSelector selector = new LabelSelectorBuilder().addNewMatchExpression().withKey("tier")
                .withOperator("In").withValues("api", "worker").endMatchExpression()
                .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist").endMatchExpression().build();

        assertThat(WorkloadHealthReader.matches(selector, Map.of("tier", "api"))).isTrue();
        assertThat(WorkloadHealthReader.matches(selector, Map.of("tier", "api", "canary", "yes"))).isFalse();
        assertThat(WorkloadHealthReader.matches(selector, Map.of("tier", "db"))).isFalse();
    }

    @Test
    void aWorkloadWithAllReplicasReadyIsHealthy() {
        HealthRow row = WorkloadHealthReader.evaluate("context", "Deployment", 2, 2,
                List.of(pod("context-1", Map.of(), true), pod("context-2", Map.of(), true)));

        assertThat(row.healthy()).isTrue();
        assertThat(row.state()).isEqualTo("Running");
        assertThat(row.readyText()).isEqualTo("2/2");
    }

    @Test
    void aCrashLoopingSurgePodMakesTheWorkloadUnhealthyEvenWhenReadyEqualsDesired() {
        HealthRow row = WorkloadHealthReader.evaluate("orchestrator", "Deployment", 2, 2,
                List.of(pod("orchestrator-old-1", Map.of(), true), pod("orchestrator-old-2", Map.of(), true),
                        crashLooping("orchestrator-new-1", Map.of(), 4)));

        assertThat(row.healthy()).isFalse();
        assertThat(row.state()).isEqualTo("CrashLoopBackOff");
        assertThat(row.detail()).isEqualTo("back-off 5m0s restarting failed container "
                + "(pod orchestrator-new-1, restarted 4 times)");
    }

    @Test
    void missingPodsAreSaidPlainly() {
        HealthRow row = WorkloadHealthReader.evaluate("ray-executor", "Deployment", 1, 0, List.of());

        assertThat(row.healthy()).isFalse();
        assertThat(row.state()).isEqualTo("No pods");
        assertThat(row.detail()).isEqualTo("1 replica wanted, no pod exists");
    }

    @Test
    void podsStillStartingAreNotCalledAProblemState() {
        HealthRow row = WorkloadHealthReader.evaluate("context", "Deployment", 2, 1,
                List.of(pod("context-1", Map.of(), true), pod("context-2", Map.of(), false)));

        assertThat(row.healthy()).isFalse();
        assertThat(row.detail()).contains("context-2");
    }

    @Test
    void aWorkloadScaledToZeroIsHealthyAndSaysSo() {
        HealthRow row = WorkloadHealthReader.evaluate("vllm-server", "Deployment", 0, 0, List.of());

        assertThat(row.healthy()).isTrue();
        assertThat(row.state()).isEqualTo("Scaled to 0");
    }
}
