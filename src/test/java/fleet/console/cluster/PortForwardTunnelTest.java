package fleet.console.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's port-forward tunnel against a kubelet-like WebSocket server whose first messages can go
 * missing, as they did under load with fabric8's Vert.x 5 client (one tunnel in a few hundred to the
 * sandbox's orchestrators: a gRPC channel then waited for the SETTINGS it never got). The server here
 * leaves the port frames out on purpose, as many times as a test asks.
 */
@Timeout(60)
class PortForwardTunnelTest {

    private static final int PORT = 50055;
    private static final byte[] GREETING = "GREETING from the pod\n".getBytes(StandardCharsets.UTF_8);

    private static Vertx vertx;
    private static HttpServer kubelet;
    private static KubernetesClient client;

    /** How many of the next upgrades lose their start (the port frames), and what each upgrade received. */
    private static final AtomicInteger startsToLose = new AtomicInteger();
    private static final AtomicInteger upgrades = new AtomicInteger();
    private static final List<ByteArrayOutputStream> received = new CopyOnWriteArrayList<>();
    /** When set, the pod answers with an error on the error channel instead of working. */
    private static volatile String podError;
    /** When set, a lost start loses the pod's greeting too: nothing at all reaches the client. */
    private static volatile boolean silentLoss;
    /** When set, a lost start is followed by the WebSocket's close, as after a kubelet's error whose text was lost. */
    private static volatile boolean closeOnLoss;

    @BeforeAll
    static void startKubelet() throws Exception {
        vertx = Vertx.vertx();
        kubelet = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
                        .setWebSocketSubProtocols(List.of("v4.channel.k8s.io")))
                .requestHandler(request -> {
                    if (!request.path().endsWith("/portforward") || !("ports=" + PORT).equals(request.query())) {
                        request.response().setStatusCode(404).end();
                        return;
                    }
                    request.toWebSocket().onSuccess(PortForwardTunnelTest::serve);
                });
        kubelet.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + kubelet.actualPort())
                .withNamespace("swe-ai-fleet")
                .withHttp2Disable(true)
                .build()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void reset() {
        startsToLose.set(0);
        upgrades.set(0);
        received.clear();
        podError = null;
        silentLoss = false;
        closeOnLoss = false;
    }

    /** A pod that greets first (as a gRPC server sends SETTINGS, a NATS server INFO), then echoes. */
    private static void serve(ServerWebSocket ws) {
        upgrades.incrementAndGet();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        received.add(got);
        boolean lost = startsToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        boolean working = !lost && podError == null;
        ws.binaryMessageHandler(message -> {
            if (message.length() < 1 || message.getByte(0) != 0) {
                return;
            }
            byte[] data = message.getBytes(1, message.length());
            synchronized (got) {
                got.write(data, 0, data.length);
            }
            if (working) {
                ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 0).appendBytes(data));
            }
        });
        if (!lost) {
            ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 0).appendUnsignedShortLE(PORT));
            ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 1).appendUnsignedShortLE(PORT));
        }
        if (podError != null && !lost) {
            ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 1).appendString(podError));
            return;
        }
        if (lost && closeOnLoss) {
            ws.close();
            return;
        }
        if (lost && silentLoss) {
            return;
        }
        // With its start lost, the client's first message is the pod's greeting.
        ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 0).appendBytes(GREETING));
    }

    private static byte[] readExactly(InputStream in, int n) throws Exception {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(out, off, n - off);
            if (r < 0) {
                throw new AssertionError("the connection ended after " + off + " of " + n + " bytes");
            }
            off += r;
        }
        return out;
    }

    private static String receivedBy(int upgrade) {
        ByteArrayOutputStream got = received.get(upgrade);
        synchronized (got) {
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aTunnelWhoseStartIsLostIsMadeAgainAndItsClientSeesOneConnectionThatWorks() throws Exception {
        startsToLose.set(1);
        long lostBefore = PortForwardTunnel.lostStarts();
        try (LocalPortForward forward = PortForwards.open(client, "swe-ai-fleet", "orchestrator-0", PORT);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), forward.getLocalPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // The client speaks first, before anything came back: these bytes must reach the pod that answers.
            out.write("hello\n".getBytes(StandardCharsets.UTF_8));
            out.flush();

            assertThat(new String(readExactly(in, GREETING.length), StandardCharsets.UTF_8))
                    .as("the pod's first bytes, which fabric8's forwarder swallowed").isEqualTo(new String(GREETING, StandardCharsets.UTF_8));
            assertThat(new String(readExactly(in, 6), StandardCharsets.UTF_8)).isEqualTo("hello\n");
            out.write("again\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(new String(readExactly(in, 6), StandardCharsets.UTF_8)).isEqualTo("again\n");

            assertThat(upgrades.get()).as("one WebSocket lost its start, a second one worked").isGreaterThanOrEqualTo(2);
            int last = upgrades.get() - 1; // a start can be lost for real too, now and then: the last one worked
            assertThat(receivedBy(last)).as("what the client sent before the start was whole is sent again, once")
                    .isEqualTo("hello\nagain\n");
            assertThat(PortForwardTunnel.lostStarts() - lostBefore).isEqualTo(last);
            assertThat(forward.errorOccurred()).isFalse();
        }
    }

    @Test
    void aStartLostEveryTimeEndsTheConnectionSoItsClientConnectsAgain() throws Exception {
        startsToLose.set(PortForwardTunnel.MAX_STARTS);
        try (LocalPortForward forward = PortForwards.open(client, "swe-ai-fleet", "orchestrator-0", PORT);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), forward.getLocalPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));

            assertThat(socket.getInputStream().read()).as("the connection ends, nothing of a broken start is passed on").isEqualTo(-1);
            assertThat(upgrades.get()).isEqualTo(PortForwardTunnel.MAX_STARTS);
            assertThat(forward.getServerThrowables()).extracting(Throwable::getMessage)
                    .anySatisfy(m -> assertThat(m).contains("lost its first messages " + PortForwardTunnel.MAX_STARTS + " times"));

            // The next connection of the same forward gets its own tunnel, which works.
            try (Socket next = new Socket(InetAddress.getLoopbackAddress(), forward.getLocalPort())) {
                next.setSoTimeout(10_000);
                assertThat(readExactly(next.getInputStream(), GREETING.length)).isEqualTo(GREETING);
            }
        }
    }

    @Test
    void aStartLostWithThePodsFirstBytesIsNoticedAfterAWhileAndMadeAgain() throws Exception {
        // As a NATS client waits for the server's INFO: with the port frames and the INFO lost, nothing else comes.
        // This happened once in sixty runs of the large exchange below (and as often with fabric8's forwarder).
        startsToLose.set(1);
        silentLoss = true;
        try (LocalPortForward forward = PortForwards.open(client, "swe-ai-fleet", "orchestrator-0", PORT);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), forward.getLocalPort())) {
            socket.setSoTimeout((int) PortForwardTunnel.START_PATIENCE.toMillis() + 10_000);
            long started = System.nanoTime();
            assertThat(readExactly(socket.getInputStream(), GREETING.length)).isEqualTo(GREETING);
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(upgrades.get()).isGreaterThanOrEqualTo(2);
            assertThat(waitedMs).as("the second start waited for the first one's patience")
                    .isGreaterThanOrEqualTo(PortForwardTunnel.START_PATIENCE.toMillis() - 100);
            socket.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(readExactly(socket.getInputStream(), 5), StandardCharsets.UTF_8)).isEqualTo("ping\n");
            assertThat(forward.errorOccurred()).isFalse();
        }
    }

    @Test
    void aWebSocketClosedBeforeItsPortFrameIsALostStartAndIsMadeAgain() throws Exception {
        // The kubelet sends the port before it closes, even to say why it cannot forward; a close without it
        // (the port frames and an error's text lost) would otherwise end the connection with no reason given.
        startsToLose.set(1);
        closeOnLoss = true;
        try (LocalPortForward forward = PortForwards.open(client, "swe-ai-fleet", "orchestrator-0", PORT);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), forward.getLocalPort())) {
            socket.setSoTimeout(10_000);
            assertThat(readExactly(socket.getInputStream(), GREETING.length)).isEqualTo(GREETING);
            assertThat(upgrades.get()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aLargeExchangeArrivesWholeAndInOrderBothWays() throws Exception {
        byte[] payload = new byte[300_000];
        new Random(7).nextBytes(payload);
        try (LocalPortForward forward = PortForwards.open(client, "swe-ai-fleet", "orchestrator-0", PORT);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), forward.getLocalPort())) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            assertThat(readExactly(in, GREETING.length)).isEqualTo(GREETING);
            Thread sender = new Thread(() -> {
                try {
                    socket.getOutputStream().write(payload);
                    socket.getOutputStream().flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            assertThat(readExactly(in, payload.length)).isEqualTo(payload);
            sender.join(10_000);
        }
    }

    @Test
    void aPodErrorOnTheErrorChannelEndsTheConnectionAndIsKept() throws Exception {
        podError = "error forwarding port 50055 to pod orchestrator-0: connection refused";
        try (LocalPortForward forward = PortForwards.open(client, "swe-ai-fleet", "orchestrator-0", PORT);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), forward.getLocalPort())) {
            socket.setSoTimeout(10_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(forward.getServerThrowables()).extracting(Throwable::getMessage)
                    .anySatisfy(m -> assertThat(m).contains("connection refused"));
            assertThat(upgrades.get()).as("an error is no lost start: not made again").isEqualTo(1);
        }
    }
}
