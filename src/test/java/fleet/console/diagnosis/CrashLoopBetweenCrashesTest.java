package fleet.console.diagnosis;

import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.api.EmulatedApi;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A crash-looping pod caught between two crashes is Running again, its restarts climbing, and still a
 * crash loop; a pod that restarted once at start-up, or that runs Ready again, is not.
 * The pods are written as an API server holds them (no kubelet moves them on), so each moment is exact.
 */
class CrashLoopBetweenCrashesTest {

    private static final String NS = "crash-between";
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static EmulatedApi api;
    private static KubernetesClient client;

    @BeforeAll
    static void apiServer() {
        api = EmulatedApi.withNamespace(NS);
        client = api.client();
        pods();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    /** A pod whose one container runs again, since a second after its last run ended {@code exitedAgo} with this code. */
    private static Pod pod(String name, boolean ready, int restarts, int exitCode, String reason, Duration exitedAgo) {
        Instant finished = NOW.minus(exitedAgo);
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).withCreationTimestamp(NOW.minus(Duration.ofMinutes(30)).toString()).endMetadata()
                .withNewSpec().withRestartPolicy("Always").addNewContainer().withName("app").withImage("registry.local/app:v1").endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").withLastTransitionTime(finished.toString()).endCondition()
                .addToContainerStatuses(new ContainerStatusBuilder().withName("app").withImage("registry.local/app:v1").withReady(ready)
                        .withRestartCount(restarts)
                        .withNewState().withNewRunning().withStartedAt(finished.plusSeconds(1).toString()).endRunning().endState()
                        .withNewLastState().withNewTerminated().withExitCode(exitCode).withReason(reason)
                        .withStartedAt(finished.minusSeconds(2).toString()).withFinishedAt(finished.toString()).endTerminated().endLastState()
                        .build())
                .endStatus().build();
    }

    private static void backOff(String pod) {
        client.v1().events().inNamespace(NS).resource(new EventBuilder()
                .withNewMetadata().withName(pod + ".backoff").withNamespace(NS).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace(NS).withFieldPath("spec.containers{app}").endInvolvedObject()
                .withType("Warning").withReason("BackOff").withCount(1).withLastTimestamp(NOW.minusSeconds(20).toString())
                .withMessage("Back-off restarting failed container app in pod " + pod + "_" + NS + "(1234)")
                .build()).create();
    }

    private static Optional<String> symptomOf(String name) {
        Observations o = Observations.read(client, NS, FleetProfile.defaults(), DiagnosisOptions.defaults(), NOW, p -> true, false,
                NatsSource.none("no NATS in this test"), RegistryLookup.none());
        return o.pods().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().symptom();
    }

    private static void pods() {
        for (Pod p : new Pod[]{
                pod("looping-unready", false, 4, 1, "Error", Duration.ofSeconds(3)),
                pod("ready-again-just-now", true, 5, 1, "Error", Duration.ofSeconds(10)),
                pod("recovered-long-ago", true, 3, 1, "Error", Duration.ofMinutes(10)),
                pod("one-startup-restart", false, 1, 1, "Error", Duration.ofSeconds(3)),
                pod("first-restart-backed-off", false, 1, 1, "Error", Duration.ofSeconds(3)),
                pod("restarted-cleanly", false, 4, 0, "Completed", Duration.ofSeconds(3))}) {
            client.pods().inNamespace(NS).resource(p).create();
        }
        backOff("first-restart-backed-off");
    }

    @Test
    void aContainerRunningAgainUnreadyAfterRepeatedCrashesIsACrashLoop() {
        assertEquals(Optional.of(PodView.CRASH), symptomOf("looping-unready"));
    }

    @Test
    void aContainerReadyAgainAfterCrashesHasRecovered() {
        // A service that crashed while NATS was down and connected on its next start: Running, Ready, restarts
        // climbing a moment ago. Calling it a crash loop would be a false alarm on every recovery.
        assertEquals(Optional.empty(), symptomOf("ready-again-just-now"));
        assertEquals(Optional.empty(), symptomOf("recovered-long-ago"));
    }

    @Test
    void oneRestartIsAStartUpHiccupUnlessTheKubeletBackedOff() {
        assertEquals(Optional.empty(), symptomOf("one-startup-restart"));
        assertEquals(Optional.of(PodView.CRASH), symptomOf("first-restart-backed-off"));
    }

    @Test
    void aCleanExitIsNotACrash() {
        assertEquals(Optional.empty(), symptomOf("restarted-cleanly"));
    }
}
