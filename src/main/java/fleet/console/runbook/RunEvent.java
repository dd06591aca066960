package fleet.console.runbook;

import java.time.Duration;

/** What a run reports as it goes; the wizard and the command line render the same events. */
public sealed interface RunEvent {

    String runId();

    record Started(String runId, int index, String stepId, String title) implements RunEvent {
    }

    record Progress(String runId, String stepId, String message) implements RunEvent {
    }

    record LogLine(String runId, String stepId, String line) implements RunEvent {
    }

    record Succeeded(String runId, String stepId, Duration took) implements RunEvent {
    }

    record Skipped(String runId, String stepId, String why) implements RunEvent {
    }

    record Failed(String runId, String stepId, String reason, String whatToDo) implements RunEvent {
    }

    record Cancelled(String runId, String stepId) implements RunEvent {
    }

    /** The run ended: succeeded, failed (resumable from the failed step), cancelled, or abandoned. */
    record Finished(String runId, Outcome outcome, Duration took, String summary) implements RunEvent {
    }

    enum Outcome { SUCCEEDED, FAILED, CANCELLED, ABANDONED }
}
