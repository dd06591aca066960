package fleet.console.reliability;

import fleet.console.audit.AuditJournal;
import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.KubeconfigFile;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.profile.FleetProfile;
import fleet.console.runbook.RunContext;
import fleet.console.runbook.RunEvent;
import fleet.console.runbook.RunOptions;
import fleet.console.runbook.RunRecord;
import fleet.console.runbook.RunStore;
import fleet.console.runbook.Runbook;
import fleet.console.runbook.RunbookEngine;
import fleet.console.runbook.Runbooks;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A console's runbook engine in a process of its own, so a test can kill it as a crash would: connects
 * through a kubeconfig file like any console, saves the run in the given folder, and when the engine
 * starts the step named last on the command line it prints {@code at STEP} and holds there (the engine
 * runs on its caller's thread, so the run is held mid-way with everything before that step done and
 * saved) until the process is killed.
 *
 * <p>Arguments: KUBECONFIG RUN_STORE_DIR JOURNAL_FILE RUNBOOK SERVICE HOLD_AT_STEP
 */
public final class RunbookProcessMain {

    private RunbookProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Path kubeconfig = Path.of(args[0]);
        RunStore store = new RunStore(Path.of(args[1]));
        AuditJournal journal = new AuditJournal(Path.of(args[2]));
        String runbookName = args[3];
        String service = args[4];
        String holdAt = args[5];
        FleetProfile profile = FleetProfile.defaults();
        CountDownLatch never = new CountDownLatch(1);
        try (ClusterSession session = ClusterConnector.withDefaultTimeout()
                .connect(KubeconfigFile.read(kubeconfig), null, null, profile.namespace())) {
            RunOptions options = RunOptions.none().withSkipBuild(true).withYes(true);
            if (!service.isEmpty()) {
                options = options.withService(service);
            }
            RunContext run = new RunContext(session.client(), session.contextName(), session.namespace(), profile, options,
                    () -> NatsLink.open(NatsTarget.InCluster.fleet(session.namespace()), session.client(), Duration.ofSeconds(5)),
                    journal::append, Clock.systemUTC());
            Runbook runbook = Runbooks.named(runbookName).orElseThrow().planner().plan(run);
            RunRecord result = new RunbookEngine(store, journal::append, Clock.systemUTC()).run(runbook, run, e -> {
                System.out.println("event " + e);
                if (e instanceof RunEvent.Started s && s.stepId().equals(holdAt)) {
                    System.out.println("at " + s.stepId());
                    System.out.flush();
                    try {
                        never.await();
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
                System.out.flush();
            });
            // Reached only when the step to hold at never started: the test reads this and fails.
            System.out.println("finished " + result.status() + " " + result.reason().orElse(""));
        }
        System.exit(3);
    }
}
