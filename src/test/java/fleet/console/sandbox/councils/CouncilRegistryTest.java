package fleet.console.sandbox.councils;

import fleet.console.councils.contract.CouncilConfig;
import fleet.console.councils.contract.CreateCouncilRequest;
import fleet.console.councils.contract.CreateCouncilResponse;
import fleet.console.councils.contract.DeleteCouncilRequest;
import fleet.console.councils.contract.GetStatusRequest;
import fleet.console.councils.contract.ListCouncilsRequest;
import io.grpc.Status;
import io.grpc.StatusException;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One orchestrator process's councils, answering as the orchestrator does. */
class CouncilRegistryTest {

    private final CouncilRegistry registry = new CouncilRegistry("Qwen/Qwen2.5-0.5B-Instruct");

    private static CreateCouncilRequest create(String role, int agents) {
        return CreateCouncilRequest.newBuilder().setRole(role).setNumAgents(agents).build();
    }

    @Test
    void aCouncilHasItsAgentsAndTheProcessModelWhenTheRequestNamesNone() throws StatusException {
        CreateCouncilResponse created = registry.create(create("DEV", 3));
        assertThat(created.getAgentsCreated()).isEqualTo(3);
        assertThat(created.getAgentIdsList()).containsExactly("agent-dev-001", "agent-dev-002", "agent-dev-003");
        var listed = registry.list(ListCouncilsRequest.newBuilder().setIncludeAgents(true).build()).getCouncils(0);
        assertThat(listed.getRole()).isEqualTo("DEV");
        assertThat(listed.getModel()).isEqualTo("Qwen/Qwen2.5-0.5B-Instruct");
        assertThat(listed.getAgentsList()).allSatisfy(a -> assertThat(a.getStatus()).isEqualTo("ready"));
        assertThat(registry.list(ListCouncilsRequest.getDefaultInstance()).getCouncils(0).getAgentsCount())
                .as("agents only when asked for").isZero();
    }

    @Test
    void secondCreateOfARoleIsAlreadyExistsAndKeepsTheFirst() throws StatusException {
        String first = registry.create(create("QA", 3)).getCouncilId();
        assertThatThrownBy(() -> registry.create(create("QA", 5)))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
        assertThat(registry.list(ListCouncilsRequest.getDefaultInstance()).getCouncils(0).getCouncilId()).isEqualTo(first);
    }

    @Test
    void deletingARoleWithoutCouncilIsNotFound() throws StatusException {
        registry.create(create("DATA", 2));
        assertThat(registry.delete(DeleteCouncilRequest.newBuilder().setRole("DATA").build()).getAgentsRemoved()).isEqualTo(2);
        assertThatThrownBy(() -> registry.delete(DeleteCouncilRequest.newBuilder().setRole("DATA").build()))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void unsetAgentCountIsTheOrchestratorsDefaultAndTheRequestModelWins() throws StatusException {
        registry.create(CreateCouncilRequest.newBuilder().setRole("ARCHITECT")
                .setConfig(CouncilConfig.newBuilder().setModelProfile("other/model")).build());
        var listed = registry.list(ListCouncilsRequest.getDefaultInstance()).getCouncils(0);
        assertThat(listed.getNumAgents()).isEqualTo(CouncilRegistry.DEFAULT_AGENTS);
        assertThat(listed.getModel()).isEqualTo("other/model");
    }

    @Test
    void aStartingOrchestratorAnswersNothing() throws StatusException {
        OrchestratorStandIn standIn = new OrchestratorStandIn("orchestrator-abc", "m", Clock.systemUTC());
        assertThatThrownBy(() -> standIn.getStatus(GetStatusRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        standIn.ready(true);
        assertThat(standIn.getStatus(GetStatusRequest.newBuilder().setIncludeStats(true).build()).getStatus()).isEqualTo("healthy");
    }
}
