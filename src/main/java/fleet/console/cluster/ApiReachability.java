package fleet.console.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether the API server answers, as one session's client sees it: every connection that cannot be
 * made (refused, reset, timed out) says it is away, any answer at all says it is back. fabric8's
 * informers reconnect their watches quietly; this is how the live views learn they are showing old data,
 * and when the data is fresh again, without asking the server anything more.
 */
public final class ApiReachability implements Interceptor {

    public static final String NAME = "fleet-console-reachability";

    /** Told when the server goes away and comes back; called on the client's threads. */
    public interface Listener {
        void lost(Throwable why);

        void regained();
    }

    private static final Map<KubernetesClient, ApiReachability> BY_CLIENT = Collections.synchronizedMap(new WeakHashMap<>());

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean away;

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
