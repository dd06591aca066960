package fleet.console.sandbox.api;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sandbox's Kubernetes API server: the fabric8 emulator in CRUD mode, served by our own Vert.x
 * front instead of the emulator's web server. The emulator answers every request with one complete
 * body, which is right for CRUD and watches but wrong for {@code logs?follow=true} (a stream that stays
 * open) and for port-forward (a byte tunnel); the front serves those itself through {@link Route}s and
 * hands everything else to the emulator.
 */
public final class SandboxApiServer implements AutoCloseable {

    /** A part of the API the emulator does not serve; asked in order before the emulator. */
    public interface Route {
        /** Returns true when it took the request (and answers it, possibly later). */
        boolean handle(HttpServerRequest request, io.vertx.core.buffer.Buffer body);

        /** WebSocket upgrades (port-forward, exec) are offered here before the emulator's watches. */
        default boolean handleUpgrade(HttpServerRequest request) {
            return false;
        }
    }

    private static final List<String> WEBSOCKET_SUBPROTOCOLS = List.of(
            "v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io",
            "channel.k8s.io", "v2.portforward.k8s.io", "portforward.k8s.io");

    private final Vertx vertx;
    private final KubernetesCrudDispatcher emulator = new IndexedEmulator();
    private final ClosingWatches closingWatches = ClosingWatches.of(emulator);
    private final ResumedWatches resumedWatches = ResumedWatches.of(emulator);
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final String version;
    private volatile HttpServer server;
    private volatile int port;
    private volatile long latencyMillis;

    public SandboxApiServer(Vertx vertx, String kubernetesVersion) {
        this.vertx = vertx;
        this.version = kubernetesVersion;
    }

    public void addRoute(Route route) {
        routes.add(route);
    }

    /** Starts listening on 127.0.0.1; port 0 picks a free one. */
    public synchronized void start(int requestedPort) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(requestedPort)
                .setReuseAddress(true)
                .setWebSocketSubProtocols(new ArrayList<>(WEBSOCKET_SUBPROTOCOLS))
                .setHandle100ContinueAutomatically(true);
        HttpServer created = vertx.createHttpServer(options).requestHandler(this::handle);
        await(created.listen(), "start the sandbox API server on port " + requestedPort);
        server = created;
        port = created.actualPort();
    }

    /** Stops listening: clients get "connection refused" as from an API server that went away. */
    public synchronized void stop() {
        HttpServer current = server;
        server = null;
        if (current != null) {
            await(current.close(), "stop the sandbox API server");
        }
    }

    public boolean isListening() {
        return server != null;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public KubernetesCrudDispatcher emulator() {
        return emulator;
    }

    /** Adds this much latency to every answer (the {@code api-slow} fault); 0 for none. */
    public void setLatencyMillis(long millis) {
        this.latencyMillis = Math.max(0, millis);
    }

    public Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpServerRequest request) {
        long delay = latencyMillis;
        if (delay > 0) {
            request.pause();
            vertx.setTimer(delay, id -> {
                request.resume();
                dispatch(request);
            });
        } else {
            dispatch(request);
        }
    }

    private void dispatch(HttpServerRequest request) {
        if (isWebSocketUpgrade(request)) {
            // An upgrade must happen before the request is read (Vert.x refuses it afterwards).
            for (Route route : routes) {
                if (route.handleUpgrade(request)) {
                    return;
                }
            }
            RecordedRequest recorded = record(request, null);
            MockResponse response = emulatorAnswer(recorded);
            if (response.getWebSocketListener() != null) {
                // From the version asked for, as a real API server: an informer has just listed the rest.
                resumedWatches.resume(response.getWebSocketListener(), request.uri());
                request.toWebSocket()
                        .onSuccess(new OffLoopWebSocketHandler(vertx, recorded, response, closingWatches))
                        .onFailure(error -> failQuietly(request, error));
            } else {
                send(request.response(), response);
            }
            return;
        }
        request.body().onSuccess(body -> {
            for (Route route : routes) {
                if (route.handle(request, body)) {
                    return;
                }
            }
            String path = request.path();
            if (request.method() == io.vertx.core.http.HttpMethod.GET && ("/version".equals(path))) {
                json(request.response(), 200, "{\"major\":\"1\",\"minor\":\"" + version.replaceAll("^1\\.", "").replaceAll("\\..*", "")
                        + "\",\"gitVersion\":\"v" + version + "\",\"platform\":\"sandbox\"}");
                return;
            }
            if (request.method() == io.vertx.core.http.HttpMethod.GET && "/".equals(path)) {
                json(request.response(), 200, "{\"paths\":[\"/api\",\"/api/v1\",\"/apis\",\"/apis/apps\",\"/apis/batch\",\"/version\"]}");
                return;
            }
            send(request.response(), emulatorAnswer(record(request, body)));
        }).onFailure(error -> failQuietly(request, error));
    }

    private MockResponse emulatorAnswer(RecordedRequest recorded) {
        try {
            return emulator.dispatch(recorded);
        } catch (RuntimeException e) {
            return new MockResponse().setResponseCode(500)
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\""
                            + String.valueOf(e.getMessage()).replace("\"", "'") + "\",\"code\":500}");
        }
    }

    private static RecordedRequest record(HttpServerRequest request, io.vertx.core.buffer.Buffer body) {
        return new RecordedRequest(
                request.version().alpnName().toUpperCase(Locale.ROOT),
                HttpMethod.fromVertx(request.method()),
                request.uri(),
                Headers.builder().addAll(request.headers()).build(),
                new Buffer(body == null ? null : body.getBytes()));
    }

    private static void send(HttpServerResponse out, MockResponse response) {
        out.setStatusCode(response.code());
        response.getHeaders().toMultimap().forEach((key, values) -> out.headers().add(key, values));
        Buffer body = response.getBody();
        if (body != null && body.size() > 0) {
            if (!out.headers().contains("Content-Type")) {
                out.putHeader("Content-Type", "application/json");
            }
            out.end(io.vertx.core.buffer.Buffer.buffer(body.getBytes()));
        } else {
            out.end();
        }
    }

    /** Writes a JSON answer. */
    public static void json(HttpServerResponse out, int status, String json) {
        out.setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
    }

    /** A Kubernetes {@code Status} failure, the shape every client understands. */
    public static void status(HttpServerResponse out, int code, String reason, String message) {
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"");
        json(out, code, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                + escaped + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}");
    }

    private static void failQuietly(HttpServerRequest request, Throwable error) {
        if (!request.response().headWritten() && !request.response().closed()) {
            request.response().setStatusCode(500).end(String.valueOf(error.getMessage()));
        }
    }

    private static boolean isWebSocketUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    public static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Could not " + what + ": " + cause.getMessage(), cause);
        }
    }
}
