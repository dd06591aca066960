package fleet.console.runbook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A step made of lambdas, for the runbooks' many small steps. */
record SimpleStep(String id, String title, String why, String does, List<String> commands, Duration timeout,
                  Function<RunContext, Optional<String>> skip, Action action, Action check) implements Step {

    /** A step's work; may fail with a reason or be interrupted (cancel). */
    @FunctionalInterface
    interface Action {
        void run(RunContext run) throws StepFailure, InterruptedException;
    }

    SimpleStep {
        commands = List.copyOf(commands);
    }

    static SimpleStep of(String id, String title, String why, String does, List<String> commands, Duration timeout, Action action) {
        return new SimpleStep(id, title, why, does, commands, timeout, run -> Optional.empty(), action, run -> { });
    }

    SimpleStep skippedWhen(Function<RunContext, Optional<String>> reason) {
        return new SimpleStep(id, title, why, does, commands, timeout, reason, action, check);
    }

    SimpleStep verifiedBy(Action verification) {
        return new SimpleStep(id, title, why, does, commands, timeout, skip, action, verification);
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
