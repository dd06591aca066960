package fleet.console.cluster.logs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A followed log's bytes through {@link LogBytes}, from a real HTTP server through fabric8's client: every
 * byte arrives in order, a close from another thread ends a reader that waits on a silent log, and a
 * connection cut mid-log ends the read instead of hanging it.
 */
class LogBytesTest {

    private static final String BASE = "/api/v1/namespaces/ns/pods/";
    private static HttpServer server;
    private static ExecutorService threads;
    private static KubernetesClient client;
    private static byte[] body;
    private static final CountDownLatch done = new CountDownLatch(1);

    @BeforeAll
    static void start() throws IOException {
        StringBuilder text = new StringBuilder();
        Random random = new Random(7);
        String[] words = {"INFO", "ERROR", "réseau", "数据", "🚀", "trace=7f3a9c", "x".repeat(300)};
        for (int i = 0; i < 60_000; i++) {
            text.append("2025-03-01T12:00:00.").append(String.format("%06d", i % 1_000_000)).append("000Z line ").append(i);
            for (int w = random.nextInt(6); w >= 0; w--) {
                text.append(' ').append(words[random.nextInt(words.length)]);
            }
            text.append('\n');
        }
        body = text.toString().getBytes(StandardCharsets.UTF_8);
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "log-bytes-test-api");
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(threads);
        server.createContext("/", LogBytesTest::handle);
        server.start();
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .withNamespace("ns").withHttp2Disable(true).withRequestRetryBackoffLimit(0).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterAll
    static void stop() {
        done.countDown();
        if (client != null) {
            client.close();
        }
        server.stop(0);
        threads.shutdownNow();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals(BASE + "cut/log")) {
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(body, 0, 100_000);
            exchange.getResponseBody().flush();
            // The server drops the connection with the response unfinished (no last chunk), as a broken
            // network does: an exception out of a handler closes the socket.
            throw new IllegalStateException("cut on purpose");
        }
        if (path.equals(BASE + "waiting/log")) {
            byte[] status = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":400,\"reason\":\"BadRequest\","
                    + "\"message\":\"container \\\"main\\\" in pod \\\"waiting\\\" is waiting to start: ContainerCreating\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(400, status.length);
            exchange.getResponseBody().write(status);
            exchange.close();
            return;
        }
        try (exchange) {
            if (!path.endsWith("/log")) {
                String pod = path.substring(BASE.length());
                byte[] json = new KubernetesSerialization().asJson(running(pod)).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, json.length);
                exchange.getResponseBody().write(json);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            switch (path.substring(BASE.length(), path.length() - "/log".length())) {
                case "whole" -> {
                    // Written in odd-sized pieces, so chunks and lines never line up.
                    for (int at = 0; at < body.length; at += 7_919) {
                        out.write(body, at, Math.min(7_919, body.length - at));
                    }
                }
                case "big" -> {
                    // Eight times the body, as fast as the connection takes it.
                    for (int round = 0; round < 8; round++) {
                        out.write(body);
                    }
                }
                case "silent" -> {
                    out.flush();
                    await();
                }
                default -> {
                }
            }
        }
    }

    private static Pod running(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid(name + "-uid").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("i:1").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewContainerStatus().withName("main").withReady(true)
                .withNewState().withNewRunning().withStartedAt("2025-03-01T11:00:00Z").endRunning().endState()
                .endContainerStatus().endStatus().build();
    }

    private static void await() {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static LogBytes follow(String pod) {
        return LogBytes.follow(client, "ns", pod, "main", Optional.empty(), OptionalInt.empty());
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[5_000];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            all.write(buffer, 0, n);
        }
        return all.toByteArray();
    }

    @Test
    void everyByteOfTheLogArrivesInOrder() throws Exception {
        try (LogBytes bytes = follow("whole")) {
            byte[] read = CompletableFuture.supplyAsync(() -> {
                try {
                    return readAll(bytes.input());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            assertThat(read.length).isEqualTo(body.length);
            assertThat(read).isEqualTo(body);
        }
    }

    @Test
    void closingFromAnotherThreadEndsAReaderWaitingOnASilentLog() throws Exception {
        LogBytes bytes = follow("silent");
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return bytes.input().read(new byte[100]);
            } catch (IOException e) {
                return -2;
            }
        });
        assertThat(reader).isNotDone();
        bytes.close();
        assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
        bytes.close(); // twice is harmless
    }

    @Test
    void aConnectionCutMidLogEndsTheReadInsteadOfHangingIt() throws Exception {
        try (LogBytes bytes = follow("cut")) {
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                long n = 0;
                byte[] buffer = new byte[4_096];
                try {
                    for (int r; (r = bytes.input().read(buffer)) >= 0; ) {
                        n += r;
                    }
                } catch (IOException e) {
                    // A broken stream is an end as well; LogStream resumes from its last line.
                }
                return n;
            });
            assertThat(reader.get(30, TimeUnit.SECONDS)).isLessThanOrEqualTo(100_000L);
        }
    }

    @Test
    void aRefusalIsThrownWithTheServersMessageAndCode() {
        assertThatThrownBy(() -> follow("waiting"))
                .isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getStatus().getMessage()).isEqualTo("container \"main\" in pod \"waiting\" is waiting to start: ContainerCreating");
                });
    }

    @Test
    void aReaderThatFallsBehindHoldsTheServerBackAndThenGetsEveryByte() throws Exception {
        try (LogBytes bytes = follow("big")) {
            // Nobody reads: the chunks held stop at the bound (the server is not asked for more)...
            org.testfx.util.WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> bytes.held() >= LogBytes.MAX_CHUNKS);
            assertThat(bytes.held()).isEqualTo(LogBytes.MAX_CHUNKS);
            // ...and once the reader reads, the rest comes, whole and in order.
            long read = CompletableFuture.supplyAsync(() -> {
                long at = 0;
                byte[] buffer = new byte[5_000];
                try {
                    for (int n; (n = bytes.input().read(buffer)) >= 0; at += n) {
                        for (int i = 0; i < n; i++) {
                            if (buffer[i] != body[(int) ((at + i) % body.length)]) {
                                throw new AssertionError("byte " + (at + i) + " is not the body's");
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return at;
            }).get(120, TimeUnit.SECONDS);
            assertThat(read).isEqualTo(8L * body.length);
        }
    }

    @Test
    void theConsolesClientHandsOverArraysOfItsOwnWhichAreKeptAndAnyOtherClientsChunksAreCopied() {
        // The byte-for-byte tests above then read through arrays kept as the client made them.
        assertThat(LogBytes.handsOverFreshArrays(client.getHttpClient()))
                .as("fabric8's Vert.x 5 client (%s) is the one whose arrays are kept", client.getHttpClient().getClass().getName())
                .isTrue();
        HttpClient other = (HttpClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpClient.class},
                (proxy, method, args) -> null);
        assertThat(LogBytes.handsOverFreshArrays(other)).as("a client that may use its buffers again").isFalse();
    }
}
