package fleet.console.cluster;

import fleet.console.sandbox.api.SandboxApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way connecting can go wrong gives a message naming what and what to do, within seconds. */
class ClusterConnectorTest {

    private static Vertx vertx;
    private static SandboxApiServer api;

    @BeforeAll
    static void apiServer() {
        vertx = Vertx.vertx();
        api = new SandboxApiServer(vertx, "1.31.2");
        api.start(0);
        try (KubernetesClient c = new KubernetesClientBuilder().withConfig(config()).build()) {
            c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build()).create();
            c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("staging").endMetadata().build()).create();
        }
    }

    @AfterAll
    static void stop() {
        api.close();
        SandboxApiServer.await(vertx.close(), "close");
    }

    private static Config config() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(api.url()).withHttp2Disable(true).build();
    }

    private static Path kubeconfig(Path dir, String server) throws Exception {
        return Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: lab
                  cluster:
                    server: %s
                contexts:
                - name: lab
                  context: {cluster: lab, user: me, namespace: staging}
                - name: prod
                  context: {cluster: lab, user: me}
                current-context: lab
                users:
                - name: me
                  user: {token: abc}
                """.formatted(server));
    }

    @Test
    void unreachableServerIsReportedWithinSecondsNamingTheContext(@TempDir Path dir) throws Exception {
        KubeconfigFile file = KubeconfigFile.read(kubeconfig(dir, "https://127.0.0.1:1"));
        long start = System.nanoTime();
        ConnectionProblem p = assertThrows(ConnectionProblem.class,
                () -> new ClusterConnector(Duration.ofSeconds(2)).connect(file, "lab", null, "swe-ai-fleet"));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ConnectionProblem.Kind.UNREACHABLE, p.kind());
        assertTrue(p.getMessage().contains("context 'lab'") && p.getMessage().contains("connection refused"), p.getMessage());
        assertTrue(p.whatToDo().contains("sandbox"), p.whatToDo());
        assertTrue(ms < 5000, "reported after " + ms + " ms");
    }

    @Test
    void malformedKubeconfigNamesTheFileAndLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("config"), "apiVersion: v1\nclusters:\n  - name: [broken\n");
        ConnectionProblem p = assertThrows(ConnectionProblem.class, () -> KubeconfigFile.read(file));
        assertEquals(ConnectionProblem.Kind.KUBECONFIG_MALFORMED, p.kind());
        assertTrue(p.getMessage().contains(file.toString()) && p.getMessage().contains("line 4"), p.getMessage());
    }

    @Test
    void yamlThatIsNotAKubeconfigIsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("values.yaml"), "replicas: 3\n");
        ConnectionProblem p = assertThrows(ConnectionProblem.class, () -> KubeconfigFile.read(file));
        assertTrue(p.getMessage().contains("not a kubeconfig"), p.getMessage());
    }

    @Test
    void missingKubeconfigSaysWhereItLookedAndOffersTheSandbox(@TempDir Path dir) {
        ConnectionProblem p = assertThrows(ConnectionProblem.class, () -> KubeconfigFile.read(dir.resolve("nope")));
        assertEquals(ConnectionProblem.Kind.KUBECONFIG_MISSING, p.kind());
        assertTrue(p.getMessage().contains(dir.resolve("nope").toString()), p.getMessage());
        assertTrue(p.whatToDo().contains("sandbox"), p.whatToDo());
    }

    @Test
    void unknownContextListsTheOnesThereAre(@TempDir Path dir) throws Exception {
        KubeconfigFile file = KubeconfigFile.read(kubeconfig(dir, api.url()));
        ConnectionProblem p = assertThrows(ConnectionProblem.class, () -> file.configFor("staging-eu"));
        assertEquals(ConnectionProblem.Kind.CONTEXT_UNKNOWN, p.kind());
        assertTrue(p.whatToDo().contains("lab, prod"), p.whatToDo());
    }

    @Test
    void missingNamespaceListsTheNamespacesThereAre(@TempDir Path dir) throws Exception {
        KubeconfigFile file = KubeconfigFile.read(kubeconfig(dir, api.url()));
        ConnectionProblem p = assertThrows(ConnectionProblem.class,
                () -> ClusterConnector.withDefaultTimeout().connect(file, "prod", null, "swe-ai-fleet"));
        assertEquals(ConnectionProblem.Kind.NAMESPACE_MISSING, p.kind());
        assertTrue(p.getMessage().contains("'swe-ai-fleet'"), p.getMessage());
        assertTrue(p.whatToDo().contains("default, staging"), p.whatToDo());
    }

    @Test
    void contextsOwnNamespaceIsUsedWhenNoneIsGiven(@TempDir Path dir) throws Exception {
        KubeconfigFile file = KubeconfigFile.read(kubeconfig(dir, api.url()));
        try (ClusterSession s = ClusterConnector.withDefaultTimeout().connect(file, null, null, "swe-ai-fleet")) {
            assertEquals("lab", s.contextName());
            assertEquals("staging", s.namespace());
            assertEquals("v1.31.2", s.serverVersion());
        }
    }

    @Test
    void kubeconfigFromKubeconfigVariableWinsOverTheHomeDefault() {
        assertEquals(Path.of("/etc/k/a.yaml"), KubeconfigFile.defaultPath(java.util.Map.of("KUBECONFIG", "/etc/k/a.yaml:/etc/k/b.yaml"), Path.of("/home/op")));
        assertEquals(Path.of("/home/op/.kube/config"), KubeconfigFile.defaultPath(java.util.Map.of(), Path.of("/home/op")));
    }
}
