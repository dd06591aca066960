package fleet.console.sandbox.councils;

import fleet.console.cluster.PortForwards;
import fleet.console.councils.contract.CreateCouncilRequest;
import fleet.console.councils.contract.GetStatusRequest;
import fleet.console.councils.contract.ListCouncilsRequest;
import fleet.console.councils.contract.OrchestratorRpc;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The orchestrator stand-ins of a seeded sandbox, reached the way the console reaches a real cluster:
 * a port-forward to each orchestrator pod's port 50055 through the sandbox's API server, then gRPC.
 */
class OrchestratorStandInTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Sandbox sandbox;
    private static KubernetesClient console;

    @BeforeAll
    static void start() throws InterruptedException {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults());
        assertThat(sandbox.awaitFleetReady(WAIT)).isTrue();
        console = new KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build();
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static List<String> orchestratorPods() {
        return console.pods().withLabel("app", "orchestrator").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> "Running".equals(p.getStatus().getPhase()))
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    /** A call to one pod through a fresh port-forward, closed afterwards. */
    private interface Call<T> {
        T on(OrchestratorRpc.Client client);
    }

    /**
     * Makes the call through the console's own port-forward (loopback, a lost start made again), with a deadline
     * that a full suite's load on two cores does not reach (5 s did once: the channel was still connecting).
     */
    private static <T> T onPod(String pod, Call<T> call) throws Exception {
        try (LocalPortForward forward = PortForwards.open(console, sandbox.namespace(), pod, OrchestratorRpc.PORT)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", forward.getLocalPort()).usePlaintext().build();
            try {
                return call.on(new OrchestratorRpc.Client(channel, Duration.ofSeconds(20)));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> rolesOn(String pod) throws Exception {
        return onPod(pod, c -> c.listCouncils(ListCouncilsRequest.getDefaultInstance()).getCouncilsList().stream()
                .map(i -> i.getRole()).sorted().toList());
    }

    private static void deleteEverywhere() throws Exception {
        for (String pod : orchestratorPods()) {
            for (String role : rolesOn(pod)) {
                onPod(pod, c -> c.deleteCouncil(fleet.console.councils.contract.DeleteCouncilRequest.newBuilder().setRole(role).build()));
            }
        }
    }

    @Test
    void eachOrchestratorPodAnswersForItselfThroughPortForward() throws Exception {
        deleteEverywhere();
        List<String> pods = orchestratorPods();
        assertThat(pods).hasSize(2);
        for (String pod : pods) {
            String status = onPod(pod, c -> c.getStatus(GetStatusRequest.getDefaultInstance()).getStatus());
            assertThat(status).isEqualTo("healthy");
        }
        onPod(pods.get(0), c -> c.createCouncil(CreateCouncilRequest.newBuilder().setRole("DEV").setNumAgents(3).build()));
        assertThat(rolesOn(pods.get(0))).containsExactly("DEV");
        assertThat(rolesOn(pods.get(1))).as("the other replica's memory").isEmpty();
        deleteEverywhere();
    }

    @Test
    void aRestartedOrchestratorPodStartsWithoutCouncils() throws Exception {
        deleteEverywhere();
        List<String> before = orchestratorPods();
        for (String pod : before) {
            onPod(pod, c -> c.createCouncil(CreateCouncilRequest.newBuilder().setRole("QA").setNumAgents(3).build()));
        }
        String restarted = before.get(0);
        console.pods().withName(restarted).delete();
        assertThat(sandbox.await(c -> {
            List<String> now = orchestratorPods();
            return now.size() == 2 && !now.contains(restarted) && c.pods().withLabel("app", "orchestrator").list().getItems().stream()
                    .filter(p -> !p.getMetadata().getName().equals(restarted))
                    .allMatch(OrchestratorStandInTest::ready);
        }, WAIT)).isTrue();
        List<String> after = orchestratorPods();
        String replacement = after.stream().filter(p -> !before.contains(p)).findFirst().orElseThrow();
        assertThat(rolesOn(replacement)).as("a new process has an empty registry").isEmpty();
        assertThat(rolesOn(before.get(1))).as("the replica that kept running keeps its councils").containsExactly("QA");
        deleteEverywhere();
    }

    private static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Test
    void theInitJobReachesOneReplicaThroughTheServiceAndCreatesEveryRole() throws Exception {
        deleteEverywhere();
        Job job = new JobBuilder().withNewMetadata().withName("orchestrator-init-councils").endMetadata()
                .withNewSpec().withBackoffLimit(3).withNewTemplate().withNewSpec().withRestartPolicy("OnFailure")
                .addNewContainer().withName("init-councils").withImage("registry.underpassai.com/swe-ai-fleet/orchestrator-jobs:v1.0.0")
                .withCommand("python", "/app/init_councils.py")
                .addNewEnv().withName("ORCHESTRATOR_ADDRESS").withValue("orchestrator.swe-ai-fleet.svc.cluster.local:50055").endEnv()
                .addNewEnv().withName("NUM_AGENTS_PER_COUNCIL").withValue("3").endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
        console.batch().v1().jobs().resource(job).create();
        assertThat(sandbox.await(c -> complete(c.batch().v1().jobs().withName("orchestrator-init-councils").get()), WAIT)).isTrue();
        Map<String, List<String>> roles = orchestratorPods().stream().collect(Collectors.toMap(p -> p, p -> {
            try {
                return rolesOn(p);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        List<String> all = FleetProfile.defaults().councils().roles().stream().sorted().toList();
        assertThat(roles.values()).as("one replica has them all, the other none: " + roles).containsExactlyInAnyOrder(all, List.of());
        String log = console.pods().withLabel("job-name", "orchestrator-init-councils").list().getItems().stream()
                .map(p -> console.pods().withName(p.getMetadata().getName()).getLog()).collect(Collectors.joining("\n"));
        assertThat(log).contains("Orchestrator ready").contains("Council DEV");
        console.batch().v1().jobs().withName("orchestrator-init-councils").delete();
        deleteEverywhere();
    }

    private static boolean complete(Job job) {
        return job != null && job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions()
                .stream().anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
