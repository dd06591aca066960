package fleet.console.sandbox.api;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;

/**
 * The sandbox's API server on its own, with no controller and no kubelet: a test writes the objects and
 * their status itself, exactly as it wants them read, and reads them back through a real client.
 */
public final class EmulatedApi implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final SandboxApiServer api = new SandboxApiServer(vertx, "1.31.2");
    private final KubernetesClient client;

    private EmulatedApi(String namespace) {
        api.start(0);
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(api.url()).withHttp2Disable(true).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    }

    /** Started, with this namespace created. */
    public static EmulatedApi withNamespace(String namespace) {
        return new EmulatedApi(namespace);
    }

    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        api.close();
        SandboxApiServer.await(vertx.close(), "close");
    }
}
