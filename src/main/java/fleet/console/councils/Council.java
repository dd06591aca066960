package fleet.console.councils;

import java.util.List;

/**
 * A council as one replica holds it.
 *
 * @param agentCount the count the replica reports; {@code agents} lists them when they were asked for
 * @param status     {@code active}, {@code idle} or {@code busy}
 */
public record Council(String id, String role, int agentCount, List<Agent> agents, String status, String model) {

    public Council {
        agents = List.copyOf(agents);
    }
}
