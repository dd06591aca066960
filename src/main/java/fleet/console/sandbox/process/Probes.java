package fleet.console.sandbox.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Single readiness checks for {@link ChildProcess#awaitReady}; each answers quickly and never throws. */
public final class Probes {

    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    private Probes() {
    }

    /** True when a TCP connection to {@code port} on 127.0.0.1 is accepted. */
    public static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(FreePorts.LOOPBACK, port), (int) PROBE_TIMEOUT.toMillis());
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** True when GET {@code uri} answers 200. */
    public static boolean answersOk(HttpClient http, URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(PROBE_TIMEOUT).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            // Keep the flag so the waiting loop ends with an interruption, not a silent retry.
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
