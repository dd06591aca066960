package fleet.console.councils;

import fleet.console.councils.contract.OrchestratorRpc;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A gRPC channel to one orchestrator pod through a port-forward to that pod (not to its Service, which
 * would land on whichever replica kube-proxy picks): the only way to ask each replica for what it holds.
 */
final class ReplicaLink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ReplicaLink.class.getName());

    private final String pod;
    private final LocalPortForward forward;
    private final ManagedChannel channel;
    private final OrchestratorRpc.Client rpc;

    private ReplicaLink(String pod, LocalPortForward forward, ManagedChannel channel, Duration deadline) {
        this.pod = pod;
        this.forward = forward;
        this.channel = channel;
        this.rpc = new OrchestratorRpc.Client(channel, deadline);
    }

    /**
     * @param deadline      each call's deadline
     * @param statusRetries the service config that retries GetStatus on UNAVAILABLE
     *                      ({@link OrchestratorRpc#statusRetryConfig})
     */
    static ReplicaLink open(KubernetesClient client, String namespace, String pod, int port, Duration deadline,
                            java.util.Map<String, ?> statusRetries) throws CouncilsProblem {
        LocalPortForward forward;
        try {
            forward = fleet.console.cluster.PortForwards.open(client, namespace, pod, port);
        } catch (KubernetesClientException e) {
            throw new CouncilsProblem(CouncilsProblem.Kind.UNREACHABLE, "Cannot port-forward to " + pod + ":" + port + ": "
                    + e.getMessage(), "Check that your account may create pods/portforward in " + namespace
                    + " (kubectl auth can-i create pods/portforward -n " + namespace + ").", e);
        }
        try {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress(InetAddress.getLoopbackAddress().getHostAddress(),
                    forward.getLocalPort(), InsecureChannelCredentials.create())
                    .defaultServiceConfig(statusRetries).enableRetry().build();
            return new ReplicaLink(pod, forward, channel, deadline);
        } catch (RuntimeException e) {
            try {
                forward.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    String pod() {
        return pod;
    }

    OrchestratorRpc.Client rpc() {
        return rpc;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            forward.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "Closing the port-forward to " + pod + " failed", e);
        }
    }
}
