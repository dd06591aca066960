package fleet.console.sandbox;

import fleet.console.sandbox.api.SandboxApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The embedded demo cluster: an API server on loopback that any Kubernetes client can use, with the
 * fleet deployed in it. A console connects to it exactly as to a real cluster; only the context name
 * tells them apart.
 */
public final class Sandbox implements AutoCloseable {

    public static final String CONTEXT_NAME = "sandbox";
    public static final String KUBERNETES_VERSION = "1.31.2";

    private final String namespace;
    private final Vertx vertx;
    private final SandboxApiServer api;
    private final KubernetesClient client;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    private Sandbox(String namespace, Vertx vertx, SandboxApiServer api, KubernetesClient client) {
        this.namespace = namespace;
        this.vertx = vertx;
        this.api = api;
        this.client = client;
    }

    /** Starts the sandbox; returns once its API answers and the fleet's objects exist. */
    public static Sandbox start(String namespace, SandboxOptions options) {
        Vertx vertx = Vertx.vertx();
        SandboxApiServer api = new SandboxApiServer(vertx, KUBERNETES_VERSION);
        try {
            api.start(options.apiPort());
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config(api.url(), namespace)).build();
        Sandbox sandbox = new Sandbox(namespace, vertx, api, client);
        if (!options.empty()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .create();
        }
        return sandbox;
    }

    private static Config config(String url, String namespace) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url)
                .withNamespace(namespace)
                .withHttp2Disable(true)
                .withOauthToken("sandbox-admin-token")
                .build();
    }

    /** Client configuration for this sandbox, as a kubeconfig context would give it. */
    public Config clientConfig() {
        return config(api.url(), namespace);
    }

    /** The sandbox's own client (controllers and tests use it). */
    public KubernetesClient client() {
        return client;
    }

    public String namespace() {
        return namespace;
    }

    public String apiUrl() {
        return api.url();
    }

    /** Writes a kubeconfig with one context, {@value #CONTEXT_NAME}, so other processes connect like to any cluster. */
    public Path writeKubeconfig(Path file) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sandbox
                  cluster:
                    server: %s
                contexts:
                - name: %s
                  context:
                    cluster: sandbox
                    user: sandbox-admin
                    namespace: %s
                current-context: %s
                users:
                - name: sandbox-admin
                  user:
                    token: sandbox-admin-token
                """.formatted(api.url(), CONTEXT_NAME, namespace, CONTEXT_NAME);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the sandbox kubeconfig to " + file + ": " + e.getMessage(), e);
        }
    }

    public List<Fault> activeFaults() {
        return List.copyOf(faults);
    }

    public Optional<String> natsUrl() {
        return Optional.empty();
    }

    @Override
    public void close() {
        client.close();
        api.close();
        SandboxApiServer.await(vertx.close(), "stop the sandbox's event loop");
    }
}
