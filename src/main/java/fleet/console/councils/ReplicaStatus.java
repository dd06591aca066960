package fleet.console.councils;

import java.time.Duration;
import java.util.Map;

/** A replica's answer to GetStatus: {@code healthy} when it serves, how long it has run, what it holds. */
public record ReplicaStatus(String status, Duration uptime, long activeCouncils, Map<String, Long> agentsPerRole) {

    public ReplicaStatus {
        agentsPerRole = Map.copyOf(agentsPerRole);
    }
}
