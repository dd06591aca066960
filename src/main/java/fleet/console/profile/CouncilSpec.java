package fleet.console.profile;

import java.util.List;
import java.util.Objects;

/**
 * The agent councils the orchestrator should hold: one per role.
 *
 * @param roles            council roles, in the order they are created
 * @param agentsPerCouncil agents created in each council
 * @param model            the LLM the agents run on
 */
public record CouncilSpec(List<String> roles, int agentsPerCouncil, String model) {

    public CouncilSpec {
        roles = List.copyOf(roles);
        Objects.requireNonNull(model, "model");
        if (agentsPerCouncil < 1) {
            throw new IllegalArgumentException("agentsPerCouncil must be at least 1: " + agentsPerCouncil);
        }
    }
}
