package fleet.console.runbook;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run as it is saved while it goes: which runbook, where, which steps are done, where it stopped,
 * and the values it recorded (the replica counts before scaling down), so that a console that closed or
 * crashed mid-run can resume it and never forgets to scale a service back up.
 */
public record RunRecord(String id, String runbook, String context, String namespace, Map<String, String> options,
                        Instant started, Status status, List<String> done, Optional<String> stoppedAt,
                        Map<String, String> values, Optional<String> reason) {

    public enum Status { RUNNING, FAILED, CANCELLED, SUCCEEDED, ABANDONED }

    public RunRecord {
        options = Map.copyOf(options);
        done = List.copyOf(done);
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A run that did not end well and can be resumed or abandoned. */
    public boolean unfinished() {
        return status == Status.RUNNING || status == Status.FAILED || status == Status.CANCELLED;
    }
}
