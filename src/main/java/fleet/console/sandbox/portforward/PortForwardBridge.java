package fleet.console.sandbox.portforward;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox API server's {@code pods/portforward} subresource: speaks the Kubernetes WebSocket
 * port-forward protocol (the one fabric8's {@code portForward()} uses) and bridges each
 * forwarded port to a local TCP socket, as the kubelet bridges it into the pod.
 *
 * <p>Protocol, as the kubelet serves it: the i-th port of {@code ?ports=} gets channel 2i for
 * data and 2i+1 for errors; the first server message on each channel is the channel byte plus
 * the port as 2 bytes little-endian; after that every binary message is one channel byte and a
 * payload. A port that cannot be reached gets a text on its error channel, and the connection
 * closes once no port is left open.
 *
 * <p>All state of one forward lives on the WebSocket's event loop; nothing here blocks.
 */
public final class PortForwardBridge {

    /**
     * Subprotocols with the binary channel framing this bridge speaks, for the API front's
     * {@code HttpServerOptions.setWebSocketSubProtocols}. fabric8 asks for v4.channel.k8s.io;
     * v1-v4 differ only in exec's status channel, so for port-forward they frame alike. The
     * base64 variant and kubectl's SPDY-over-WebSocket tunnel are deliberately absent.
     */
    public static final List<String> SUBPROTOCOLS =
            List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");

    /**
     * Largest payload per message. A TCP read can be 64 KiB, and one byte more would make Vert.x
     * split the message into continuation frames; a client that reads frames rather than whole
     * messages would then take the second frame's first payload byte for a channel number.
     */
    static final int MAX_PAYLOAD = 32 * 1024 - 1;

    /** How often a forward looks whether its pod still runs (from memory: cheap). */
    static final long INSTANCE_CHECK_MS = 250;

    /** A refused connection answers at once; this only bounds a target that never answers. */
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private static final String NAME = "[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?";
    private static final Pattern PATH =
            Pattern.compile("/api/v1/namespaces/(" + NAME + ")/pods/(" + NAME + ")/portforward/?");

    private static final System.Logger LOG = System.getLogger(PortForwardBridge.class.getName());

    /** A port-forward request as the API front routes it. */
    public record Request(String namespace, String pod, List<Integer> ports) {
        public Request {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(pod, "pod");
            ports = List.copyOf(ports);
            if (ports.isEmpty()) {
                throw new IllegalArgumentException("at least one port is required");
            }
        }
    }

    private final PortForwardTarget targets;
    private final NetClient net;

    public PortForwardBridge(Vertx vertx, PortForwardTarget targets) {
        this.targets = Objects.requireNonNull(targets, "targets");
        this.net = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setReconnectAttempts(0)
                // Forwarded traffic is mostly small request/response exchanges (NATS, gRPC).
                .setTcpNoDelay(true));
    }

    /**
     * Recognises {@code /api/v1/namespaces/{ns}/pods/{pod}/portforward} with
     * {@code ports=N[,M...]} (repeated {@code ports=} parameters are accepted too, as the API
     * server does). Empty when the path is something else or no valid port is given.
     */
    public static Optional<Request> parse(String path, String query) {
        if (path == null) {
            return Optional.empty();
        }
        Matcher matcher = PATH.matcher(path);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        List<Integer> ports = new ArrayList<>();
        if (query != null) {
            for (String parameter : query.split("&")) {
                int equals = parameter.indexOf('=');
                if (equals < 0 || !parameter.substring(0, equals).equals("ports")) {
                    continue;
                }
                String value = URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
                for (String port : value.split(",")) {
                    Optional<Integer> parsed = port(port.trim());
                    if (parsed.isEmpty()) {
                        return Optional.empty();
                    }
                    ports.add(parsed.get());
                }
            }
        }
        if (ports.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Request(matcher.group(1), matcher.group(2), ports));
    }

    /**
     * Serves one upgraded port-forward WebSocket until either side closes. Call it on the
     * WebSocket's event loop, i.e. from the handler that received it.
     */
    public void handle(ServerWebSocket ws, String namespace, String pod, List<Integer> ports) {
        Objects.requireNonNull(ws, "ws");
        Request request = new Request(namespace, pod, ports);
        if (Vertx.currentContext() == null) {
            throw new IllegalStateException("PortForwardBridge.handle must run on the WebSocket's event loop");
        }
        new Forward(ws, request).start();
    }

    /** Releases the TCP client; forwards in progress are not interrupted by it. */
    public Future<Void> close() {
        return net.close();
    }

    private static Optional<Integer> port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? Optional.of(port) : Optional.empty();
    }

    /** Kubelet-style wording, so the console shows the same text as against a real cluster. */
    static String describe(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (cause instanceof ConnectException && lower.contains("refused")) {
            return "connection refused";
        }
        if (cause instanceof ConnectException && lower.contains("timed out")) {
            return "connection timed out";
        }
        return message;
    }

    /** One WebSocket and the TCP connections of its ports. */
    private final class Forward {

        private final ServerWebSocket ws;
        private final Request request;
        private final NetSocket[] sockets;
        private final boolean[] ended;
        private int pendingConnects;
        private int openPorts;
        private boolean closed;
        private Optional<String> instance = Optional.empty();

        Forward(ServerWebSocket ws, Request request) {
            this.ws = ws;
            this.request = request;
            this.sockets = new NetSocket[request.ports().size()];
            this.ended = new boolean[sockets.length];
            this.pendingConnects = sockets.length;
            this.openPorts = sockets.length;
        }

        void start() {
            // Client bytes may arrive before the targets are connected; hold them in the
            // WebSocket until every port has a socket (or an error) to go to.
            ws.pause();
            ws.binaryMessageHandler(this::fromClient);
            ws.textMessageHandler(text -> protocolError("text messages are not part of the channel protocol"));
            ws.closeHandler(v -> closeTargets());
            instance = instance();
            if (instance.isPresent()) {
                Vertx vertx = Vertx.currentContext().owner();
                vertx.setPeriodic(INSTANCE_CHECK_MS, id -> {
                    if (closed) {
                        vertx.cancelTimer(id);
                    } else if (!instance().equals(instance)) {
                        vertx.cancelTimer(id);
                        podEnded();
                    }
                });
            }
            ws.exceptionHandler(e -> {
                LOG.log(System.Logger.Level.DEBUG, "port-forward WebSocket failed", e);
                closeTargets();
                // A failure such as an oversized message leaves the WebSocket open but useless.
                if (!ws.isClosed()) {
                    ws.close((short) 1011, "port-forward failed");
                }
            });
            for (int i = 0; i < sockets.length; i++) {
                int port = request.ports().get(i);
                ws.writeBinaryMessage(portFrame(dataChannel(i), port));
                ws.writeBinaryMessage(portFrame(errorChannel(i), port));
            }
            for (int i = 0; i < sockets.length; i++) {
                connect(i);
            }
        }

        private void connect(int index) {
            int port = request.ports().get(index);
            Optional<InetSocketAddress> target;
            try {
                target = targets.resolve(request.namespace(), request.pod(), port);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "port-forward target lookup failed", e);
                target = Optional.empty();
            }
            if (target.isEmpty()) {
                fail(index, "pod not found in namespace " + request.namespace() + " or nothing listens on that port");
                settled();
                return;
            }
            net.connect(SocketAddress.inetSocketAddress(target.get())).onComplete(result -> {
                if (result.succeeded()) {
                    attach(index, result.result());
                } else {
                    fail(index, describe(result.cause()));
                }
                settled();
            });
        }

        private void attach(int index, NetSocket socket) {
            if (closed) {
                socket.close();
                return;
            }
            sockets[index] = socket;
            socket.handler(data -> toClient(index, data));
            socket.exceptionHandler(e -> {
                if (!ended[index] && !closed) {
                    ws.writeBinaryMessage(errorFrame(index, describe(e)));
                }
                socket.close();
            });
            socket.closeHandler(v -> portEnded(index));
        }

        private void settled() {
            pendingConnects--;
            if (pendingConnects == 0 && !closed) {
                ws.resume();
            }
        }

        private void fromClient(Buffer message) {
            if (closed) {
                return;
            }
            if (message.length() == 0) {
                protocolError("empty message without a channel byte");
                return;
            }
            int channel = message.getUnsignedByte(0);
            int index = channel / 2;
            if (index >= sockets.length) {
                protocolError("no channel " + channel + " for " + sockets.length + " port(s)");
                return;
            }
            NetSocket target = sockets[index];
            // Client writes to an error channel carry nothing the kubelet acts on either.
            if (channel % 2 == 1 || target == null || ended[index] || message.length() == 1) {
                return;
            }
            target.write(message.getBuffer(1, message.length()));
            if (target.writeQueueFull()) {
                ws.pause();
                target.drainHandler(v -> {
                    if (!closed) {
                        ws.resume();
                    }
                });
                // The socket runs on its own event loop: it may have drained between the check and the handler,
                // and then no drain event comes. Looked at again, so the client is never paused for good.
                if (!target.writeQueueFull() && !closed) {
                    ws.resume();
                }
            }
        }

        private void toClient(int index, Buffer data) {
            // The WebSocket can be gone a moment before its close handler has run.
            if (closed || ws.isClosed()) {
                return;
            }
            for (int from = 0; from < data.length(); from += MAX_PAYLOAD) {
                int length = Math.min(MAX_PAYLOAD, data.length() - from);
                ws.writeBinaryMessage(Buffer.buffer(length + 1)
                        .appendByte((byte) dataChannel(index))
                        .appendBuffer(data, from, length));
            }
            if (ws.writeQueueFull()) {
                sockets[index].pause();
                ws.drainHandler(v -> resumeTargets());
                // As above: a WebSocket that drained before its handler was set gives no drain event.
                if (!ws.writeQueueFull()) {
                    resumeTargets();
                }
            }
        }

        private void resumeTargets() {
            for (int i = 0; i < sockets.length; i++) {
                if (sockets[i] != null && !ended[i]) {
                    sockets[i].resume();
                }
            }
        }

        private void fail(int index, String reason) {
            if (!closed) {
                ws.writeBinaryMessage(errorFrame(index, reason));
            }
            portEnded(index);
        }

        private Buffer errorFrame(int index, String reason) {
            String text = "error forwarding port " + request.ports().get(index) + " to pod " + request.pod() + ": " + reason;
            return Buffer.buffer().appendByte((byte) errorChannel(index)).appendString(text, "UTF-8");
        }

        /** Like the kubelet, the WebSocket stays up while any of its ports is still connected. */
        private void portEnded(int index) {
            if (ended[index]) {
                return;
            }
            ended[index] = true;
            openPorts--;
            if (openPorts == 0 && !closed) {
                closed = true;
                ws.close();
            }
        }

        private void protocolError(String why) {
            if (closed) {
                return;
            }
            closed = true;
            LOG.log(System.Logger.Level.DEBUG, "port-forward protocol error: {0}", why);
            ws.close((short) 1002, "Protocol error: " + why);
            closeTargets();
        }

        private Optional<String> instance() {
            try {
                return targets.instance(request.namespace(), request.pod());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "port-forward instance lookup failed", e);
                return instance;
            }
        }

        /** The pod this forward reaches has stopped (deleted, or made again): its connections end. */
        private void podEnded() {
            if (closed) {
                return;
            }
            LOG.log(System.Logger.Level.DEBUG, "port-forward to {0} ends: the pod stopped", request.pod());
            closeTargets();
            ws.close((short) 1000, "pod " + request.pod() + " stopped");
        }

        private void closeTargets() {
            closed = true;
            for (NetSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    private static int dataChannel(int index) {
        return 2 * index;
    }

    private static int errorChannel(int index) {
        return 2 * index + 1;
    }

    private static Buffer portFrame(int channel, int port) {
        return Buffer.buffer(3).appendByte((byte) channel).appendUnsignedShortLE(port);
    }
}
