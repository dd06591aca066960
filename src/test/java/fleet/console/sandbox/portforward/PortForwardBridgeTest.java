package fleet.console.sandbox.portforward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fleet.console.sandbox.nats.NatsServerProcess;
import fleet.console.sandbox.process.Await;
import fleet.console.sandbox.process.FreePorts;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// try-with-resources on jnats connections: their close() declares InterruptedException.
@SuppressWarnings("try")
@Timeout(60)
class PortForwardBridgeTest {

    private static final String NS = "swe-ai-fleet";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Vertx vertx;
    private static PortForwardBridge bridge;
    private static HttpServer apiFront;
    private static KubernetesClient client;
    /**
     * Held for the whole class: Vert.x 5 closes an unreachable client, and its WebSockets with
     * it, from a Cleaner, so a client local to one test can vanish mid-test after a GC.
     */
    private static WebSocketClient wsClient;
    private static NatsServerProcess nats;

    /** ns/pod/port -> where it listens; what the sandbox's simulated kubelet would know. */
    private static final Map<String, InetSocketAddress> PODS = new ConcurrentHashMap<>();
    /** Upgrade requests seen by the front: URI and the subprotocols the client asked for. */
    private static final BlockingQueue<String> UPGRADES = new LinkedBlockingQueue<>();
    private static final BlockingQueue<CompletableFuture<Void>> WATCHED_CLOSES = new LinkedBlockingQueue<>();

    /** Far more than the kernel buffers between two loopback sockets can hold. */
    private static final long FIREHOSE_BYTES = 64L * 1024 * 1024;
    private static final Buffer CHUNK = Buffer.buffer(new byte[64 * 1024]);
    private static final CompletableFuture<Void> FIREHOSE_DONE = new CompletableFuture<>();
    private static final CompletableFuture<NetSocket> SINK = new CompletableFuture<>();
    private static final AtomicLong SINK_RECEIVED = new AtomicLong();
    private static final Map<WebSocket, Context> RAW_CONTEXTS = new ConcurrentHashMap<>();

    @BeforeAll
    static void startSandboxPieces() throws Exception {
        vertx = Vertx.vertx();

        NetServer echo = vertx.createNetServer().connectHandler(socket -> socket.pipeTo(socket));
        NetServer sayByeAndHangUp = vertx.createNetServer().connectHandler(socket ->
                socket.end(Buffer.buffer("bye\n")));
        NetServer watched = vertx.createNetServer().connectHandler(socket -> {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            socket.closeHandler(v -> closed.complete(null));
            WATCHED_CLOSES.add(closed);
        });
        NetServer firehose = vertx.createNetServer().connectHandler(socket -> pour(socket, 0));
        NetServer sink = vertx.createNetServer().connectHandler(socket -> {
            socket.pause();
            socket.handler(data -> SINK_RECEIVED.addAndGet(data.length()));
            SINK.complete(socket);
        });
        InetSocketAddress echoAddress = listen(echo);
        InetSocketAddress byeAddress = listen(sayByeAndHangUp);
        pod("echo-0", 7000, echoAddress);
        pod("echo-1", 7000, echoAddress);
        pod("bye-0", 7001, byeAddress);
        pod("watched-0", 8080, listen(watched));
        pod("firehose-0", 9000, listen(firehose));
        pod("sink-0", 9001, listen(sink));
        pod("multi-0", 7000, echoAddress);
        pod("multi-0", 7001, byeAddress);
        // A known pod whose process is down: the port is free, so connecting is refused.
        pod("down-0", 4222, new InetSocketAddress(FreePorts.LOOPBACK, FreePorts.loopback()));

        if (NatsServerProcess.findBinary().isPresent()) {
            nats = new NatsServerProcess();
            nats.start();
            pod("nats-0", 4222, new InetSocketAddress(FreePorts.LOOPBACK, nats.port()));
        }

        bridge = new PortForwardBridge(vertx, (namespace, pod, port) ->
                Optional.ofNullable(PODS.get(namespace + "/" + pod + "/" + port)));
        apiFront = vertx.createHttpServer(new HttpServerOptions()
                        .setHost("127.0.0.1")
                        .setWebSocketSubProtocols(PortForwardBridge.SUBPROTOCOLS))
                .requestHandler(request -> {
                    Optional<PortForwardBridge.Request> forward = PortForwardBridge.parse(request.path(), request.query());
                    if (forward.isEmpty() || !request.canUpgradeToWebSocket()) {
                        request.response().setStatusCode(404).end();
                        return;
                    }
                    UPGRADES.add(request.uri() + " " + request.getHeader("Sec-WebSocket-Protocol"));
                    PortForwardBridge.Request r = forward.get();
                    request.toWebSocket().onSuccess(ws -> bridge.handle(ws, r.namespace(), r.pod(), r.ports()));
                });
        await(apiFront.listen(0));
        wsClient = vertx.createWebSocketClient();

        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + apiFront.actualPort())
                .withNamespace(NS)
                .withHttp2Disable(true)
                .build()).build();
    }

    @AfterAll
    static void stopSandboxPieces() throws Exception {
        if (client != null) {
            client.close();
        }
        if (nats != null) {
            nats.stop();
        }
        if (wsClient != null) {
            await(wsClient.close());
        }
        if (bridge != null) {
            await(bridge.close());
        }
        if (vertx != null) {
            await(vertx.close());
        }
    }

    @Test
    void theConsolesForwardAsksForTheV4ChannelProtocolOnThePortforwardSubresource() throws Exception {
        UPGRADES.clear();
        try (LocalPortForward forward = forward("echo-0", 7000); Socket socket = connect(forward)) {
            roundTrip(socket, "ping".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("/api/v1/namespaces/swe-ai-fleet/pods/echo-0/portforward?ports=7000 v4.channel.k8s.io",
                UPGRADES.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void severalKilobytesMakeTheRoundTripThroughAnEchoPod() throws Exception {
        byte[] payload = new byte[48 * 1024];
        new Random(42).nextBytes(payload);
        try (LocalPortForward forward = forward("echo-0", 7000); Socket socket = connect(forward)) {
            roundTrip(socket, payload);
        }
    }

    @Test
    void twoForwardsAtOnceEachReachTheirOwnPod() throws Exception {
        try (LocalPortForward first = forward("echo-0", 7000);
                LocalPortForward second = forward("echo-1", 7000);
                Socket a = connect(first);
                Socket b = connect(second)) {
            for (int i = 0; i < 5; i++) {
                roundTrip(a, ("first " + i).getBytes(StandardCharsets.UTF_8));
                roundTrip(b, ("second " + i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void jetStreamWorksThroughAForwardToTheNatsPod() throws Exception {
        Assumptions.assumeTrue(nats != null, "nats-server not on PATH: sudo apt-get install -y nats-server");
        try (LocalPortForward natsForward = forward("nats-0", 4222);
                LocalPortForward echoForward = forward("echo-0", 7000);
                Socket echo = connect(echoForward);
                Connection nc = Nats.connect(new Options.Builder()
                        .server("nats://127.0.0.1:" + natsForward.getLocalPort())
                        .connectionTimeout(Duration.ofSeconds(5))
                        .maxReconnects(0)
                        .build())) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder()
                    .name("AGENT_RESPONSES").subjects("agent.response.>").storageType(StorageType.File).build());
            for (int i = 0; i < 4; i++) {
                nc.jetStream().publish("agent.response.completed", ("result " + i).getBytes(StandardCharsets.UTF_8));
                roundTrip(echo, ("meanwhile " + i).getBytes(StandardCharsets.UTF_8));
            }

            assertEquals(4, jsm.getStreamInfo("AGENT_RESPONSES").getStreamState().getMsgCount());
        }
    }

    @Test
    void unknownPodEndsTheLocalConnectionWithTheKubeletsError() throws Exception {
        try (LocalPortForward forward = forward("ghost-0", 4222); Socket socket = connect(forward)) {
            assertEquals(-1, socket.getInputStream().read(), "the local connection must end, not hang");
            awaitTrue(forward::errorOccurred);
            String errors = forward.getServerThrowables().toString();
            assertTrue(errors.contains("error forwarding port 4222 to pod ghost-0"), errors);
        }
    }

    @Test
    void podWhoseProcessIsDownReportsConnectionRefused() throws Exception {
        try (LocalPortForward forward = forward("down-0", 4222); Socket socket = connect(forward)) {
            assertEquals(-1, socket.getInputStream().read());
            awaitTrue(forward::errorOccurred);
            String errors = forward.getServerThrowables().toString();
            assertTrue(errors.contains("error forwarding port 4222 to pod down-0: connection refused"), errors);
        }
    }

    @Test
    void podThatHangsUpEndsTheLocalConnectionAfterItsLastBytes() throws Exception {
        try (LocalPortForward forward = forward("bye-0", 7001); Socket socket = connect(forward)) {
            assertEquals("bye\n", new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void closingTheForwardClosesTheConnectionToThePod() throws Exception {
        WATCHED_CLOSES.clear();
        LocalPortForward forward = forward("watched-0", 8080);
        try (Socket socket = connect(forward)) {
            socket.getOutputStream().write('x');
            CompletableFuture<Void> podSideClosed = WATCHED_CLOSES.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(podSideClosed != null, "the bridge never connected to the pod");

            forward.close();

            podSideClosed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void severalPortsShareOneWebSocketOnChannelsTwoPerPort() throws Exception {
        BlockingQueue<Buffer> received = new LinkedBlockingQueue<>();
        CompletableFuture<Short> closedWith = new CompletableFuture<>();
        WebSocket ws = openRaw("multi-0", "7000,7001", received, closedWith);

        assertArrayEquals(new byte[] {0, 0x58, 0x1B}, next(received), "data channel of 7000, port little-endian");
        assertArrayEquals(new byte[] {1, 0x58, 0x1B}, next(received), "error channel of 7000");
        assertArrayEquals(new byte[] {2, 0x59, 0x1B}, next(received), "data channel of 7001");
        assertArrayEquals(new byte[] {3, 0x59, 0x1B}, next(received), "error channel of 7001");
        // 7001 says bye and hangs up; 7000 keeps the WebSocket open.
        assertArrayEquals(frame(2, "bye\n"), next(received));

        await(ws.writeBinaryMessage(Buffer.buffer(frame(0, "still there?"))));

        assertArrayEquals(frame(0, "still there?"), next(received));
        assertTrue(!closedWith.isDone(), "the WebSocket closed although port 7000 is still open");
        await(ws.close());
    }

    @Test
    void unreachablePortGetsAnErrorWhileTheOtherPortKeepsWorking() throws Exception {
        BlockingQueue<Buffer> received = new LinkedBlockingQueue<>();
        CompletableFuture<Short> closedWith = new CompletableFuture<>();
        WebSocket ws = openRaw("multi-0", "9999,7000", received, closedWith);
        for (int i = 0; i < 4; i++) {
            next(received);
        }

        assertArrayEquals(frame(1, "error forwarding port 9999 to pod multi-0: pod not found in namespace "
                + NS + " or nothing listens on that port"), next(received));
        await(ws.writeBinaryMessage(Buffer.buffer(frame(2, "echo"))));
        assertArrayEquals(frame(2, "echo"), next(received));
        await(ws.close());
    }

    @Test
    void aChannelBeyondTheRequestedPortsIsAProtocolError() throws Exception {
        BlockingQueue<Buffer> received = new LinkedBlockingQueue<>();
        CompletableFuture<Short> closedWith = new CompletableFuture<>();
        WebSocket ws = openRaw("echo-0", "7000", received, closedWith);
        next(received);
        next(received);

        ws.writeBinaryMessage(Buffer.buffer(frame(4, "nope")));

        assertEquals((short) 1002, closedWith.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aClientThatStopsReadingPausesThePodInsteadOfFillingMemory() throws Exception {
        AtomicLong received = new AtomicLong();
        AtomicInteger dataMessages = new AtomicInteger();
        AtomicInteger largestMessage = new AtomicInteger();
        WebSocket ws = openRaw("firehose-0", "9000", message -> {
            largestMessage.accumulateAndGet(message.length(), Math::max);
            // The first message on channel 0 is the port number, the rest is the pod's stream.
            if (message.getByte(0) == 0 && dataMessages.getAndIncrement() > 0) {
                received.addAndGet(message.length() - 1);
            }
        }, new CompletableFuture<>(), true);

        // Kernel buffers on the way hold a few MB at most; without back-pressure the bridge would
        // read the whole stream into its WebSocket queue and the pod would finish sending.
        assertEquals(Await.Outcome.TIMED_OUT, Await.until(FIREHOSE_DONE::isDone, Duration.ofSeconds(1)));

        ws.resume();

        assertEquals(Await.Outcome.MET, Await.until(() -> received.get() == FIREHOSE_BYTES, Duration.ofSeconds(30)),
                () -> "received " + received.get() + " of " + FIREHOSE_BYTES + " bytes in " + dataMessages.get()
                        + " data messages; the pod " + (FIREHOSE_DONE.isDone() ? "sent them all" : "did not send them all"));
        assertTrue(largestMessage.get() <= PortForwardBridge.MAX_PAYLOAD + 1, "message of " + largestMessage.get());
        await(ws.close());
    }

    @Test
    void aPodThatStopsReadingPausesTheClientInsteadOfFillingMemory() throws Exception {
        WebSocket ws = openRaw("sink-0", "9001", message -> { }, new CompletableFuture<>(), false);
        NetSocket sink = SINK.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        CompletableFuture<Void> allSent = new CompletableFuture<>();
        AtomicLong clientSent = new AtomicLong();
        // On the WebSocket's own event loop: checking writeQueueFull() and then registering the
        // drain handler from another thread could miss the drain in between and stall.
        RAW_CONTEXTS.get(ws).runOnContext(v -> sendUntilDone(ws, clientSent, allSent));

        assertEquals(Await.Outcome.TIMED_OUT, Await.until(allSent::isDone, Duration.ofSeconds(1)));

        sink.resume();

        assertEquals(Await.Outcome.MET, Await.until(() -> SINK_RECEIVED.get() == FIREHOSE_BYTES, Duration.ofSeconds(30)),
                () -> "sink got " + SINK_RECEIVED.get() + ", client sent " + clientSent.get());
        allSent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await(ws.close());
    }

    @Test
    void parseRecognisesThePortforwardSubresource() {
        assertEquals(Optional.of(new PortForwardBridge.Request(NS, "nats-0", List.of(4222))),
                PortForwardBridge.parse("/api/v1/namespaces/swe-ai-fleet/pods/nats-0/portforward", "ports=4222"));
        assertEquals(Optional.of(new PortForwardBridge.Request(NS, "nats-0", List.of(4222, 8222))),
                PortForwardBridge.parse("/api/v1/namespaces/swe-ai-fleet/pods/nats-0/portforward", "ports=4222,8222"));
        assertEquals(Optional.of(new PortForwardBridge.Request(NS, "nats-0", List.of(4222, 8222))),
                PortForwardBridge.parse("/api/v1/namespaces/swe-ai-fleet/pods/nats-0/portforward",
                        "ports=4222&timeout=5&ports=8222"));
        assertEquals(Optional.of(new PortForwardBridge.Request(NS, "nats-0", List.of(4222, 8222))),
                PortForwardBridge.parse("/api/v1/namespaces/swe-ai-fleet/pods/nats-0/portforward", "ports=4222%2C8222"));
    }

    @Test
    void parseRejectsOtherPathsAndBadPorts() {
        String path = "/api/v1/namespaces/swe-ai-fleet/pods/nats-0/portforward";
        assertEquals(Optional.empty(), PortForwardBridge.parse(path, null));
        assertEquals(Optional.empty(), PortForwardBridge.parse(path, "ports="));
        assertEquals(Optional.empty(), PortForwardBridge.parse(path, "ports=0"));
        assertEquals(Optional.empty(), PortForwardBridge.parse(path, "ports=65536"));
        assertEquals(Optional.empty(), PortForwardBridge.parse(path, "ports=http"));
        assertEquals(Optional.empty(), PortForwardBridge.parse(path, "ports=4222,-1"));
        assertEquals(Optional.empty(), PortForwardBridge.parse("/api/v1/namespaces/swe-ai-fleet/pods/nats-0/exec", "ports=4222"));
        assertEquals(Optional.empty(), PortForwardBridge.parse("/api/v1/namespaces/swe-ai-fleet/pods/nats-0", "ports=4222"));
        assertEquals(Optional.empty(), PortForwardBridge.parse("/api/v1/namespaces/../pods/nats-0/portforward", "ports=4222"));
        assertEquals(Optional.empty(), PortForwardBridge.parse("/api/v1/namespaces/swe-ai-fleet/pods/Nats/portforward", "ports=4222"));
    }

    // --- helpers -------------------------------------------------------------------------------

    /** The console's port-forward (loopback, a tunnel per connection), which is what meets this bridge in use. */
    private static LocalPortForward forward(String pod, int port) {
        return fleet.console.cluster.PortForwards.open(client, NS, pod, port);
    }

    private static Socket connect(LocalPortForward forward) throws Exception {
        Socket socket = new Socket(FreePorts.LOOPBACK, forward.getLocalPort());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private static void roundTrip(Socket socket, byte[] payload) throws Exception {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(payload);
        out.flush();
        assertArrayEquals(payload, in.readNBytes(payload.length));
    }

    /** A WebSocket client of our own, to see the frames fabric8 hides (and to ask for several ports). */
    private static WebSocket openRaw(String pod, String ports, BlockingQueue<Buffer> received,
            CompletableFuture<Short> closedWith) throws Exception {
        return openRaw(pod, ports, received::add, closedWith, false);
    }

    private static WebSocket openRaw(String pod, String ports, Handler<Buffer> onMessage,
            CompletableFuture<Short> closedWith, boolean paused) throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(apiFront.actualPort())
                .setURI("/api/v1/namespaces/" + NS + "/pods/" + pod + "/portforward?ports=" + ports)
                .setSubProtocols(List.of("v4.channel.k8s.io"));
        CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        // The handlers are set before connecting: set once connected, even from the event loop, they missed
        // the port frame now and then (frames read with the upgrade's response are dropped without a handler;
        // CI run cc26 then took the first data message for the port and waited for a byte count never reached).
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            ClientWebSocket ws = wsClient.webSocket();
            ws.binaryMessageHandler(onMessage);
            ws.closeHandler(closed -> closedWith.complete(ws.closeStatusCode()));
            ws.connect(options).onComplete(result -> {
                if (result.failed()) {
                    opened.completeExceptionally(result.cause());
                    return;
                }
                if (paused) {
                    ws.pause(); // refused before it is connected
                }
                opened.complete(ws);
            });
        });
        WebSocket ws = opened.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("v4.channel.k8s.io", ws.subProtocol());
        RAW_CONTEXTS.put(ws, context);
        return ws;
    }

    /** Writes FIREHOSE_BYTES as fast as the socket takes them, honouring its write queue. */
    private static void pour(NetSocket socket, long written) {
        long sent = written;
        while (sent < FIREHOSE_BYTES && !socket.writeQueueFull()) {
            socket.write(CHUNK);
            sent += CHUNK.length();
        }
        if (sent >= FIREHOSE_BYTES) {
            // The handler that called this one stays set otherwise: the next drain (the client reading the last
            // megabytes) called it again and sent everything from its offset once more (cc37: 3 MB too many).
            socket.drainHandler(null);
            FIREHOSE_DONE.complete(null);
            return;
        }
        long resumeAt = sent;
        socket.drainHandler(v -> pour(socket, resumeAt));
    }

    /** Sends FIREHOSE_BYTES on data channel 0, honouring the WebSocket's write queue. */
    private static void sendUntilDone(WebSocket ws, AtomicLong sent, CompletableFuture<Void> done) {
        Buffer message = Buffer.buffer().appendByte((byte) 0).appendBuffer(CHUNK, 0, 32 * 1024);
        while (sent.get() < FIREHOSE_BYTES && !ws.writeQueueFull()) {
            ws.writeBinaryMessage(message);
            sent.addAndGet(message.length() - 1);
        }
        if (sent.get() >= FIREHOSE_BYTES) {
            ws.drainHandler(null); // as in pour: not called again by a later drain
            done.complete(null);
            return;
        }
        ws.drainHandler(v -> sendUntilDone(ws, sent, done));
    }

    private static byte[] next(BlockingQueue<Buffer> received) throws InterruptedException {
        Buffer message = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(message != null, "no message within " + WAIT);
        return message.getBytes();
    }

    private static byte[] frame(int channel, String payload) {
        return Buffer.buffer().appendByte((byte) channel).appendString(payload).getBytes();
    }

    private static InetSocketAddress listen(NetServer server) throws Exception {
        await(server.listen(0, "127.0.0.1"));
        return new InetSocketAddress(FreePorts.LOOPBACK, server.actualPort());
    }

    private static void pod(String pod, int port, InetSocketAddress target) {
        PODS.put(key(pod, port), target);
    }

    private static String key(String pod, int port) {
        return NS + "/" + pod + "/" + port;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        assertEquals(Await.Outcome.MET, Await.until(condition, WAIT));
    }
}
