package fleet.console.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A checked connection to one namespace of one cluster: the API answered, the credentials were
 * accepted and the namespace exists. Closing it closes the client.
 */
public record ClusterSession(KubernetesClient client, String contextName, String namespace, String serverUrl,
                             String serverVersion, boolean sandbox, boolean readOnly) implements AutoCloseable {

    public ClusterSession(KubernetesClient client, String contextName, String namespace, String serverUrl,
                          String serverVersion, boolean sandbox) {
        this(client, contextName, namespace, serverUrl, serverVersion, sandbox, false);
    }

    /**
     * Why this session may not do something, before it is tried: read-only mode, else the API server's
     * own answer to "may I?" (empty: go ahead).
     */
    public java.util.Optional<String> refusal(Access.Permission permission) {
        if (readOnly) {
            return java.util.Optional.of(ReadOnlyGuard.MESSAGE + " (started with --read-only); nothing was changed");
        }
        Access.Decision decision = access().check(permission);
        return decision.allowed() ? java.util.Optional.empty() : java.util.Optional.of(decision.refusal(permission));
    }

    /** This session's permission answers. */
    public Access access() {
        return ACCESS.computeIfAbsent(client, Access::new);
    }

    private static final java.util.Map<KubernetesClient, Access> ACCESS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** What the status bar and the audit journal call this connection. */
    public String label() {
        return contextName + " / " + namespace;
    }

    @Override
    public void close() {
        ACCESS.remove(client);
        ApiReachability.of(client).ifPresent(ApiReachability::stopHeartbeat);
        PortForwards.closeAll(client);
        client.close();
    }
}
