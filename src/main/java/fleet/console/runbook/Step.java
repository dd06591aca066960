package fleet.console.runbook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One step of a runbook: a plain object, no JavaFX, so the same step runs in the wizard and from the
 * command line. It says what it is for (in the runbook's words), what it will do, and the shell
 * commands an operator would type instead; then it acts and verifies.
 */
public interface Step {

    /** Stable within its runbook: the saved state of a run refers to steps by id. */
    String id();

    String title();

    /** Why the step exists, short, in the operations runbook's words. */
    String why();

    /** What it will do, for the dry-run and the wizard. */
    String does();

    /** The equivalent kubectl / nats / podman commands. */
    List<String> commands();

    /**
     * The workloads whose pods it acts on or waits for, as kubectl names them ({@code deployment/orchestrator}):
     * the wizard follows their logs while the step runs. Empty when it touches no pod.
     */
    default List<String> touches() {
        return List.of();
    }

    /** How long the step may take before it fails; waits inside it use this. */
    Duration timeout();

    /** When the step has nothing to do in this run (an option skipped it): why. Checked before acting. */
    default Optional<String> skipReason(RunContext run) {
        return Optional.empty();
    }

    /** What must hold before it may act; the reason when it does not. */
    default Optional<String> precondition(RunContext run) throws InterruptedException {
        return Optional.empty();
    }

    void act(RunContext run) throws StepFailure, InterruptedException;

    /** Checks that the step did what it should (a condition on the cluster, not the absence of errors). */
    default void verify(RunContext run) throws StepFailure, InterruptedException {
    }
}
