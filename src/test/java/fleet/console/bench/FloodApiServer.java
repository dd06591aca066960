package fleet.console.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The API server as a log follow sees it, for one pod whose container writes {@code lines} lines as
 * fast as the connection takes them: the pod (GET, list and watch, which the log stream uses to tell a
 * cut from a restart), and its log with kubelet timestamps. The console reads it with its real client,
 * parser and resume logic: the path a real follow uses, without the sandbox's line-by-line writer in
 * the way. The log benchmark's source, and {@code LogStreamBoundTest}'s.
 */
public final class FloodApiServer implements AutoCloseable {

    public static final String NAMESPACE = "bench";
    public static final String POD = "flood";
    public static final String CONTAINER = "main";
    /** One line in this many is an error, so search has something to find. */
    static final int ERROR_EVERY = 1_000;

    private final int lines;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flood-api");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private final String podJson;
    private final String podListJson;
    private volatile long writtenAt;
    private Path log;

    public FloodApiServer(int lines) throws IOException {
        this.lines = lines;
        Pod pod = new PodBuilder().withNewMetadata().withName(POD).withNamespace(NAMESPACE).withUid("flood-uid")
                .withResourceVersion("1").withCreationTimestamp("2025-03-01T11:00:00Z").endMetadata()
                .withNewSpec().withNodeName("bench-node").addNewContainer().withName(CONTAINER).withImage("flood:1")
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewContainerStatus().withName(CONTAINER).withReady(true).withRestartCount(0).withImage("flood:1")
                .withContainerID("containerd://flood-1").withNewState().withNewRunning()
                .withStartedAt("2025-03-01T11:00:00Z").endRunning().endState().endContainerStatus()
                .endStatus().build();
        KubernetesSerialization json = new KubernetesSerialization();
        podJson = json.asJson(pod);
        podListJson = json.asJson(new PodListBuilder().withNewMetadata().withResourceVersion("1").endMetadata()
                .withItems(pod).build());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** When the last line was handed to the connection (nanoTime), 0 before. */
    public long writtenAt() {
        return writtenAt;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
        String base = "/api/v1/namespaces/" + NAMESPACE + "/pods";
        try (exchange) {
            if (path.equals(base + "/" + POD + "/log")) {
                if (query.contains("follow=true")) {
                    flood(exchange);
                } else {
                    // The first read asks for the last 0 lines: the bench follows from "now".
                    reply(exchange, 200, "text/plain", "");
                }
            } else if (path.equals(base + "/" + POD)) {
                reply(exchange, 200, "application/json", podJson);
            } else if (path.equals(base) && query.contains("watch=true") && isUpgrade(exchange)) {
                // No WebSocket here: answered plainly, the client falls back to a streamed HTTP watch.
                reply(exchange, 200, "application/json", "");
            } else if (path.equals(base) && query.contains("watch=true")) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().flush();
                // Nothing changes about the pod; the watch stays open until the bench ends.
                awaitClosing();
            } else if (path.equals(base)) {
                reply(exchange, 200, "application/json", podListJson);
            } else {
                reply(exchange, 404, "application/json", "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                        + "\"reason\":\"NotFound\",\"code\":404,\"message\":\"not here: " + path + "\"}");
            }
        }
    }

    /**
     * The whole log, written to a file before the follow starts: serving it is then a copy, so the source
     * takes little of the CPU the console's own reading needs (they share this machine's cores, which a
     * real API server and its kubelet would not).
     */
    private synchronized Path written() throws IOException {
        if (log == null) {
            Path file = Files.createTempFile("flood", ".log");
            file.toFile().deleteOnExit();
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                StringBuilder chunk = new StringBuilder(70_000);
                for (int i = 0; i < lines; i++) {
                    line(chunk, i);
                    if (chunk.length() > 64_000) {
                        out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
                        chunk.setLength(0);
                    }
                }
                out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
            }
            log = file;
        }
        return log;
    }

    /** Writes the log to its file now, before anything is measured. */
    public void prepare() throws IOException {
        written();
    }

    private void flood(HttpExchange exchange) throws IOException {
        Path file = written();
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        Files.copy(file, out);
        out.flush();
        writtenAt = System.nanoTime();
        // A follow stays open while the container runs; closing it would look like a cut to resume from.
        awaitClosing();
    }

    /**
     * {@code 2025-03-01T12:00:00.000001000Z <python logging line>}: a line per microsecond, so every
     * timestamp is distinct and the resume point never has to drop a line.
     */
    static void line(StringBuilder out, int i) {
        long micros = i;
        long second = micros / 1_000_000;
        long fraction = micros % 1_000_000;
        out.append("2025-03-01T12:");
        two(out, (int) (second / 60 % 60));
        out.append(':');
        two(out, (int) (second % 60));
        out.append('.');
        String f = Long.toString(fraction);
        for (int k = f.length(); k < 6; k++) {
            out.append('0');
        }
        out.append(f).append("000Z ");
        if (i % ERROR_EVERY == ERROR_EVERY - 1) {
            out.append("2025-03-01 12:00:00,000 [ERROR] ray_executor: Task ").append(i)
                    .append(" failed: ModuleNotFoundError: No module named 'src'\n");
        } else if (i % 997 == 0) {
            out.append("2025-03-01 12:00:00,000 [WARNING] ray_executor: NATS slow, retrying request ").append(i).append('\n');
        } else {
            out.append("2025-03-01 12:00:00,000 [INFO] ray_executor: Health check OK (").append(i)
                    .append(" checks, consumers active) trace=7f3a9c").append(i % 9973).append('\n');
        }
    }

    private static void two(StringBuilder out, int v) {
        if (v < 10) {
            out.append('0');
        }
        out.append(v);
    }

    private static boolean isUpgrade(HttpExchange exchange) {
        String upgrade = exchange.getRequestHeaders().getFirst("Upgrade");
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    private static void reply(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private void awaitClosing() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        Path file;
        synchronized (this) {
            file = log;
        }
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // deleteOnExit takes it
            }
        }
        server.stop(0);
        threads.shutdownNow();
    }
}
