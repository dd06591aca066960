package fleet.console.sandbox.councils;

import fleet.console.councils.contract.AgentCapabilities;
import fleet.console.councils.contract.AgentInfo;
import fleet.console.councils.contract.CouncilInfo;
import fleet.console.councils.contract.CreateCouncilRequest;
import fleet.console.councils.contract.CreateCouncilResponse;
import fleet.console.councils.contract.DeleteCouncilRequest;
import fleet.console.councils.contract.DeleteCouncilResponse;
import fleet.console.councils.contract.ListCouncilsRequest;
import fleet.console.councils.contract.ListCouncilsResponse;
import fleet.console.councils.contract.OrchestratorStats;
import io.grpc.Status;
import io.grpc.StatusException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The councils one orchestrator process holds: in its memory only, one council per role, gone with the
 * process. Answers as the orchestrator does: ALREADY_EXISTS for a role that has a council, NOT_FOUND for
 * one that has none. Ids carry a random part, so two replicas' councils of one role differ as in the fleet.
 */
final class CouncilRegistry {

    /** What the orchestrator uses when a request leaves the agent count unset (0 in proto3). */
    static final int DEFAULT_AGENTS = 3;

    private record Council(String id, String role, List<AgentInfo> agents, String model) {
    }

    private final String defaultModel;
    private final Map<String, Council> byRole = new LinkedHashMap<>();

    /** @param defaultModel the model of the process's environment (VLLM_MODEL), for requests that name none */
    CouncilRegistry(String defaultModel) {
        this.defaultModel = defaultModel;
    }

    synchronized CreateCouncilResponse create(CreateCouncilRequest request) throws StatusException {
        String role = request.getRole().trim();
        if (role.isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("role is required").asException();
        }
        if (request.getNumAgents() < 0) {
            throw Status.INVALID_ARGUMENT.withDescription("num_agents must be positive, got " + request.getNumAgents()).asException();
        }
        if (byRole.containsKey(role)) {
            throw Status.ALREADY_EXISTS.withDescription("Council for role " + role + " already exists").asException();
        }
        int count = request.getNumAgents() == 0 ? DEFAULT_AGENTS : request.getNumAgents();
        String model = request.hasConfig() && !request.getConfig().getModelProfile().isBlank()
                ? request.getConfig().getModelProfile() : defaultModel;
        String lower = role.toLowerCase(Locale.ROOT);
        List<AgentInfo> agents = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            agents.add(AgentInfo.newBuilder()
                    .setAgentId(String.format(Locale.ROOT, "agent-%s-%03d", lower, i))
                    .setRole(role)
                    .setStatus("ready")
                    .setCapabilities(AgentCapabilities.newBuilder()
                            .addAllSupportedTasks(tasksOf(role))
                            .setModelProfile(model)
                            .setMaxConcurrentTasks(1)
                            .addLanguages("python"))
                    .build());
        }
        String id = String.format(Locale.ROOT, "council-%s-%06x", lower, ThreadLocalRandom.current().nextInt(1 << 24));
        byRole.put(role, new Council(id, role, List.copyOf(agents), model));
        return CreateCouncilResponse.newBuilder().setCouncilId(id).setAgentsCreated(count)
                .addAllAgentIds(agents.stream().map(AgentInfo::getAgentId).toList()).build();
    }

    synchronized ListCouncilsResponse list(ListCouncilsRequest request) {
        ListCouncilsResponse.Builder out = ListCouncilsResponse.newBuilder();
        for (Council c : byRole.values()) {
            if (!request.getRoleFilter().isBlank() && !request.getRoleFilter().equals(c.role())) {
                continue;
            }
            CouncilInfo.Builder info = CouncilInfo.newBuilder().setCouncilId(c.id()).setRole(c.role())
                    .setNumAgents(c.agents().size()).setStatus("active").setModel(c.model());
            if (request.getIncludeAgents()) {
                info.addAllAgents(c.agents());
            }
            out.addCouncils(info);
        }
        return out.build();
    }

    synchronized DeleteCouncilResponse delete(DeleteCouncilRequest request) throws StatusException {
        Council gone = byRole.remove(request.getRole().trim());
        if (gone == null) {
            throw Status.NOT_FOUND.withDescription("No council found for role " + request.getRole()).asException();
        }
        return DeleteCouncilResponse.newBuilder().setSuccess(true).setAgentsRemoved(gone.agents().size())
                .setMessage("Council " + gone.id() + " for role " + gone.role() + " deleted").build();
    }

    synchronized OrchestratorStats stats() {
        OrchestratorStats.Builder stats = OrchestratorStats.newBuilder().setActiveCouncils(byRole.size());
        byRole.values().forEach(c -> stats.putRoleCounts(c.role(), c.agents().size()));
        return stats.build();
    }

    private static List<String> tasksOf(String role) {
        return switch (role) {
            case "DEV" -> List.of("implement", "refactor", "fix");
            case "QA" -> List.of("test-plan", "test", "review");
            case "ARCHITECT" -> List.of("design", "review", "select");
            case "DEVOPS" -> List.of("deploy", "pipeline", "observe");
            case "DATA" -> List.of("schema", "migration", "analysis");
            default -> List.of("deliberate");
        };
    }
}
