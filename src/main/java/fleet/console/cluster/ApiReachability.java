package fleet.console.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether the API server answers, as one session's client sees it: every connection that cannot be
 * made (refused, reset, timed out) says it is away, any answer at all says it is back. fabric8's
 * informers reconnect their watches quietly; this is how the live views learn they are showing old data,
 * and when the data is fresh again. Besides the views' own requests, a session's client asks the server for
 * its version every {@link #HEARTBEAT_MILLIS} ms ({@link #heartbeat}): a watch broken by an outage reconnects
 * after a backoff that grows to seconds, and an outage that fell between two of its attempts went unnoticed
 * (1 of 3 back-to-back 4 s outages in the reliability benchmark).
 */
public final class ApiReachability implements Interceptor {

    public static final String NAME = "fleet-console-reachability";

    /** Told when the server goes away and comes back; called on the client's threads. */
    public interface Listener {
        void lost(Throwable why);

        void regained();
    }

    private static final Map<KubernetesClient, ApiReachability> BY_CLIENT = Collections.synchronizedMap(new WeakHashMap<>());

    /** How often a session's client asks the server whether it is there; a refused connection fails at once. */
    static final long HEARTBEAT_MILLIS = 1500;
    private static final ScheduledExecutorService HEARTBEATS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "api-heartbeat");
        t.setDaemon(true);
        return t;
    });

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean away;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile CompletableFuture<?> asking;

    /** The one installed on this client by {@link ClusterConnector}; empty for clients made elsewhere. */
    public static Optional<ApiReachability> of(KubernetesClient client) {
        return Optional.ofNullable(BY_CLIENT.get(client));
    }

    void register(KubernetesClient client) {
        BY_CLIENT.put(client, this);
    }

    public boolean away() {
        return away;
    }

    /**
     * Asks the server for its version every {@link #HEARTBEAT_MILLIS} ms through the client (so that this
     * interceptor sees the answer or the failure), one question at a time, until {@link #stopHeartbeat} or
     * the client is closed. The answers themselves are not used.
     */
    void heartbeat(KubernetesClient client) {
        HttpClient http = client.getHttpClient();
        String url = client.getMasterUrl().toString().replaceAll("/+$", "") + "/version";
        heartbeat = HEARTBEATS.scheduleWithFixedDelay(() -> {
            CompletableFuture<?> previous = asking;
            if (previous != null && !previous.isDone()) {
                return;
            }
            if (http.isClosed()) {
                stopHeartbeat();
                return;
            }
            try {
                asking = http.sendAsync(http.newHttpRequestBuilder().uri(url).build(), byte[].class);
            } catch (RuntimeException e) {
                // A client closed meanwhile: nothing to ask any more.
                stopHeartbeat();
            }
        }, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops asking (the session is closed). */
    void stopHeartbeat() {
        ScheduledFuture<?> h = heartbeat;
        if (h != null) {
            h.cancel(false);
        }
        CompletableFuture<?> a = asking;
        if (a != null) {
            a.cancel(true);
        }
    }

    /** Follows the server's comings and goings; the returned handle stops it. */
    public AutoCloseable follow(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        away = true;
        for (Listener l : listeners) {
            l.lost(failure);
        }
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        if (away) {
            away = false;
            for (Listener l : listeners) {
                l.regained();
            }
        }
    }
}
