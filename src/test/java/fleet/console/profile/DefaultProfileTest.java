package fleet.console.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DefaultProfileTest {

    private final FleetProfile defaults = FleetProfile.defaults();

    @Test
    void defaultsOperateTheSweAiFleetNamespace() {
        assertEquals("swe-ai-fleet", defaults.namespace());
        assertEquals("built-in defaults", defaults.source());
    }

    @Test
    void defaultsDeclareTheFiveStreamsTheRunbooksResetRecreates() {
        assertEquals(List.of("PLANNING_EVENTS", "AGENT_REQUESTS", "AGENT_RESPONSES", "CONTEXT", "ORCHESTRATOR_EVENTS"),
                defaults.streams().stream().map(StreamSpec::name).toList());
        assertEquals(List.of("planning.>"), defaults.stream("PLANNING_EVENTS").orElseThrow().subjects());
        assertEquals(List.of("agent.request.>"), defaults.stream("AGENT_REQUESTS").orElseThrow().subjects());
        assertEquals(List.of("agent.response.>"), defaults.stream("AGENT_RESPONSES").orElseThrow().subjects());
        assertEquals(List.of("context.>"), defaults.stream("CONTEXT").orElseThrow().subjects());
        assertEquals(List.of("orchestration.>"), defaults.stream("ORCHESTRATOR_EVENTS").orElseThrow().subjects());
    }

    @Test
    void everyDefaultStreamKeepsSevenDaysAndAMillionMessagesOnFile() {
        for (StreamSpec stream : defaults.streams()) {
            assertEquals(Duration.ofDays(7), stream.maxAge(), stream.name());
            assertEquals(1_000_000, stream.maxMsgs(), stream.name());
            assertEquals(-1, stream.maxBytes(), stream.name());
            assertEquals(StreamSpec.Retention.LIMITS, stream.retention(), stream.name());
            assertEquals(StreamSpec.Storage.FILE, stream.storage(), stream.name());
            assertEquals(StreamSpec.Discard.OLD, stream.discard(), stream.name());
            assertEquals(1, stream.replicas(), stream.name());
        }
    }

    @Test
    void defaultsDescribeTheRunbooksWorkloads() {
        assertEquals(List.of("nats", "neo4j", "valkey", "orchestrator", "context", "ray-executor", "monitoring-dashboard"),
                defaults.services().stream().map(ServiceSpec::name).toList());
        for (String stateful : List.of("nats", "neo4j", "valkey")) {
            assertEquals(WorkloadKind.STATEFULSET, defaults.service(stateful).orElseThrow().kind(), stateful);
        }
        for (String deployment : List.of("orchestrator", "context", "ray-executor", "monitoring-dashboard")) {
            assertEquals(WorkloadKind.DEPLOYMENT, defaults.service(deployment).orElseThrow().kind(), deployment);
        }
    }

    @Test
    void natsIsAPublicImageListeningOnTheClientPort() {
        ServiceSpec nats = defaults.service("nats").orElseThrow();
        assertEquals("docker.io/library/nats:2.10-alpine", defaults.imageFor(nats));
        assertEquals(OptionalInt.of(4222), nats.port());
        assertFalse(nats.natsConsumers());
    }

    @Test
    void orchestratorContextAndMonitoringMustBeScaledToZeroBeforeRedeploy() {
        assertEquals(List.of("orchestrator", "context", "monitoring-dashboard"),
                defaults.servicesWithNatsConsumers().stream().map(ServiceSpec::name).toList());
    }

    @Test
    void rayExecutorHasNoNatsConsumersSoARollingUpdateIsSafe() {
        ServiceSpec rayExecutor = defaults.service("ray-executor").orElseThrow();
        assertFalse(rayExecutor.natsConsumers());
        assertEquals(1, rayExecutor.replicas());
        assertEquals(OptionalInt.of(50056), rayExecutor.port());
        assertTrue(rayExecutor.durables().isEmpty());
    }

    @Test
    void orchestratorAndContextRunTwoReplicasWhichARedeployMustRestore() {
        ServiceSpec orchestrator = defaults.service("orchestrator").orElseThrow();
        ServiceSpec context = defaults.service("context").orElseThrow();
        assertEquals(2, orchestrator.replicas());
        assertEquals(2, context.replicas());
        assertEquals(OptionalInt.of(50055), orchestrator.port());
        assertEquals(OptionalInt.of(50054), context.port());
    }

    @Test
    void monitoringDashboardRunsContainerMonitoringOnPort8080() {
        ServiceSpec monitoring = defaults.service("monitoring-dashboard").orElseThrow();
        assertEquals("monitoring", monitoring.container());
        assertEquals(OptionalInt.of(8080), monitoring.port());
        assertTrue(monitoring.natsConsumers());
        assertEquals(List.of("monitoring-dashboard"), monitoring.durables());
    }

    @Test
    void orchestratorDeploysTheRunbooksTagFromTheFleetsRegistry() {
        ServiceSpec orchestrator = defaults.service("orchestrator").orElseThrow();
        assertEquals("registry.underpassai.com/swe-ai-fleet/orchestrator:v3.0.0-core-refactor",
                defaults.imageFor(orchestrator));
        assertTrue(defaults.registry().holds(orchestrator.image()));
    }

    @Test
    void orchestratorStartupIsRecognisedByTheRunbooksExpectedLogLines() {
        assertEquals(List.of("NATS handler connected", "DeliberationResultCollector started",
                        "All NATS consumers started", "Orchestrator Service listening on port 50055"),
                defaults.service("orchestrator").orElseThrow().startupLines());
        for (ServiceSpec service : defaults.services()) {
            assertFalse(service.startupLines().isEmpty(), service.name() + " has no startup lines");
        }
    }

    @Test
    void registryPushesUnderSweAiFleetAndDoesNotHoldTheOldSweFleetPath() {
        RegistrySpec registry = defaults.registry();
        assertEquals(new RegistrySpec("registry.underpassai.com", "swe-ai-fleet", false), registry);
        assertEquals("registry.underpassai.com/swe-ai-fleet/context", registry.repositoryFor("context"));
        assertFalse(registry.holds("registry.underpassai.com/swe-fleet/context"));
    }

    @Test
    void defaultCouncilsAreTheFiveRolesWithThreeAgentsOnTheSmallQwenModel() {
        assertEquals(new CouncilSpec(List.of("DEV", "QA", "ARCHITECT", "DEVOPS", "DATA"), 3,
                "Qwen/Qwen2.5-0.5B-Instruct"), defaults.councils());
    }

    @Test
    void defaultsAreReadOnceAndShared() {
        assertTrue(FleetProfile.defaults() == FleetProfile.defaults());
    }
}
