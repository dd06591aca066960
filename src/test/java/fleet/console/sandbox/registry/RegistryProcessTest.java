package fleet.console.sandbox.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RegistryProcessTest {

    private static final String INSTALL_HINT = "docker-registry not on PATH: sudo apt-get install -y docker-registry";

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static RegistryProcess registry;

    @BeforeAll
    static void startSharedRegistry() throws Exception {
        if (RegistryProcess.findBinary().isPresent()) {
            registry = new RegistryProcess();
            registry.start();
            push("swe-ai-fleet/orchestrator", "v1", OCI_MANIFEST);
            push("swe-ai-fleet/orchestrator", "v2", DOCKER_MANIFEST);
        }
    }

    @AfterAll
    static void stopSharedRegistry() {
        if (registry != null) {
            registry.stop();
        }
    }

    @Test
    void registryServesV2OnLoopbackWithoutCredentials() throws Exception {
        assumeRegistry();
        assertEquals("127.0.0.1:" + registry.port(), registry.host());

        HttpResponse<String> v2 = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, v2.statusCode(), "the package's htpasswd auth must not be in force");
    }

    @Test
    void pushedTagsHaveManifestsWhetherOciOrDocker() {
        assumeRegistry();
        assertTrue(registry.hasManifest("swe-ai-fleet/orchestrator", "v1"), "OCI manifest, as Jib pushes it");
        assertTrue(registry.hasManifest("swe-ai-fleet/orchestrator", "v2"), "Docker v2 manifest");
    }

    @Test
    void brokenImageTagHasNoManifest() {
        assumeRegistry();
        assertFalse(registry.hasManifest("swe-ai-fleet/orchestrator", "v3-typo"));
        assertFalse(registry.hasManifest("swe-ai-fleet/never-pushed", "latest"));
    }

    @Test
    void tagsListsWhatWasPushedAndNothingForAnUnknownRepository() {
        assumeRegistry();
        assertEquals(List.of("v1", "v2"), registry.tags("swe-ai-fleet/orchestrator").stream().sorted().toList());
        assertEquals(List.of(), registry.tags("swe-ai-fleet/never-pushed"));
    }

    @Test
    void manifestsCanBeDeletedBecauseOurConfigEnablesIt() throws Exception {
        assumeRegistry();
        String digest = push("swe-ai-fleet/planning", "doomed", OCI_MANIFEST);
        assertTrue(registry.hasManifest("swe-ai-fleet/planning", digest));

        HttpResponse<String> deleted = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://" + registry.host() + "/v2/swe-ai-fleet/planning/manifests/" + digest))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(202, deleted.statusCode(), deleted.body());
        assertFalse(registry.hasManifest("swe-ai-fleet/planning", "doomed"));
        assertEquals(List.of(), registry.tags("swe-ai-fleet/planning"));
    }

    @Test
    void namesOutsideTheRegistryGrammarAreRefusedBeforeAnyRequest() {
        assumeRegistry();
        assertThrows(IllegalArgumentException.class, () -> registry.hasManifest("../v2", "latest"));
        assertThrows(IllegalArgumentException.class, () -> registry.hasManifest("Orchestrator", "latest"));
        assertThrows(IllegalArgumentException.class, () -> registry.hasManifest("orchestrator", "v1/../x"));
        assertThrows(IllegalArgumentException.class, () -> registry.tags("orchestrator?n=1"));
    }

    @Test
    void stopKillsTheRegistryAndRemovesItsStorage() {
        assumeRegistry();
        RegistryProcess own = new RegistryProcess();
        own.start();
        long pid = own.pid().orElseThrow();
        Path home = own.homeDirectory();
        assertTrue(Files.isRegularFile(home.resolve("config.yml")));

        own.stop();

        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "docker-registry still alive");
        assertFalse(Files.exists(home), "registry directory left behind: " + home);
        assertFalse(own.isRunning());
        own.stop();
    }

    @Test
    void missingBinaryNamesTheDebianPackage() {
        RegistryProcess missing = new RegistryProcess(Path.of("/nonexistent/bin/docker-registry"));

        RegistryUnavailable e = assertThrows(RegistryUnavailable.class, missing::start);

        assertTrue(e.getMessage().contains("sudo apt-get install -y docker-registry"), e.getMessage());
    }

    private static void assumeRegistry() {
        Assumptions.assumeTrue(RegistryProcess.findBinary().isPresent(), INSTALL_HINT);
    }

    /** Pushes a one-layer image the way any client does (blobs, then the manifest); returns its digest. */
    private static String push(String repository, String tag, String manifestType) throws Exception {
        boolean oci = manifestType.equals(OCI_MANIFEST);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                + "\"config\":{\"Labels\":{\"tag\":\"" + tag + "\"}}}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer of " + repository + ":" + tag).getBytes(StandardCharsets.UTF_8);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + manifestType + "\","
                + "\"config\":" + descriptor(oci ? "application/vnd.oci.image.config.v1+json"
                        : "application/vnd.docker.container.image.v1+json", uploadBlob(repository, config), config.length)
                + ",\"layers\":[" + descriptor(oci ? "application/vnd.oci.image.layer.v1.tar+gzip"
                        : "application/vnd.docker.image.rootfs.diff.tar.gzip", uploadBlob(repository, layer), layer.length)
                + "]}";
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://" + registry.host() + "/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", manifestType)
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
        return put.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private static String uploadBlob(String repository, byte[] content) throws Exception {
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        URI base = URI.create("http://" + registry.host() + "/v2/" + repository + "/blobs/uploads/");
        HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(base)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, started.statusCode(), started.body());
        String location = started.headers().firstValue("Location").orElseThrow();
        URI upload = base.resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        HttpResponse<String> finished = HTTP.send(HttpRequest.newBuilder(upload)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, finished.statusCode(), finished.body());
        return digest;
    }

    private static String descriptor(String mediaType, String digest, int size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }
}
