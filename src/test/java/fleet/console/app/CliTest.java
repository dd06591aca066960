package fleet.console.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as an operator or a script uses it: output, exit codes, messages for bad input. */
class CliTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void healthOnTheSandboxPrintsEveryWorkloadRunningAndExitsZero() {
        Result r = run("health", "--sandbox");
        assertEquals(0, r.exit(), r.out() + r.err());
        for (String workload : new String[] {"nats", "neo4j", "valkey", "orchestrator", "context", "ray-executor", "monitoring-dashboard"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("\u2713 " + workload + " ") && l.contains("Running (")), r.out());
        }
        assertTrue(r.out().contains("\u2713 orchestrator          Running (2/2)"), r.out());
        assertTrue(r.out().contains("All 7 workloads healthy."), r.out());
    }

    @Test
    void healthAfterAnInjectedCrashNamesTheBrokenWorkloadAndExitsOne() {
        Result r = run("health", "--sandbox", "--fault", "crash=orchestrator");
        assertEquals(1, r.exit(), r.out() + r.err());
        String line = r.out().lines().filter(l -> l.contains(" orchestrator ")).findFirst().orElseThrow();
        assertTrue(line.startsWith("\u2717 orchestrator") && line.contains("CrashLoopBackOff") && line.contains("last exit code 1"), line);
        assertTrue(r.out().lines().filter(l -> l.startsWith("\u2717")).count() == 1, "only the orchestrator is unhealthy:\n" + r.out());
    }

    @Test
    void faultWithoutTheSandboxIsRefusedAndNothingRuns() {
        Result r = run("health", "--fault", "crash=orchestrator", "--kubeconfig", "/nonexistent");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("add --sandbox"), r.err());
    }

    @Test
    void unknownFaultKindSaysWhichKindsExist() {
        Result r = run("health", "--sandbox", "--fault", "explode=orchestrator");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unknown fault 'explode'") && r.err().contains("crash, bad-image"), r.err());
    }

    @Test
    void missingKubeconfigSaysWhereItLookedAndHowToUseTheSandbox(@TempDir Path dir) {
        Result r = run("health", "--kubeconfig", dir.resolve("absent").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("No kubeconfig at " + dir.resolve("absent")), r.err());
        assertTrue(r.err().contains("health --sandbox"), r.err());
    }

    @Test
    void malformedProfileIsRefusedWithItsLine(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("profile.yaml"), "namespace: swe-ai-fleet\nservices:\n  - name: orchestrator\n    replicaz: 3\n");
        Result r = run("health", "--sandbox", "--profile", profile.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("profile.yaml:4"), r.err());
    }

    @Test
    void helpListsTheCommands() {
        Result r = run("--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("health") && r.out().contains("sandbox"), r.out());
    }

    @Test
    void sandboxCommandServesOtherClientsThroughItsKubeconfigUntilStopped(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("sandbox.kubeconfig");
        java.util.concurrent.CountDownLatch announced = new java.util.concurrent.CountDownLatch(1);
        StringWriter out = new StringWriter() {
            @Override
            public void flush() {
                if (toString().contains("Stop with Ctrl+C")) {
                    announced.countDown();
                }
            }
        };
        CommandLine cli = Cli.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() ->
                cli.execute("sandbox", "--kubeconfig-out", kubeconfig.toString()));
        Cli.SandboxCommand command = cli.getSubcommands().get("sandbox").getCommand();
        try {
            // The command prints that line once the fleet is ready.
            assertTrue(announced.await(90, TimeUnit.SECONDS), out.toString());
            assertTrue(out.toString().contains("Fleet ready"), out.toString());
            Result health = run("health", "--kubeconfig", kubeconfig.toString());
            assertEquals(0, health.exit(), health.out() + health.err());
            assertTrue(health.out().startsWith("Fleet health of sandbox / swe-ai-fleet"), health.out());
        } finally {
            command.stop();
        }
        assertEquals(0, running.get(30, TimeUnit.SECONDS));
    }
}
