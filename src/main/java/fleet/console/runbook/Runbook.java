package fleet.console.runbook;

import java.util.List;
import java.util.Optional;

/**
 * A procedure of the operations runbook as a plan: its steps in order, and, for destructive ones, what
 * it destroys in numbers, said before the first step.
 *
 * @param destroys       what will be lost, in numbers ("3 pods of orchestrator, 4,012 messages in 5 streams")
 * @param confirmName    a name the operator must type back before it runs (the namespace for a reset)
 * @param compensation   what undoes the run's lasting side effects when a run is abandoned (scaling
 *                       services back to their recorded counts), run by the engine
 */
public record Runbook(String name, String title, String description, List<Step> steps, Optional<String> destroys,
                      Optional<String> confirmName, Optional<Compensation> compensation) {

    public Runbook {
        steps = List.copyOf(steps);
    }

    /** Undoes what a run left half done, from the values the run recorded. */
    @FunctionalInterface
    public interface Compensation {
        void undo(RunContext run) throws StepFailure, InterruptedException;
    }

    public Optional<Step> step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
