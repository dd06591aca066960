package fleet.console.sandbox.api;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.vertx.ServerWebSocketHandler;
import io.fabric8.mockwebserver.vertx.VertxMockWebSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketBase;

/**
 * The emulator's watch WebSockets, with their close and failure callbacks run on a worker thread. The
 * emulator's watch listener waits, when a watch closes, for queued events to be sent; on the event loop
 * that wait blocks the very loop that must send them, and the whole API server stalls until it gives
 * up (seconds). Clients close watches all the time (switching namespace, closing informers). Before
 * either, the watch leaves the emulator's list ({@link ClosingWatches}), so no write hands it an event
 * while it shuts down.
 */
final class OffLoopWebSocketHandler extends ServerWebSocketHandler {

    private static final int SERVER_ERROR = 1011;

    private final Vertx vertx;
    private final Response response;
    private final ClosingWatches closing;

    OffLoopWebSocketHandler(Vertx vertx, RecordedRequest request, Response response, ClosingWatches closing) {
        super(request, response);
        this.vertx = vertx;
        this.response = response;
        this.closing = closing;
    }

    @Override
    public void configureWebSocket(ServerWebSocket socket, VertxMockWebSocket mock, WebSocketListener listener) {
        WebSocketBase ws = socket;
        ws.textMessageHandler(text -> {
            listener.onMessage(mock, text);
            socket.fetch(1);
        });
        ws.binaryMessageHandler(bytes -> {
            listener.onMessage(mock, bytes.getBytes());
            socket.fetch(1);
        });
        socket.frameHandler(frame -> {
            if (frame.isClose()) {
                int code = frame.closeStatusCode();
                String reason = frame.closeReason();
                closing.forget(listener);
                offLoop(() -> listener.onClosing(mock, code, reason));
            }
            socket.fetch(1);
        });
        socket.endHandler(v -> {
            int code = socket.closeStatusCode() == null ? SERVER_ERROR : socket.closeStatusCode();
            String reason = socket.closeReason();
            closing.forget(listener);
            offLoop(() -> listener.onClosed(mock, code, reason));
        });
        socket.exceptionHandler(error -> {
            closing.forget(listener);
            offLoop(() -> listener.onFailure(mock, error, response));
        });
    }

    private void offLoop(Runnable callback) {
        vertx.executeBlocking(() -> {
            callback.run();
            return null;
        }, false);
    }
}
