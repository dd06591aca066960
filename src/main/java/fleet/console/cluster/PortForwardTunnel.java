package fleet.console.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.PortForward;
import io.fabric8.kubernetes.client.http.WebSocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One local connection carried to a pod's port over the API server's {@code pods/portforward} WebSocket
 * (the {@code v4.channel.k8s.io} framing kubectl's WebSocket port-forward speaks).
 *
 * <p>Why not fabric8's own forwarder: with fabric8's Vert.x 5 client, the first messages of a port-forward
 * WebSocket are lost now and then (a tunnel in a few hundred, under load: messages that arrive right behind
 * the upgrade's response, before fabric8 has set its handlers). fabric8's forwarder takes the first two
 * messages for the port frames, whatever they are: with the port frames lost it swallowed the pod's first
 * data (a gRPC server's SETTINGS), and the gRPC channel waited for it until its deadline ("connecting …
 * was_still_waiting"), or read a frame that may not come first ("http2 exception").
 *
 * <p>Here a port frame is recognised by what it is. The kubelet sends the port before any data and before it
 * closes, so a tunnel that sees data first, or its WebSocket closed first, or nothing at all for
 * {@link #START_PATIENCE}, has lost its start, and with it, it may be, the pod's first bytes. Until its start
 * is seen whole, a tunnel keeps what the local side sent ({@link #PREAMBLE_LIMIT} at most); a lost start is
 * then made again, through a new WebSocket, and what the local side sent is sent again, so its client sees
 * one connection that works ({@link #MAX_STARTS} starts, then the local connection is closed and its client
 * connects again, as after any broken connection).
 *
 * <p>Threads: the WebSocket's callbacks never block; data for the local connection is written by one writer
 * thread per tunnel (a local reader that stops reading pauses the WebSocket, not the event loop), and one
 * reader thread per tunnel sends what the local side writes.
 */
final class PortForwardTunnel implements PortForward {

    /** How many WebSockets one local connection may take before its start is seen whole. */
    static final int MAX_STARTS = 3;
    /**
     * How long an open WebSocket may go without its port frame before its start counts as lost. The kubelet
     * sends it at once; when the loss took the pod's first bytes too (a NATS server's INFO, which its client
     * waits for), nothing else would ever come to show the loss.
     */
    static final Duration START_PATIENCE = Duration.ofSeconds(3);
    /** What is kept of the local side's first bytes, to send again on a new start (a client's hello is far less). */
    static final int PREAMBLE_LIMIT = 64 * 1024;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "port-forward start watchdog"));

    private static final Logger LOG = Logger.getLogger(PortForwardTunnel.class.getName());
    private static final AtomicLong LOST_STARTS = new AtomicLong();
    private static final int DATA = 0;
    private static final int ERROR = 1;
    private static final int READ_BUFFER = 16 * 1024;

    private final KubernetesClient client;
    private final URI uri;
    private final SocketChannel local;
    private final String target;
    private final int port;
    private final AtomicBoolean alive = new AtomicBoolean(true);
    private final List<Throwable> clientThrowables = new CopyOnWriteArrayList<>();
    private final List<Throwable> serverThrowables = new CopyOnWriteArrayList<>();
    private final ExecutorService writer;

    /** Guards the start: which attempt is current, its WebSocket once open, and the preamble kept for it. */
    private final Object lock = new Object();
    private Attempt current;
    private WebSocket open;
    private int starts;
    private boolean pumping;
    /** The local side's bytes so far, until the start is seen whole; null after that or once over the limit. */
    private ByteArrayOutputStream preamble = new ByteArrayOutputStream();

    private PortForwardTunnel(KubernetesClient client, String namespace, String pod, int port, SocketChannel local) {
        this.client = client;
        this.local = local;
        this.target = namespace + "/" + pod + ":" + port;
        this.port = port;
        this.uri = URI.create(join(client.getMasterUrl().toString(), "api/v1/namespaces/" + encode(namespace) + "/pods/"
                + encode(pod) + "/portforward?ports=" + port));
        this.writer = Executors.newSingleThreadExecutor(r -> daemon(r, "port-forward " + target + " to local"));
    }

    /** Starts carrying {@code local} to the pod's port; the connection is closed when the tunnel ends. */
    static PortForwardTunnel open(KubernetesClient client, String namespace, String pod, int port, SocketChannel local) {
        PortForwardTunnel tunnel = new PortForwardTunnel(client, namespace, pod, port, local);
        synchronized (tunnel.lock) {
            tunnel.start();
        }
        return tunnel;
    }

    /** How many tunnels lost their start and made it again (or gave up), since the console started. */
    static long lostStarts() {
        return LOST_STARTS.get();
    }

    /** A new WebSocket for this connection. Called holding the lock. */
    private void start() {
        starts++;
        Attempt attempt = new Attempt();
        current = attempt;
        open = null;
        // Counted from the request, not from the open: fabric8 sometimes never says the WebSocket opened or
        // closed (its Vert.x client throws, unhandled, when the server closed it in the same read as the
        // upgrade; cc35), and such a start is lost too.
        WATCHDOG.schedule(() -> startOverdue(attempt), START_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        client.getHttpClient().newWebSocketBuilder()
                .uri(uri)
                .subprotocol("v4.channel.k8s.io")
                .buildAsync(attempt)
                .whenComplete((ws, failure) -> {
                    if (failure == null) {
                        attempt.socket.complete(ws);
                    } else {
                        attempt.socket.completeExceptionally(failure);
                        if (attempt.isCurrent()) {
                            serverThrowables.add(failure);
                            end();
                        }
                    }
                });
    }

    /** One WebSocket of this connection; its callbacks come one at a time. */
    private final class Attempt implements WebSocket.Listener {

        final CompletableFuture<WebSocket> socket = new CompletableFuture<>();
        /** Written under the lock (the watchdog reads it there too). */
        private boolean dataPortSeen;
        /** What the tunnel had been told of failures when this attempt began: one of its own is no lost start. */
        private final int errorsBefore = serverThrowables.size();
        private boolean errorPortSeen;

        boolean isCurrent() {
            synchronized (lock) {
                return current == this;
            }
        }

        @Override
        public void onOpen(WebSocket ws) {
            boolean startPump;
            synchronized (lock) {
                if (current != this || !alive.get()) {
                    ws.sendClose(1000, "not needed any more");
                    return;
                }
                open = ws;
                startPump = !pumping;
                pumping = true;
                if (preamble != null && preamble.size() > 0) {
                    ws.send(frame(preamble.toByteArray(), preamble.size()));
                }
            }
            if (startPump) {
                daemon(PortForwardTunnel.this::pump, "port-forward " + target + " from local").start();
            }
        }

        @Override
        public void onMessage(WebSocket ws, String text) {
            onMessage(ws, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void onMessage(WebSocket ws, ByteBuffer message) {
            if (!isCurrent()) {
                return;
            }
            if (!message.hasRemaining()) {
                protocolError(ws, "an empty message, without its channel byte");
                return;
            }
            int channel = message.get() & 0xff;
            if (channel == DATA && !dataPortSeen) {
                if (!isPortFrame(message)) {
                    startLost(ws, message.remaining());
                    return;
                }
                synchronized (lock) {
                    dataPortSeen = true;
                    preamble = null; // the start is whole: from here on nothing is sent twice
                }
                ws.request();
            } else if (channel == ERROR && !errorPortSeen && isPortFrame(message)) {
                errorPortSeen = true;
                ws.request();
            } else if (channel == DATA) {
                toLocal(ws, message);
            } else if (channel == ERROR) {
                serverThrowables.add(new KubernetesClientException("the port-forward to " + target + " failed: "
                        + StandardCharsets.UTF_8.decode(message)));
                end();
            } else {
                protocolError(ws, "a message on channel " + channel + ", which one forwarded port does not have");
            }
        }

        @Override
        public void onClose(WebSocket ws, int code, String reason) {
            if (!isCurrent() || !alive.get()) {
                return;
            }
            if (!dataPortSeen && !errorPortSeen && errorsBefore == serverThrowables.size()) {
                // The kubelet sends the port before it closes, even to say why it cannot forward: this start was lost.
                startLost(ws, "closed (" + code + ") before its port frame");
            } else {
                end();
            }
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (isCurrent()) {
                serverThrowables.add(error);
                end();
            }
        }
    }

    /** The kubelet's first message on each channel: the forwarded port, two bytes little-endian. */
    private boolean isPortFrame(ByteBuffer payload) {
        return payload.remaining() == 2
                && ((payload.get(payload.position()) & 0xff) | (payload.get(payload.position() + 1) & 0xff) << 8) == port;
    }

    /** Data came before the port: this WebSocket's first messages were lost. */
    private void startLost(WebSocket ws, int firstDataBytes) {
        startLost(ws, "data, " + firstDataBytes + " bytes, came before the port");
    }

    /** The watchdog: an attempt still current and open, without its port frame after {@link #START_PATIENCE}. */
    private void startOverdue(Attempt attempt) {
        synchronized (lock) {
            if (current != attempt || attempt.dataPortSeen || !alive.get()) {
                return;
            }
        }
        startLost(attempt.socket.getNow(null), "no port frame within " + START_PATIENCE.toSeconds() + " s of asking");
    }

    /** {@code ws}: null when the lost start never said it opened. */
    private void startLost(WebSocket ws, String how) {
        LOST_STARTS.incrementAndGet();
        if (ws != null) {
            ws.sendClose(1000, "start lost, made again");
        }
        synchronized (lock) {
            if (alive.get() && preamble != null && starts < MAX_STARTS) {
                LOG.log(Level.FINE, "Port-forward to {0}: the first messages were lost ({1}); making the tunnel again",
                        new Object[] {target, how});
                try {
                    start();
                    return;
                } catch (RuntimeException e) {
                    serverThrowables.add(e); // the client was closed meanwhile: nothing to make again with
                }
            }
        }
        if (alive.get()) {
            serverThrowables.add(new KubernetesClientException("the port-forward to " + target + " lost its first messages "
                    + starts + " times (the last time " + how + "); the connection was closed so that its client connects again"));
        }
        end();
    }

    private void toLocal(WebSocket ws, ByteBuffer data) {
        try {
            writer.execute(() -> {
                try {
                    while (data.hasRemaining()) {
                        local.write(data);
                    }
                    ws.request();
                } catch (IOException e) {
                    if (alive.get()) {
                        clientThrowables.add(e);
                    }
                    end();
                }
            });
        } catch (RejectedExecutionException e) {
            // ended: the local connection is closed, nothing is waiting for these bytes
        }
    }

    /** Sends what the local side writes, until it closes or the tunnel ends. */
    private void pump() {
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        try {
            while (alive.get()) {
                buffer.clear();
                int read = local.read(buffer);
                if (read < 0) {
                    break;
                }
                if (read > 0 && !toPod(buffer.array(), read)) {
                    break;
                }
            }
        } catch (IOException e) {
            if (alive.get()) {
                clientThrowables.add(e);
            }
        }
        end();
    }

    /**
     * Sends to the current WebSocket, and keeps the bytes while the start is not yet seen whole; false once
     * the WebSocket refuses them (closed) with no new start to wait for.
     */
    private boolean toPod(byte[] bytes, int length) {
        synchronized (lock) {
            if (preamble != null) {
                if (preamble.size() + length > PREAMBLE_LIMIT) {
                    preamble = null; // too much to send again: a lost start now ends the connection
                } else {
                    preamble.write(bytes, 0, length);
                }
            }
            if (open == null) {
                return true; // a new start is being made: it sends the preamble when it opens
            }
            boolean sent = open.send(frame(bytes, length));
            return sent || preamble != null;
        }
    }

    private static ByteBuffer frame(byte[] bytes, int length) {
        ByteBuffer message = ByteBuffer.allocate(length + 1);
        message.put((byte) DATA).put(bytes, 0, length).flip();
        return message;
    }

    private void protocolError(WebSocket ws, String what) {
        serverThrowables.add(new KubernetesClientException("the port-forward to " + target + " sent " + what));
        ws.sendClose(1002, "Protocol error");
        end();
    }

    /** Ends both ways: the local connection is closed (its client sees the end) and so is the WebSocket. */
    private void end() {
        if (!alive.compareAndSet(true, false)) {
            return;
        }
        try {
            // The end goes first: closed with bytes it had not read yet, the connection would reach its client
            // as a reset instead of an end (a client that spoke before the tunnel gave up).
            local.shutdownOutput();
        } catch (IOException e) {
            // already closed by its client
        }
        try {
            local.close();
        } catch (IOException e) {
            // closing either way
        }
        writer.shutdownNow();
        Attempt last;
        synchronized (lock) {
            last = current;
        }
        last.socket.thenAccept(ws -> ws.sendClose(1000, "port-forward ended"));
    }

    @Override
    public void close() {
        end();
    }

    @Override
    public boolean isAlive() {
        return alive.get();
    }

    @Override
    public boolean errorOccurred() {
        return !clientThrowables.isEmpty() || !serverThrowables.isEmpty();
    }

    @Override
    public Collection<Throwable> getClientThrowables() {
        return new ArrayList<>(clientThrowables);
    }

    @Override
    public Collection<Throwable> getServerThrowables() {
        return new ArrayList<>(serverThrowables);
    }

    private static Thread daemon(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        return thread;
    }

    private static String join(String base, String path) {
        return base.endsWith("/") ? base + path : base + "/" + path;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
