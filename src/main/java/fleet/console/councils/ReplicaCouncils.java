package fleet.console.councils;

import java.util.List;
import java.util.Optional;

/**
 * What one replica said: its status and councils, or why it could not be asked.
 *
 * @param problem empty when the replica answered; else what went wrong, in words
 */
public record ReplicaCouncils(Replica replica, Optional<ReplicaStatus> status, List<Council> councils, Optional<String> problem) {

    public ReplicaCouncils {
        councils = List.copyOf(councils);
    }

    public boolean answered() {
        return problem.isEmpty();
    }

    public Optional<Council> council(String role) {
        return councils.stream().filter(c -> c.role().equals(role)).findFirst();
    }
}
