package fleet.console.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A checked connection to one namespace of one cluster: the API answered, the credentials were
 * accepted and the namespace exists. Closing it closes the client.
 */
public record ClusterSession(KubernetesClient client, String contextName, String namespace, String serverUrl,
                             String serverVersion, boolean sandbox) implements AutoCloseable {

    /** What the status bar and the audit journal call this connection. */
    public String label() {
        return contextName + " / " + namespace;
    }

    @Override
    public void close() {
        client.close();
    }
}
