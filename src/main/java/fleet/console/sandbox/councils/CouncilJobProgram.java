package fleet.console.sandbox.councils;

import fleet.console.councils.contract.CouncilConfig;
import fleet.console.councils.contract.CouncilInfo;
import fleet.console.councils.contract.CreateCouncilRequest;
import fleet.console.councils.contract.CreateCouncilResponse;
import fleet.console.councils.contract.DeleteCouncilRequest;
import fleet.console.councils.contract.DeleteCouncilResponse;
import fleet.console.councils.contract.GetStatusRequest;
import fleet.console.councils.contract.GetStatusResponse;
import fleet.console.councils.contract.ListCouncilsRequest;
import fleet.console.councils.contract.OrchestratorRpc;
import fleet.console.sandbox.kubelet.ContainerProgram;
import fleet.console.sandbox.kubelet.ProgramContext;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The fleet's council jobs ({@code orchestrator-init-councils}, {@code orchestrator-delete-councils}) in the
 * sandbox. Like the real ones they dial {@code ORCHESTRATOR_ADDRESS}, the orchestrator's Service, so they
 * reach one replica; poll GetStatus a bounded number of times; then create (ALREADY_EXISTS counts as
 * success) or delete (NOT_FOUND is skipped) each role's council over gRPC, and list what is left. The
 * output is their own words: whoever reads it should judge by the exit status and the councils, not by
 * one sentence.
 */
public final class CouncilJobProgram implements ContainerProgram {

    public enum Mode { INIT, DELETE }

    /** The real job retries for about a minute; the sandbox keeps the count at a demo's pace. */
    static final int STATUS_ATTEMPTS = 15;
    static final Duration STATUS_RETRY = Duration.ofMillis(400);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);
    private static final String DEFAULT_ADDRESS = "orchestrator:" + OrchestratorRpc.PORT;

    private final Mode mode;
    private final OrchestratorStandIns standIns;
    private final List<String> roles;
    private volatile ManagedChannel channel;
    private int failures;
    private int done;
    private int unchanged;

    /** @param roles the councils the job knows, in the order it handles them */
    public CouncilJobProgram(Mode mode, OrchestratorStandIns standIns, List<String> roles) {
        this.mode = mode;
        this.standIns = standIns;
        this.roles = List.copyOf(roles);
    }

    @Override
    public void start(ProgramContext ctx) {
        Map<String, String> env = ctx.environment();
        String address = env.getOrDefault("ORCHESTRATOR_ADDRESS", DEFAULT_ADDRESS);
        ctx.log((mode == Mode.INIT ? "\uD83D\uDE80 Initializing councils" : "\uD83D\uDDD1\uFE0F Deleting councils")
                + " via orchestrator at " + address);
        int agents;
        try {
            agents = Integer.parseInt(env.getOrDefault("NUM_AGENTS_PER_COUNCIL", "3").trim());
        } catch (NumberFormatException e) {
            ctx.log("\u274C NUM_AGENTS_PER_COUNCIL is not a number: " + env.get("NUM_AGENTS_PER_COUNCIL"));
            ctx.exit(1, "Error");
            return;
        }
        if (mode == Mode.INIT) {
            ctx.log("   agents per council: " + agents + ", model: " + env.getOrDefault("VLLM_MODEL", "(unset)")
                    + ", vLLM: " + env.getOrDefault("VLLM_URL", "(unset)"));
        }
        waitForOrchestrator(ctx, address, agents, 1);
    }

    private void waitForOrchestrator(ProgramContext ctx, String address, int agents, int attempt) {
        String namespace = ctx.pod().getMetadata().getNamespace();
        ctx.blocking(() -> status(namespace, address), status -> {
            ctx.log("\u2705 Orchestrator ready: " + status.getStatus() + " (up " + status.getUptimeSeconds() + " s)");
            step(ctx, agents, 0);
        }, error -> {
            ctx.log("\u23F3 Waiting for orchestrator (" + attempt + "/" + STATUS_ATTEMPTS + "): " + describe(error));
            if (attempt >= STATUS_ATTEMPTS) {
                ctx.log("\u274C Orchestrator did not become ready after " + STATUS_ATTEMPTS + " attempts");
                ctx.exit(1, "Error");
                return;
            }
            ctx.after(STATUS_RETRY, () -> waitForOrchestrator(ctx, address, agents, attempt + 1));
        });
    }

    /** One connection, as a gRPC client keeps one: once it reached a replica, every call goes there. */
    private GetStatusResponse status(String namespace, String address) {
        ManagedChannel open = channel;
        if (open == null) {
            OrchestratorStandIns.Endpoint endpoint = standIns.throughService(namespace, address).orElseThrow(() ->
                    Status.UNAVAILABLE.withDescription("failed to connect to all addresses; last error: UNAVAILABLE: "
                            + address + ": Connection refused").asRuntimeException());
            open = NettyChannelBuilder.forAddress(endpoint.address()).usePlaintext().build();
            channel = open;
        }
        try {
            return client().getStatus(GetStatusRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            // Not ready yet: dial again next time, as a fresh connection may land on another replica.
            channel = null;
            open.shutdownNow();
            throw e;
        }
    }

    private OrchestratorRpc.Client client() {
        return new OrchestratorRpc.Client(channel, CALL_DEADLINE);
    }

    private void step(ProgramContext ctx, int agents, int index) {
        if (index >= roles.size()) {
            finish(ctx);
            return;
        }
        String role = roles.get(index);
        Map<String, String> env = ctx.environment();
        ctx.blocking(() -> mode == Mode.INIT ? create(role, agents, env) : delete(role), line -> {
            ctx.log(line);
            step(ctx, agents, index + 1);
        }, error -> {
            failures++;
            ctx.log("\u274C " + role + ": " + describe(error));
            step(ctx, agents, index + 1);
        });
    }

    private String create(String role, int agents, Map<String, String> env) {
        CouncilConfig.Builder config = CouncilConfig.newBuilder().setDeliberationRounds(1).setEnablePeerReview(true)
                .setModelProfile(env.getOrDefault("VLLM_MODEL", "")).setAgentType("RAY_VLLM");
        if (env.containsKey("VLLM_URL")) {
            config.putCustomParams("vllm_url", env.get("VLLM_URL"));
        }
        try {
            CreateCouncilResponse r = client().createCouncil(CreateCouncilRequest.newBuilder().setRole(role).setNumAgents(agents)
                    .setConfig(config).build());
            done++;
            return "\u2705 Council " + role + ": " + r.getCouncilId() + ", agents " + String.join(", ", r.getAgentIdsList());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                unchanged++;
                return "\u2139\uFE0F Council " + role + " already exists";
            }
            throw e;
        }
    }

    private String delete(String role) {
        try {
            DeleteCouncilResponse r = client().deleteCouncil(DeleteCouncilRequest.newBuilder().setRole(role).build());
            done++;
            return "\u2705 Deleted council " + role + " (" + r.getAgentsRemoved() + " agents removed)";
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                unchanged++;
                return "\u23ED\uFE0F Council " + role + " not found, skipped";
            }
            throw e;
        }
    }

    private void finish(ProgramContext ctx) {
        ctx.blocking(() -> client().listCouncils(ListCouncilsRequest.newBuilder().setIncludeAgents(false).build()).getCouncilsList(),
                left -> {
                    ctx.log("\uD83D\uDCCB Councils now: " + (left.isEmpty() ? "none"
                            : String.join(", ", left.stream().map(CouncilInfo::getRole).toList())));
                    ctx.log((mode == Mode.INIT ? "Created " : "Deleted ") + done + ", "
                            + (mode == Mode.INIT ? "already there " : "skipped ") + unchanged + ", failed " + failures);
                    ctx.exit(failures == 0 ? 0 : 1, failures == 0 ? "Completed" : "Error");
                }, error -> {
                    ctx.log("\u274C Listing councils failed: " + describe(error));
                    ctx.exit(1, "Error");
                });
    }

    private static String describe(Throwable error) {
        if (error instanceof StatusRuntimeException s) {
            return s.getStatus().getCode() + (s.getStatus().getDescription() == null ? "" : ": " + s.getStatus().getDescription());
        }
        return String.valueOf(error.getMessage());
    }

    @Override
    public void released() {
        ManagedChannel open = channel;
        channel = null;
        if (open != null) {
            open.shutdownNow();
        }
    }
}
