package fleet.console.messaging;

import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster's NATS, reached as on a real cluster: a port-forward to the nats pod through the API
 * server, nothing else. The sandbox's fleet declares and has the profile's streams; drift shows a
 * stream made by another job with other limits.
 */
class NatsInClusterTest {

    private static Sandbox sandbox;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withEventTrickle(false).withRegistry(false));
        Assumptions.assumeTrue(sandbox.natsUrl().isPresent(), "nats-server is not installed: sudo apt-get install -y nats-server");
        assertTrue(sandbox.awaitFleetReady(Duration.ofSeconds(60)));
        client = new KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void portForwardToTheNatsPodListsTheFleetsStreamsAndItsServicesDurables() throws Exception {
        try (NatsLink link = NatsLink.open(NatsTarget.InCluster.fleet("swe-ai-fleet"), client, Duration.ofSeconds(5))) {
            JetStreamInventory inventory = new JetStreamInventory(link.management());
            List<StreamRow> streams = inventory.streams();
            assertEquals(List.of("AGENT_REQUESTS", "AGENT_RESPONSES", "CONTEXT", "ORCHESTRATOR_EVENTS", "PLANNING_EVENTS"),
                    streams.stream().map(StreamRow::name).toList());
            List<ConsumerRow> consumers = inventory.allConsumers(streams);
            assertTrue(consumers.stream().anyMatch(c -> c.durable().equals("orch-planning-story-transitions")), consumers.toString());
            assertTrue(consumers.stream().anyMatch(c -> c.durable().equals("context-orch-deliberation-completed")));
            assertTrue(StreamDrift.compare(FleetProfile.defaults(), streams).stream().allMatch(r -> r.kind() == StreamDrift.Kind.SAME));
        }
    }

    @Test
    void streamWithOtherLimitsThanDeclaredIsReportedWithTheDifference() throws Exception {
        try (NatsLink link = NatsLink.open(NatsTarget.InCluster.fleet("swe-ai-fleet"), client, Duration.ofSeconds(5))) {
            // What the nats-box job of the real repository creates: 1 h and 10k messages, and AGENT_COMMANDS.
            try {
                link.management().addStream(StreamConfiguration.builder().name("AGENT_COMMANDS").subjects("agent.cmd.>")
                        .maxAge(Duration.ofHours(1)).maxMessages(10_000).build());
                link.management().updateStream(StreamConfiguration.builder().name("ORCHESTRATOR_EVENTS").subjects("orchestration.>")
                        .maxAge(Duration.ofDays(7)).maxMessages(50_000).build());
                List<StreamDrift.Row> drift = StreamDrift.compare(FleetProfile.defaults(), new JetStreamInventory(link.management()).streams());
                StreamDrift.Row orchestrator = drift.stream().filter(r -> r.stream().equals("ORCHESTRATOR_EVENTS")).findFirst().orElseThrow();
                assertEquals(StreamDrift.Kind.DIFFERENT, orchestrator.kind());
                assertEquals(List.of("max messages: declared 1,000,000, server 50,000"), orchestrator.differences());
                assertEquals(StreamDrift.Kind.EXTRA, drift.stream().filter(r -> r.stream().equals("AGENT_COMMANDS")).findFirst().orElseThrow().kind());
            } finally {
                link.management().deleteStream("AGENT_COMMANDS");
                link.management().updateStream(DeclaredStreams.configOf(FleetProfile.defaults().stream("ORCHESTRATOR_EVENTS").orElseThrow()));
            }
        }
    }

    @Test
    void noNatsPodIsSaidWithWhereToLook() {
        NatsProblem p = org.junit.jupiter.api.Assertions.assertThrows(NatsProblem.class,
                () -> NatsLink.open(NatsTarget.InCluster.fleet("default"), client, Duration.ofSeconds(3)));
        assertEquals(NatsProblem.Kind.NO_NATS_POD, p.kind());
        assertTrue(p.getMessage().contains("namespace default"), p.getMessage());
    }
}
