package fleet.console.councils;

import fleet.console.councils.contract.OrchestratorRpc;
import fleet.console.councils.contract.CreateCouncilRequest;
import fleet.console.councils.contract.CreateCouncilResponse;
import fleet.console.councils.contract.DeleteCouncilRequest;
import fleet.console.councils.contract.DeleteCouncilResponse;
import fleet.console.councils.contract.GetStatusRequest;
import fleet.console.councils.contract.GetStatusResponse;
import fleet.console.councils.contract.ListCouncilsRequest;
import fleet.console.councils.contract.ListCouncilsResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An orchestrator that listens before it serves answers UNAVAILABLE for a while: GetStatus is asked again
 * by the channel's retry policy, as many times as the settings say and no more, and the RPCs that change
 * councils are never repeated.
 */
class StatusRetryTest {

    private Server server;
    private ManagedChannel channel;

    /** Refuses the first {@code refusals} calls of each RPC with UNAVAILABLE, then answers. */
    private static final class Starting implements OrchestratorRpc.Orchestrator {
        final AtomicInteger statusCalls = new AtomicInteger();
        final AtomicInteger createCalls = new AtomicInteger();
        final AtomicInteger listCalls = new AtomicInteger();
        private final int refusals;

        Starting(int refusals) {
            this.refusals = refusals;
        }

        private void refuseWhileStarting(AtomicInteger calls) throws StatusException {
            if (calls.incrementAndGet() <= refusals) {
                throw Status.UNAVAILABLE.withDescription("starting").asException();
            }
        }

        @Override
        public CreateCouncilResponse createCouncil(CreateCouncilRequest request) throws StatusException {
            refuseWhileStarting(createCalls);
            return CreateCouncilResponse.newBuilder().setCouncilId("c").build();
        }

        @Override
        public ListCouncilsResponse listCouncils(ListCouncilsRequest request) throws StatusException {
            refuseWhileStarting(listCalls);
            return ListCouncilsResponse.getDefaultInstance();
        }

        @Override
        public DeleteCouncilResponse deleteCouncil(DeleteCouncilRequest request) {
            return DeleteCouncilResponse.getDefaultInstance();
        }

        @Override
        public GetStatusResponse getStatus(GetStatusRequest request) throws StatusException {
            refuseWhileStarting(statusCalls);
            return GetStatusResponse.newBuilder().setStatus("healthy").build();
        }
    }

    private OrchestratorRpc.Client clientOf(Starting orchestrator, int attempts) throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(OrchestratorRpc.bind(orchestrator)).build().start();
        channel = Grpc.newChannelBuilderForAddress(InetAddress.getLoopbackAddress().getHostAddress(), server.getPort(),
                InsecureChannelCredentials.create())
                .defaultServiceConfig(OrchestratorRpc.statusRetryConfig(attempts, Duration.ofMillis(20))).enableRetry().build();
        return new OrchestratorRpc.Client(channel, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
    }

    @Test
    void getStatusIsAskedAgainWhileTheOrchestratorIsStarting() throws Exception {
        Starting orchestrator = new Starting(2);
        GetStatusResponse status = clientOf(orchestrator, 5).getStatus(GetStatusRequest.getDefaultInstance(), Duration.ofSeconds(10));
        assertThat(status.getStatus()).isEqualTo("healthy");
        assertThat(orchestrator.statusCalls).hasValue(3);
    }

    @Test
    void listingTheCouncilsIsAskedAgainToo() throws Exception {
        // A read like GetStatus: asking again changes nothing on the orchestrator.
        Starting orchestrator = new Starting(2);
        clientOf(orchestrator, 5).listCouncils(ListCouncilsRequest.getDefaultInstance());
        assertThat(orchestrator.listCalls).hasValue(3);
    }

    @Test
    void afterTheLastAttemptTheRefusalIsWhatTheCallerSees() throws Exception {
        Starting orchestrator = new Starting(10);
        OrchestratorRpc.Client client = clientOf(orchestrator, 3);
        assertThatThrownBy(() -> client.getStatus(GetStatusRequest.getDefaultInstance(), Duration.ofSeconds(10)))
                .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("UNAVAILABLE").hasMessageContaining("starting");
        assertThat(orchestrator.statusCalls).hasValue(3);
    }

    @Test
    void oneAttemptAsksOnceInsteadOfRefusingToBuildTheChannel() throws Exception {
        // gRPC refuses a retry policy of one attempt ("maxAttempts must be greater than 1").
        Starting orchestrator = new Starting(1);
        OrchestratorRpc.Client client = clientOf(orchestrator, 1);
        assertThatThrownBy(() -> client.getStatus(GetStatusRequest.getDefaultInstance(), Duration.ofSeconds(10)))
                .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("UNAVAILABLE");
        assertThat(orchestrator.statusCalls).hasValue(1);
    }

    @Test
    void creatingACouncilIsNeverRepeatedByTheChannel() throws Exception {
        Starting orchestrator = new Starting(1);
        OrchestratorRpc.Client client = clientOf(orchestrator, 5);
        assertThatThrownBy(() -> client.createCouncil(CreateCouncilRequest.newBuilder().setRole("DEV").build()))
                .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("UNAVAILABLE");
        assertThat(orchestrator.createCalls).hasValue(1);
    }
}
