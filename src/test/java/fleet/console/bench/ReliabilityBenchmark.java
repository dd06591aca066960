package fleet.console.bench;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.pods.PodRow;
import fleet.console.cluster.pods.PodWatch;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Figures for issue 11 (targets: stale under 5 s after the API goes down, fresh under 5 s after it
 * returns): a live pod watch on the sandbox through the console's own client, the API server taken away
 * for OUTAGE seconds, RUNS times; then the time to list the namespace's pods with each answer delayed
 * ({@code api-slow}). Prints {@code key=value} lines.
 */
public final class ReliabilityBenchmark {

    private ReliabilityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int outage = 4;
        try (Sandbox sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withNats(false).withRegistry(false))) {
            if (!sandbox.awaitFleetReady(Duration.ofSeconds(120))) {
                throw new IllegalStateException("the sandbox's fleet did not come up");
            }
            String ns = sandbox.namespace();
            try (ClusterSession session = ClusterConnector.withDefaultTimeout().connect(sandbox.clientConfig(), Sandbox.CONTEXT_NAME, ns, true)) {
                LinkedBlockingQueue<long[]> changes = new LinkedBlockingQueue<>();
                CompletableFuture<Void> listed = new CompletableFuture<>();
                List<Long> toStale = new ArrayList<>();
                List<Long> toFresh = new ArrayList<>();
                try (PodWatch watch = PodWatch.start(session.client(), ns, new PodWatch.Listener() {
                    @Override
                    public void changed(List<PodRow> upserted, List<String> removedUids) {
                        listed.complete(null);
                    }

                    @Override
                    public void connection(boolean stale, java.time.Instant since, String why) {
                        changes.add(new long[] {stale ? 1 : 0, System.nanoTime()});
                    }
                })) {
                    listed.get(60, TimeUnit.SECONDS);
                    for (int i = 0; i < runs; i++) {
                        changes.clear();
                        long down = System.nanoTime();
                        sandbox.inject(Fault.parse("api-down=" + outage));
                        long[] lost = changes.poll(30, TimeUnit.SECONDS);
                        toStale.add(lost == null ? -1 : (lost[1] - down) / 1_000_000);
                        long back = awaitBack(sandbox);
                        long[] regained = changes.poll(30, TimeUnit.SECONDS);
                        toFresh.add(regained == null ? -1 : Math.max(0, regained[1] - back) / 1_000_000);
                        System.out.printf("run %d: %s, %s (outage %d s)%n", i + 1,
                                lost == null ? "NOT marked stale within 30 s" : "stale after " + toStale.get(i) + " ms",
                                regained == null ? "NOT fresh within 30 s after the API returned" : "fresh " + toFresh.get(i) + " ms after the API returned",
                                outage);
                    }
                }
                // An outage the watch did not notice (or a return it did not) is a miss, not a fast figure.
                System.out.println("reliability.stale_after_api_down.ms.max=" + toStale.stream().mapToLong(x -> x).max().orElse(-1));
                System.out.println("reliability.fresh_after_api_return.ms.max=" + toFresh.stream().mapToLong(x -> x).max().orElse(-1));
                System.out.printf("reliability.outages_not_marked_stale %d of %d (target = 0)%n", toStale.stream().filter(x -> x < 0).count(), runs);
                System.out.printf("reliability.returns_not_marked_fresh %d of %d (target = 0)%n", toFresh.stream().filter(x -> x < 0).count(), runs);

                for (int delay : new int[] {0, 300}) {
                    if (delay > 0) {
                        sandbox.inject(Fault.parse("api-slow=" + delay));
                    }
                    long t = System.nanoTime();
                    int pods = session.client().pods().inNamespace(ns).list().getItems().size();
                    System.out.printf("reliability.list_%d_pods.api_slow_%d.ms=%d%n", pods, delay, (System.nanoTime() - t) / 1_000_000);
                }
                sandbox.clearFaults();
            }
        }
        System.exit(0);
    }

    private static long awaitBack(Sandbox sandbox) {
        while (true) {
            if (sandbox.apiListening()) {
                try {
                    sandbox.client().getKubernetesVersion();
                    return System.nanoTime();
                } catch (KubernetesClientException e) {
                    // not yet
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
