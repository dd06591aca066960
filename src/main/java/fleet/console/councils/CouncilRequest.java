package fleet.console.councils;

import java.util.List;

/**
 * One council to create on every replica.
 *
 * @param model     the model profile its agents run ({@code VLLM_MODEL} of the fleet, normally)
 * @param agentType how the orchestrator runs the agents: one of {@link #AGENT_TYPES}
 */
public record CouncilRequest(String role, int agents, String model, String agentType) {

    /** The orchestrator's agent types; RAY_VLLM is what the fleet's init job asks for. */
    public static final List<String> AGENT_TYPES = List.of("RAY_VLLM", "VLLM", "MOCK");
    public static final String DEFAULT_AGENT_TYPE = "RAY_VLLM";
}
