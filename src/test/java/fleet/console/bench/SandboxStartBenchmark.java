package fleet.console.bench;

import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * How fast the sandbox starts and how much memory it takes, printed as figures (run by scripts/bench,
 * one fresh JVM per run so "cold" means what a demo presenter meets). Not a test: targets are read
 * from the figures, not asserted on a busy machine.
 */
public final class SandboxStartBenchmark {

    private SandboxStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Sandbox sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults());
        long started = System.nanoTime();
        long sinceLaunch = ManagementFactory.getRuntimeMXBean().getUptime();
        boolean ready = sandbox.awaitFleetReady(Duration.ofSeconds(120));
        long fleetReady = System.nanoTime();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
        long t1 = System.nanoTime();
        sandbox.close();
        long stopped = System.nanoTime();
        long warmStart;
        try (Sandbox again = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults())) {
            warmStart = (System.nanoTime() - stopped) / 1_000_000;
        }
        System.out.printf("sandbox.start.cold.ms=%d sandbox.start.since_jvm_launch.ms=%d fleet.ready.ms=%d%s "
                        + "heap.after_ready.mb=%d sandbox.stop.ms=%d sandbox.start.warm.ms=%d%n",
                (started - t0) / 1_000_000,
                sinceLaunch,
                (fleetReady - t0) / 1_000_000, ready ? "" : " (NOT READY)",
                heapMb, (stopped - t1) / 1_000_000, warmStart);
    }
}
