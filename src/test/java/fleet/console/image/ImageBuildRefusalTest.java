package fleet.console.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fleet.console.image.ImageBuildException.Problem;
import fleet.console.profile.BuildSpec;
import fleet.console.profile.LayerSpec;
import fleet.console.sandbox.process.FreePorts;
import fleet.console.sandbox.registry.RegistryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends with its cause named and nothing pushed; a cancelled build leaves no tag. */
@Timeout(120)
class ImageBuildRefusalTest {

    @TempDir
    static Path dir;

    private static RegistryProcess registry;
    private static ImageBuilder builder;
    private static ServiceTree tree;
    private static String base;

    @BeforeAll
    static void startRegistryAndPushBase() throws Exception {
        if (RegistryProcess.findBinary().isEmpty()) {
            return;
        }
        registry = new RegistryProcess();
        registry.start();
        builder = ImageBuilder.builder().insecureRegistries(Set.of(registry.host())).cacheDirectory(dir.resolve("cache")).build();
        tree = ServiceTree.create(dir.resolve("tree"), 3, 300);
        base = registry.host() + "/swe-ai-fleet/demo-base:v1.0.0";
        builder.build(BuildRequest.push("demo-base", ServiceTree.baseSpec(), tree.root,
                registry.host() + "/swe-ai-fleet/demo-base", "v1.0.0"), p -> { });
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.stop();
        }
    }

    private static void assumeRegistry() {
        Assumptions.assumeTrue(registry != null, ImageBuildTest.INSTALL_HINT);
    }

    private static BuildRequest request(String repository, String tag) {
        return BuildRequest.push("demo", tree.spec(base), tree.root, registry.host() + "/" + repository, tag);
    }

    private static ImageBuildException refused(ImageBuilder with, BuildRequest request, Problem expected) {
        ImageBuildException e = assertThrows(ImageBuildException.class, () -> with.build(request, p -> { }));
        assertEquals(expected, e.problem(), e.getMessage());
        return e;
    }

    private static void assertMentions(ImageBuildException e, String... texts) {
        for (String text : texts) {
            assertTrue(e.getMessage().contains(text), "expected \"" + text + "\" in: " + e.getMessage());
        }
    }

    @Test
    void aMissingLayerSourceFolderIsNamedAndNothingIsPushed() {
        assumeRegistry();
        BuildSpec spec = tree.spec(base);
        BuildSpec broken = new BuildSpec(spec.base(), spec.platform(), spec.workdir(), spec.user(), spec.env(), spec.ports(),
                spec.labels(), spec.entrypoint(), spec.cmd(), List.of(new LayerSpec("service", List.of("services/orchestrator"),
                "/app/services/orchestrator/", List.of())));

        ImageBuildException e = refused(builder, BuildRequest.push("orchestrator", broken, tree.root,
                registry.host() + "/swe-ai-fleet/missing-source", "v1.0.0"), Problem.SOURCE_MISSING);

        assertMentions(e, "layer \"service\" of orchestrator", "services/orchestrator", "does not exist", "--source",
                "Nothing was pushed");
        assertEquals(List.of(), registry.tags("swe-ai-fleet/missing-source"));
    }

    @Test
    void aLayerWhoseFilesAreAllExcludedIsRefused() {
        assumeRegistry();
        BuildSpec spec = tree.spec(base);
        BuildSpec empty = new BuildSpec(spec.base(), spec.platform(), spec.workdir(), spec.user(), spec.env(), spec.ports(),
                spec.labels(), spec.entrypoint(), spec.cmd(), List.of(new LayerSpec("service", List.of("services/demo"),
                "/app/", List.of("**/*.py"))));

        ImageBuildException e = refused(builder, BuildRequest.push("demo", empty, tree.root,
                registry.host() + "/swe-ai-fleet/empty-layer", "v1.0.0"), Problem.LAYER_EMPTY);

        assertMentions(e, "holds no file", "**/*.py");
    }

    @Test
    void aTagThatIsNotAValidReferenceIsRefusedBeforeAnyRequest() {
        assumeRegistry();
        ImageBuildException e = refused(builder, request("swe-ai-fleet/bad-tag", "v1.0.0/../latest"), Problem.INVALID_REFERENCE);
        assertMentions(e, "not a valid image tag", "v3.0.1");

        ImageBuildException upper = refused(builder, request("Swe-AI-Fleet/Demo", "v1.0.0"), Problem.INVALID_REFERENCE);
        assertMentions(upper, "lower case");
        assertEquals(List.of(), registry.tags("swe-ai-fleet/bad-tag"));
    }

    @Test
    void aMissingBaseImageIsNamedWithWhatTheBaseMustCarry() {
        assumeRegistry();
        BuildRequest request = BuildRequest.push("demo", tree.spec(registry.host() + "/swe-ai-fleet/no-such-base:v9.9.9"),
                tree.root, registry.host() + "/swe-ai-fleet/no-base", "v1.0.0");

        ImageBuildException e = refused(builder, request, Problem.BASE_IMAGE_MISSING);

        assertMentions(e, "no-such-base:v9.9.9", "is not in", "pip install", "Nothing was pushed");
        assertEquals(List.of(), registry.tags("swe-ai-fleet/no-base"));
    }

    @Test
    void anUnreachableRegistryIsNamedWithWhatToCheck() {
        assumeRegistry();
        String closed = "127.0.0.1:" + FreePorts.loopback();
        ImageBuilder toNowhere = ImageBuilder.builder().insecureRegistries(Set.of(closed)).cacheDirectory(dir.resolve("cache"))
                .build();

        ImageBuildException e = refused(toNowhere, BuildRequest.push("demo", tree.spec(BuildSpec.SCRATCH), tree.root,
                closed + "/swe-ai-fleet/demo", "v1.0.0"), Problem.REGISTRY_UNREACHABLE);

        assertMentions(e, "Registry " + closed + " is unreachable", "connection refused", "Nothing was pushed");
    }

    @Test
    void aPlainHttpRegistryIsRefusedUnlessTheProfileMarksItInsecure() {
        assumeRegistry();
        ImageBuilder strict = ImageBuilder.builder().cacheDirectory(dir.resolve("cache")).build();

        ImageBuildException e = refused(strict, request("swe-ai-fleet/strict", "v1.0.0"), Problem.REGISTRY_INSECURE);

        assertMentions(e, "does not offer HTTPS", "insecure: true");
        assertEquals(List.of(), registry.tags("swe-ai-fleet/strict"));
    }

    @Test
    void theLiveTagIsNotOverwrittenWithoutConfirmation() throws Exception {
        assumeRegistry();
        BuildResult live = builder.build(request("swe-ai-fleet/live", "v3.0.0"), p -> { });

        ImageBuildException e = refused(builder, request("swe-ai-fleet/live", "v3.0.0").withLiveTag("v3.0.0"), Problem.TAG_TAKEN);
        assertMentions(e, "v3.0.0 is the tag demo runs now", live.digest(), "--bump patch", "--overwrite-live");

        tree.write("services/demo/handlers.py", "def handle(event):\n    return None\n");
        try {
            BuildResult replaced = builder.build(request("swe-ai-fleet/live", "v3.0.0").withLiveTag("v3.0.0")
                    .withOverwriteConfirmed(true), p -> { });
            assertTrue(registry.hasManifest("swe-ai-fleet/live", replaced.digest()));
            assertEquals(Optional.of(replaced.digest()), new RegistryApi(registry.host(), true, Optional.empty())
                    .manifestDigest("swe-ai-fleet/live", "v3.0.0"));
        } finally {
            tree.write("services/demo/handlers.py", "def handle(event):\n    return event\n");
        }
    }

    @Test
    void aTagAlreadyInTheRegistryIsNotReplacedWithoutConfirmationEvenIfNotLive() throws Exception {
        assumeRegistry();
        BuildResult old = builder.build(request("swe-ai-fleet/old", "v1.0.0"), p -> { });

        ImageBuildException e = refused(builder, request("swe-ai-fleet/old", "v1.0.0"), Problem.TAG_TAKEN);

        assertMentions(e, "already in the registry", old.digest(), "could not check whether a cluster runs it");
    }

    @Test
    void aCancelledBuildPushesNoTag() throws Exception {
        assumeRegistry();
        ServiceTree big = ServiceTree.create(dir.resolve("big"), 1, 10);
        byte[] noise = new byte[48 * 1024 * 1024];
        new Random(7).nextBytes(noise);
        Files.write(big.root.resolve("src/core/model.bin"), noise);
        CountDownLatch building = new CountDownLatch(1);

        ImageBuild build = builder.start(BuildRequest.push("demo", big.spec(base), big.root,
                registry.host() + "/swe-ai-fleet/cancelled", "v1.0.0"), p -> {
                    if (p.stage() == BuildProgress.Stage.BUILDING) {
                        building.countDown();
                    }
                });
        assertTrue(building.await(60, TimeUnit.SECONDS), "the build reaches Jib");
        assertTrue(build.cancel());

        ExecutionException e = assertThrows(ExecutionException.class, () -> build.result().get(30, TimeUnit.SECONDS));
        ImageBuildException failure = (ImageBuildException) e.getCause();
        assertEquals(Problem.CANCELLED, failure.problem(), failure.getMessage());
        assertMentions(failure, "cancelled", "the tag was not pushed");
        assertEquals(List.of(), registry.tags("swe-ai-fleet/cancelled"));
    }
}
