package fleet.console.bench;

import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.profile.FleetProfile;
import fleet.console.runbook.RunContext;
import fleet.console.runbook.RunOptions;
import fleet.console.runbook.RunRecord;
import fleet.console.runbook.RunStore;
import fleet.console.runbook.Runbook;
import fleet.console.runbook.RunbookEngine;
import fleet.console.runbook.Runbooks;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.sandbox.process.ScratchDir;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The runbooks' speed on the sandbox, end to end as an operator runs them: the NATS clean slate (the
 * runbook's own procedure sleeps 10 s before it deletes anything) and a safe redeploy of orchestrator
 * (2 replicas, NATS consumers) with {@code --skip-build}. Printed as {@code name value unit (target)}.
 */
public final class RunbookBenchmark {

    private static final String NS = "swe-ai-fleet";

    private RunbookBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        try (Sandbox sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withRegistry(false))) {
            if (sandbox.natsUrl().isEmpty()) {
                System.out.println("runbook.* skipped: nats-server is not installed (sudo apt-get install -y nats-server)");
                return;
            }
            if (!sandbox.awaitFleetReady(Duration.ofSeconds(90))) {
                System.out.println("runbook.* skipped: the sandbox's fleet did not become ready");
                return;
            }
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build()) {
                Path state = ScratchDir.create("runbook-bench").path();
                List<Long> slate = new ArrayList<>();
                List<Long> redeploy = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    slate.add(time(client, state, "nats-clean-slate", RunOptions.none().withYes(true)));
                    sandbox.awaitFleetReady(Duration.ofSeconds(60));
                    redeploy.add(time(client, state, "redeploy", RunOptions.none().withService("orchestrator").withSkipBuild(true)
                            .withTag("v3.0." + (10 + i) + "-bench")));
                    sandbox.awaitFleetReady(Duration.ofSeconds(60));
                }
                System.out.printf("runbook.nats_clean_slate %d ms (target < 10000; the runbook sleeps 10000 before it starts) %s%n",
                        median(slate), slate);
                System.out.printf("runbook.redeploy_skip_build %d ms (target < 8000; orchestrator, 2 replicas, safe path) %s%n",
                        median(redeploy), redeploy);
            }
        }
    }

    private static long time(KubernetesClient client, Path state, String name, RunOptions options) throws Exception {
        RunContext ctx = new RunContext(client, "sandbox", NS, FleetProfile.defaults(), options,
                () -> NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(5)), e -> { }, Clock.systemUTC());
        long t0 = System.nanoTime();
        Runbook rb = Runbooks.named(name).orElseThrow().planner().plan(ctx);
        RunRecord r = new RunbookEngine(new RunStore(state), e -> { }, Clock.systemUTC()).run(rb, ctx, e -> { });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (r.status() != RunRecord.Status.SUCCEEDED) {
            throw new IllegalStateException(name + " did not succeed: " + r.reason().orElse(""));
        }
        return ms;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
