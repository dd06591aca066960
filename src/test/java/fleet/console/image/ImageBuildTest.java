package fleet.console.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fleet.console.audit.AuditEntry;
import fleet.console.audit.AuditJournal;
import fleet.console.sandbox.registry.RegistryProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Building and pushing a service image against a real docker-registry: the tag lands with the
 * digest the build returned, a one-file change sends one layer, the image carries the spec.
 */
@Timeout(120)
class ImageBuildTest {

    static final String INSTALL_HINT = "docker-registry not on PATH: sudo apt-get install -y docker-registry";
    static final String BASE_REPOSITORY = "swe-ai-fleet/demo-base";

    @TempDir
    static Path dir;

    private static RegistryProcess registry;
    private static RegistryContents contents;
    private static ImageBuilder builder;
    private static AuditJournal journal;
    private static String base;

    @BeforeAll
    static void startRegistryAndPushBase() throws Exception {
        if (RegistryProcess.findBinary().isEmpty()) {
            return;
        }
        registry = new RegistryProcess();
        registry.start();
        contents = new RegistryContents(registry.host());
        journal = new AuditJournal(dir.resolve("audit.jsonl"));
        builder = ImageBuilder.builder().insecureRegistries(Set.of(registry.host())).cacheDirectory(dir.resolve("cache"))
                .journal(journal, "sandbox", "swe-ai-fleet").build();
        ServiceTree baseTree = ServiceTree.create(dir.resolve("base-tree"), 0, 0);
        base = registry.host() + "/" + BASE_REPOSITORY + ":v1.0.0";
        builder.build(BuildRequest.push("demo-base", ServiceTree.baseSpec(), baseTree.root,
                registry.host() + "/" + BASE_REPOSITORY, "v1.0.0"), p -> { });
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.stop();
        }
    }

    static void assumeRegistry() {
        Assumptions.assumeTrue(registry != null, INSTALL_HINT);
    }

    private static BuildRequest request(ServiceTree tree, String repository, String tag) {
        return BuildRequest.push("demo", tree.spec(base), tree.root, registry.host() + "/" + repository, tag);
    }

    @Test
    void aPushedTagListsInTheRegistryWithTheDigestTheBuildReturned() throws Exception {
        assumeRegistry();
        ServiceTree tree = ServiceTree.create(dir.resolve("listed"), 20, 2000);

        BuildResult result = builder.build(request(tree, "swe-ai-fleet/demo", "v1.0.0"), p -> { });

        assertTrue(registry.tags("swe-ai-fleet/demo").contains("v1.0.0"), registry.tags("swe-ai-fleet/demo").toString());
        assertTrue(registry.hasManifest("swe-ai-fleet/demo", result.digest()), "the digest resolves as well");
        assertEquals(Optional.of(result.digest()), new RegistryApi(registry.host(), true, Optional.empty())
                .manifestDigest("swe-ai-fleet/demo", "v1.0.0"));
        assertTrue(result.pushed());
        assertTrue(result.verified(), "the registry was asked after the push");
        assertEquals(registry.host() + "/swe-ai-fleet/demo:v1.0.0", result.image());
        assertEquals(registry.host() + "/swe-ai-fleet/demo@" + result.digest(), result.pinned());
    }

    @Test
    void aSecondBuildAfterAOneFileChangePushesOneLayer() throws Exception {
        assumeRegistry();
        ServiceTree tree = ServiceTree.create(dir.resolve("rebuild"), 40, 3000);
        BuildResult first = builder.build(request(tree, "swe-ai-fleet/rebuilt", "v1.0.0"), p -> { });
        assertEquals(2, first.layersPushed(), "the first build sends both service layers: " + first.layers());
        assertEquals(List.of(LayerState.MOUNTED), first.layers().stream().filter(LayerProgress::base)
                .map(LayerProgress::state).toList(), "the base layer is linked from the base's repository, not sent");

        tree.write("services/demo/handlers.py", "def handle(event):\n    return {'handled': event}\n");
        BuildResult second = builder.build(request(tree, "swe-ai-fleet/rebuilt", "v1.0.1"), p -> { });

        assertEquals(1, second.layersPushed(), "one layer sent: " + second.layers());
        LayerProgress service = second.serviceLayers().get(1);
        assertEquals("service", service.name());
        assertEquals(LayerState.PUSHED, service.state());
        assertEquals(service.size(), service.bytesSent());
        assertEquals(LayerState.IN_REGISTRY, second.serviceLayers().get(0).state(), "src is unchanged");
        assertEquals(first.serviceLayers().get(0).digest(), second.serviceLayers().get(0).digest(),
                "an unchanged layer, reused from Jib's cache, is still named with its digest");
        assertTrue(second.bytesPushed() < first.bytesPushed() / 5, first.bytesPushed() + " then " + second.bytesPushed());
        assertTrue(registry.tags("swe-ai-fleet/rebuilt").containsAll(List.of("v1.0.0", "v1.0.1")));
        assertFalse(first.digest().equals(second.digest()));
    }

    @Test
    void unchangedSourcesGiveTheSameImageAndSendNoLayer() throws Exception {
        assumeRegistry();
        ServiceTree tree = ServiceTree.create(dir.resolve("same"), 5, 500);
        BuildResult first = builder.build(request(tree, "swe-ai-fleet/same", "v2.0.0"), p -> { });

        BuildResult again = builder.build(request(tree, "swe-ai-fleet/same", "v2.0.1"), p -> { });

        assertEquals(first.digest(), again.digest(), "layers and configuration are reproducible");
        assertEquals(0, again.layersPushed());
    }

    @Test
    void theImageCarriesTheSpecAndLeavesExcludedFilesOut() throws Exception {
        assumeRegistry();
        ServiceTree tree = ServiceTree.create(dir.resolve("contents"), 3, 300);
        builder.build(request(tree, "swe-ai-fleet/contents", "v1.0.0"), p -> { });

        List<String> service = contents.lastLayerPaths("swe-ai-fleet/contents", "v1.0.0");
        assertTrue(service.contains("/app/services/demo/server.py"), service.toString());
        assertTrue(service.contains("/app/services/demo/handlers.py"), service.toString());
        assertFalse(service.stream().anyMatch(p -> p.contains("/gen/") || p.endsWith("/gen")), "gen/ comes from the base");
        assertFalse(service.stream().anyMatch(p -> p.contains("/tests")), service.toString());
        assertEquals(3, contents.layerCount("swe-ai-fleet/contents", "v1.0.0"), "base, src, service");

        JsonNode config = contents.configuration("swe-ai-fleet/contents", "v1.0.0").path("config");
        assertEquals("1000", config.path("User").asString());
        assertEquals("/app", config.path("WorkingDir").asString());
        List<String> env = new ArrayList<>();
        config.path("Env").forEach(e -> env.add(e.asString()));
        assertTrue(env.contains("PYTHONPATH=/app/src:/app"), env.toString());
        assertTrue(env.contains("PYTHONUNBUFFERED=1"), "the base's environment is kept: " + env);
        assertTrue(config.path("ExposedPorts").has("50099/tcp"), config.toString());
        assertEquals("services/demo/server.py", config.path("Cmd").get(1).asString());
        assertEquals("demo", config.path("Labels").path("org.opencontainers.image.title").asString());
    }

    @Test
    void eachPushIsInTheAuditJournalWithTagAndDigest() throws Exception {
        assumeRegistry();
        ServiceTree tree = ServiceTree.create(dir.resolve("audited"), 2, 200);

        BuildResult result = builder.build(request(tree, "swe-ai-fleet/audited", "v3.0.1"), p -> { });

        AuditEntry entry = journal.read().stream().filter(e -> e.target().equals(result.image())).findFirst().orElseThrow();
        assertEquals("image push", entry.action());
        assertEquals("sandbox", entry.context());
        assertEquals("swe-ai-fleet", entry.namespace());
        assertTrue(entry.result().startsWith("ok " + result.digest()), entry.result());
    }

    @Test
    void progressComesAFewTimesASecondAndEndsWithEveryLayerSettled() throws Exception {
        assumeRegistry();
        ServiceTree tree = ServiceTree.create(dir.resolve("progress"), 200, 4000);
        List<BuildProgress> updates = Collections.synchronizedList(new ArrayList<>());

        BuildResult result = builder.build(request(tree, "swe-ai-fleet/progress", "v1.0.0"), updates::add);

        BuildProgress last = updates.get(updates.size() - 1);
        assertEquals(BuildProgress.Stage.DONE, last.stage());
        assertTrue(last.layers().stream().allMatch(l -> l.state().done()), last.layers().toString());
        assertEquals(result.bytesPushed(), last.bytesPushed());
        long stages = updates.stream().map(BuildProgress::stage).distinct().count();
        long allowed = stages * 2 + 1 + result.took().toMillis() / 250;
        assertTrue(updates.size() <= allowed, updates.size() + " updates in " + result.took().toMillis() + " ms");
        assertTrue(updates.stream().anyMatch(u -> u.stage() == BuildProgress.Stage.BUILDING
                && u.layers().stream().anyMatch(l -> !l.digest().isEmpty())), "layers are named with their digests");
    }

    @Test
    void noPushBuildsWithoutTouchingTheRegistry() throws Exception {
        assumeRegistry();
        ServiceTree tree = ServiceTree.create(dir.resolve("nopush"), 2, 200);
        Path tarball = dir.resolve("demo.tar");

        BuildResult result = builder.build(request(tree, "swe-ai-fleet/never-pushed", "v1.0.0")
                .withoutPush(Optional.of(tarball)), p -> { });

        assertFalse(result.pushed());
        assertTrue(result.digest().startsWith("sha256:"));
        assertEquals(List.of(), registry.tags("swe-ai-fleet/never-pushed"));
        assertTrue(java.nio.file.Files.size(tarball) > 0);
        assertEquals(Optional.of(tarball), result.tarball());
    }
}
