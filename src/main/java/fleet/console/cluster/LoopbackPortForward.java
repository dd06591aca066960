package fleet.console.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.PortForward;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code kubectl port-forward pod/POD :PORT} on 127.0.0.1: each local connection gets its own tunnel
 * through the API server ({@link PortForwardTunnel}), as fabric8's own local forward does, with two
 * differences that matter to a console: a connection arriving after the Kubernetes client was closed
 * (a NATS client still reconnecting to the local port) ends the forward quietly instead of throwing
 * "Client is closed" on the accepting thread; and a tunnel whose first messages were lost is made
 * again instead of swallowing the pod's first bytes (see {@link PortForwardTunnel} for what fabric8's did).
 */
final class LoopbackPortForward implements LocalPortForward {

    private final KubernetesClient client;
    private final String namespace;
    private final String pod;
    private final int port;
    private final ServerSocketChannel server;
    private final AtomicBoolean alive = new AtomicBoolean(true);
    private final List<PortForward> tunnels = new CopyOnWriteArrayList<>();
    private final List<Throwable> refusals = new CopyOnWriteArrayList<>();

    LoopbackPortForward(KubernetesClient client, String namespace, String pod, int port) {
        this.client = client;
        this.namespace = namespace;
        this.pod = pod;
        this.port = port;
        try {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new KubernetesClientException("cannot listen on a local port for the port-forward to " + pod + ": " + e.getMessage(), e);
        }
        Thread acceptor = new Thread(this::accept, "port-forward " + namespace + "/" + pod + ":" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (alive.get()) {
            SocketChannel local;
            try {
                local = server.accept();
            } catch (IOException e) {
                break; // closed
            }
            tunnels.removeIf(t -> !t.isAlive());
            if (client.getHttpClient().isClosed()) {
                closeQuietly(local);
                closeQuietly();
                break;
            }
            try {
                tunnels.add(PortForwardTunnel.open(client, namespace, pod, port, local));
            } catch (RuntimeException e) {
                closeQuietly(local);
                if (client.getHttpClient().isClosed()) {
                    closeQuietly();
                    break;
                }
                refusals.add(e);
            }
        }
    }

    @Override
    public InetAddress getLocalAddress() {
        return ((InetSocketAddress) localAddress()).getAddress();
    }

    @Override
    public int getLocalPort() {
        return ((InetSocketAddress) localAddress()).getPort();
    }

    private java.net.SocketAddress localAddress() {
        try {
            return server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the port-forward to " + pod + " is closed", e);
        }
    }

    @Override
    public boolean isAlive() {
        return alive.get();
    }

    @Override
    public boolean errorOccurred() {
        return !refusals.isEmpty() || tunnels.stream().anyMatch(PortForward::errorOccurred);
    }

    @Override
    public Collection<Throwable> getClientThrowables() {
        List<Throwable> out = new ArrayList<>(refusals);
        tunnels.forEach(t -> out.addAll(t.getClientThrowables()));
        return out;
    }

    @Override
    public Collection<Throwable> getServerThrowables() {
        List<Throwable> out = new ArrayList<>();
        tunnels.forEach(t -> out.addAll(t.getServerThrowables()));
        return out;
    }

    @Override
    public void close() throws IOException {
        if (alive.compareAndSet(true, false)) {
            server.close();
            for (PortForward t : tunnels) {
                try {
                    t.close();
                } catch (IOException | RuntimeException e) {
                    // closing: the tunnel goes either way
                }
            }
            tunnels.clear();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            // closing
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing
        }
    }
}
