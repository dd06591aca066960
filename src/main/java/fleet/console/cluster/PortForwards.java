package fleet.console.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Port-forwards to pods, bound to loopback (fabric8's default listens on every interface, which would
 * expose the fleet's NATS or orchestrator), and remembered by the client that carries them: a session
 * closes its port-forwards before its client, so a NATS client still reconnecting to a local port never
 * reaches a closed client. A forward whose client was closed by someone else ends at its next connection
 * ({@link LoopbackPortForward}).
 */
public final class PortForwards {

    private static final Map<KubernetesClient, Set<LocalPortForward>> OPEN = Collections.synchronizedMap(new WeakHashMap<>());

    private PortForwards() {
    }

    /** {@code kubectl port-forward pod/POD :PORT}, on 127.0.0.1 and a free local port. */
    public static LocalPortForward open(KubernetesClient client, String namespace, String pod, int port) {
        LocalPortForward forward = new LoopbackPortForward(client, namespace, pod, port);
        OPEN.computeIfAbsent(client, c -> ConcurrentHashMap.newKeySet()).add(forward);
        return forward;
    }

    /** Closes every port-forward this client still carries. */
    static void closeAll(KubernetesClient client) {
        Set<LocalPortForward> forwards = OPEN.remove(client);
        if (forwards == null) {
            return;
        }
        for (LocalPortForward f : new ArrayList<>(forwards)) {
            try {
                f.close();
            } catch (IOException | RuntimeException e) {
                // closing: nothing more to do with it
            }
        }
    }

    /** For tests: the port-forwards a client carries. */
    static List<LocalPortForward> of(KubernetesClient client) {
        Set<LocalPortForward> forwards = OPEN.get(client);
        return forwards == null ? List.of() : List.copyOf(forwards);
    }
}
