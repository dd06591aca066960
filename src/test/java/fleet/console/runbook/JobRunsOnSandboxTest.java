package fleet.console.runbook;

import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job run as the runbook runs it (delete, create, wait for Complete), with its log in the run's tail
 * down to the last line: a job that prints its summary and exits at once must not lose the summary to
 * the moment between "the job is complete" and "its log stream was read to the end".
 */
class JobRunsOnSandboxTest {

    private static final String NS = "swe-ai-fleet";
    private static Sandbox sandbox;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withEmpty(true).withNats(false).withRegistry(false));
        client = new KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build();
        if (client.namespaces().withName(NS).get() == null) {
            client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(NS)
                    .endMetadata().build()).create();
        }
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

    private static Job job(String script) {
        return new JobBuilder().withNewMetadata().withName("summary-job").withNamespace(NS).endMetadata()
                .withNewSpec().withBackoffLimit(0).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("busybox:1.36").withCommand("sh", "-c", script).endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    private static RunContext context(List<String> log) {
        RunContext ctx = new RunContext(client, "sandbox", NS, FleetProfile.defaults(), RunOptions.none(),
                () -> {
                    throw new IllegalStateException("this job needs no NATS");
                }, e -> { }, Clock.systemUTC());
        ctx.attach(log::add, p -> { }, () -> { });
        ctx.deadline(Clock.systemUTC().instant().plus(Duration.ofSeconds(60)));
        return ctx;
    }

    @Test
    void theLineAJobWritesAsItExitsReachesTheTailEveryTime() throws Exception {
        // The sandbox's stream jobs write their summary in the same moment they exit, as the fleet's do:
        // the job turns Complete while that line is still on its way.
        Job streams = new JobBuilder(job("true")).editMetadata().withName("nats-delete-streams").endMetadata().build();
        for (int i = 1; i <= 8; i++) {
            List<String> log = new CopyOnWriteArrayList<>();
            JobRuns.run(context(log), streams);
            assertEquals(1, log.stream().filter(l -> l.contains("no streams changed")).count(), "run " + i
                    + ": the job's last line was followed, once: " + log);
            if (i > 1) {
                assertTrue(log.contains("old job nats-delete-streams deleted"), "run " + i + ": the previous run's job was replaced: " + log);
            }
        }
    }

    @Test
    void onASlowApiServerTheLogStreamThatAnswersAfterTheJobIsCompleteIsStillReadToTheEnd() throws Exception {
        // Every answer 300 ms late: the job completes before its pod's log stream has said its first word.
        sandbox.inject(fleet.console.sandbox.Fault.parse("api-slow=300"));
        try {
            List<String> log = new CopyOnWriteArrayList<>();
            JobRuns.run(context(log), job("echo Created: 5; exit 0"));
            assertTrue(log.contains("Created: 5"), "the summary line was followed: " + log);
        } finally {
            sandbox.clear(fleet.console.sandbox.Fault.parse("api-slow=300"));
        }
    }

    @Test
    void aFailingJobFailsTheStepWithItsReasonAndItsLogIsKept() {
        List<String> log = new CopyOnWriteArrayList<>();
        StepFailure failure = assertThrows(StepFailure.class, () -> JobRuns.run(context(log), job("echo cannot reach nats; exit 3")));
        assertTrue(failure.getMessage().contains("summary-job failed"), failure.getMessage());
        assertTrue(log.contains("cannot reach nats"), "the failing job's last words are in the tail: " + log);
    }
}
