package fleet.console.runbook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A step made of lambdas, for the runbooks' many small steps. */
record SimpleStep(String id, String title, String why, String does, List<String> commands, Duration timeout,
                  Function<RunContext, Optional<String>> skip, Action action, Action check, List<String> touches) implements Step {

    /** A step's work; may fail with a reason or be interrupted (cancel). */
    @FunctionalInterface
    interface Action {
        void run(RunContext run) throws StepFailure, InterruptedException;
    }

    SimpleStep {
        commands = List.copyOf(commands);
        touches = List.copyOf(touches);
    }

    SimpleStep(String id, String title, String why, String does, List<String> commands, Duration timeout,
               Function<RunContext, Optional<String>> skip, Action action, Action check) {
        this(id, title, why, does, commands, timeout, skip, action, check, List.of());
    }

    static SimpleStep of(String id, String title, String why, String does, List<String> commands, Duration timeout, Action action) {
        return new SimpleStep(id, title, why, does, commands, timeout, run -> Optional.empty(), action, run -> { });
    }

    SimpleStep skippedWhen(Function<RunContext, Optional<String>> reason) {
        return new SimpleStep(id, title, why, does, commands, timeout, reason, action, check, touches);
    }

    SimpleStep verifiedBy(Action verification) {
        return new SimpleStep(id, title, why, does, commands, timeout, skip, action, verification, touches);
    }

    /** The workloads whose pods it acts on or waits for, as kubectl names them ({@code deployment/orchestrator}). */
    SimpleStep touching(List<String> workloads) {
        return new SimpleStep(id, title, why, does, commands, timeout, skip, action, check, workloads);
    }

    @Override
    public Optional<String> skipReason(RunContext run) {
        return skip.apply(run);
    }

    @Override
    public void act(RunContext run) throws StepFailure, InterruptedException {
        action.run(run);
    }

    @Override
    public void verify(RunContext run) throws StepFailure, InterruptedException {
        check.run(run);
    }
}
