package fleet.console.sandbox.councils;

import fleet.console.councils.contract.CreateCouncilRequest;
import fleet.console.councils.contract.CreateCouncilResponse;
import fleet.console.councils.contract.DeleteCouncilRequest;
import fleet.console.councils.contract.DeleteCouncilResponse;
import fleet.console.councils.contract.GetStatusRequest;
import fleet.console.councils.contract.GetStatusResponse;
import fleet.console.councils.contract.ListCouncilsRequest;
import fleet.console.councils.contract.ListCouncilsResponse;
import fleet.console.councils.contract.OrchestratorRpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One run of one orchestrator container: a real gRPC server on loopback with the council registry of
 * that process. It refuses every call with UNAVAILABLE until the container is ready, as the fleet's
 * orchestrator only serves once it has started, and its councils end with it.
 */
final class OrchestratorStandIn implements OrchestratorRpc.Orchestrator {

    private final String pod;
    private final CouncilRegistry registry;
    private final Clock clock;
    private final Instant started;
    private volatile boolean ready;
    private Server server;
    private boolean stopped;

    OrchestratorStandIn(String pod, String model, Clock clock) {
        this.pod = pod;
        this.registry = new CouncilRegistry(model);
        this.clock = clock;
        this.started = clock.instant();
    }

    /** Binds a free loopback port; false when the run was already stopped (the container died meanwhile). */
    synchronized boolean start() {
        if (stopped) {
            return false;
        }
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .addService(OrchestratorRpc.bind(this))
                    .build()
                    .start();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for " + pod + "'s orchestrator: " + e.getMessage(), e);
        }
    }

    synchronized Optional<InetSocketAddress> address() {
        return server == null || stopped ? Optional.empty() : Optional.of((InetSocketAddress) server.getListenSockets().get(0));
    }

    void ready(boolean value) {
        ready = value;
    }

    boolean ready() {
        return ready;
    }

    String pod() {
        return pod;
    }

    /** The process is gone: connections are cut at once and the councils are lost. */
    synchronized void stop() {
        stopped = true;
        ready = false;
        if (server != null) {
            server.shutdownNow();
        }
    }

    private void serving() throws StatusException {
        if (!ready) {
            throw Status.UNAVAILABLE.withDescription("orchestrator " + pod + " is starting and does not serve yet").asException();
        }
    }

    @Override
    public CreateCouncilResponse createCouncil(CreateCouncilRequest request) throws StatusException {
        serving();
        return registry.create(request);
    }

    @Override
    public ListCouncilsResponse listCouncils(ListCouncilsRequest request) throws StatusException {
        serving();
        return registry.list(request);
    }

    @Override
    public DeleteCouncilResponse deleteCouncil(DeleteCouncilRequest request) throws StatusException {
        serving();
        return registry.delete(request);
    }

    @Override
    public GetStatusResponse getStatus(GetStatusRequest request) throws StatusException {
        serving();
        GetStatusResponse.Builder out = GetStatusResponse.newBuilder().setStatus("healthy")
                .setUptimeSeconds(Duration.between(started, clock.instant()).toSeconds());
        if (request.getIncludeStats()) {
            out.setStats(registry.stats());
        }
        return out.build();
    }
}
