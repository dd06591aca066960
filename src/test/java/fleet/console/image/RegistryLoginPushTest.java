package fleet.console.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fleet.console.image.ImageBuildException.Problem;
import fleet.console.sandbox.registry.RegistryProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push to a registry that asks for a login, with the login read from a Docker-format auth file
 * as {@code docker login} or {@code podman login} writes it; and a refused or missing login named
 * before anything is sent.
 */
@Timeout(120)
class RegistryLoginPushTest {

    private static final String PASSWORD = "correct-horse-battery-staple";

    @TempDir
    static Path dir;

    private static AuthenticatedRegistry registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        if (RegistryProcess.findBinary().isPresent()) {
            registry = AuthenticatedRegistry.start(dir.resolve("registry"), PASSWORD);
        }
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private static Path authFile(String name, String user, String password) throws Exception {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve(name).resolve("config.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
        return file;
    }

    private static ImageBuilder builder(RegistryLogins logins) {
        return ImageBuilder.builder().logins(logins).insecureRegistries(Set.of(registry.host()))
                .cacheDirectory(dir.resolve("cache")).build();
    }

    @Test
    void theLoginFromADockerAuthFileIsUsedForTheBaseAndThePush() throws Exception {
        Assumptions.assumeTrue(registry != null, ImageBuildTest.INSTALL_HINT);
        Path auth = authFile("docker", AuthenticatedRegistry.USER, PASSWORD);
        ImageBuilder builder = builder(RegistryLogins.standard(Map.of("DOCKER_CONFIG", auth.getParent().toString()), dir));
        ServiceTree tree = ServiceTree.create(dir.resolve("tree"), 3, 300);
        builder.build(BuildRequest.push("demo-base", ServiceTree.baseSpec(), tree.root,
                registry.host() + "/swe-ai-fleet/demo-base", "v1.0.0"), p -> { });
        List<BuildProgress> progress = Collections.synchronizedList(new ArrayList<>());

        BuildResult result = builder.build(BuildRequest.push("demo", tree.spec(registry.host()
                + "/swe-ai-fleet/demo-base:v1.0.0"), tree.root, registry.host() + "/swe-ai-fleet/demo", "v1.0.0"), progress::add);

        assertTrue(result.verified());
        RegistryLogin login = RegistryLogins.file(auth, Map.of()).find(registry.host(), "swe-ai-fleet/demo").orElseThrow();
        RegistryApi api = new RegistryApi(registry.host(), true, Optional.of(login));
        assertEquals(Optional.of(result.digest()), api.manifestDigest("swe-ai-fleet/demo", "v1.0.0"));
        assertTrue(api.tags("swe-ai-fleet/demo").contains("v1.0.0"));
        assertFalse(progress.toString().contains(PASSWORD), "the password is in no progress update");
    }

    @Test
    void aRefusedLoginIsNamedWithTheFileItCameFromAndNothingIsPushed() throws Exception {
        Assumptions.assumeTrue(registry != null, ImageBuildTest.INSTALL_HINT);
        Path auth = authFile("stale", AuthenticatedRegistry.USER, "last-years-password");
        ServiceTree tree = ServiceTree.create(dir.resolve("refused"), 1, 100);

        ImageBuildException e = assertThrows(ImageBuildException.class, () -> builder(RegistryLogins.file(auth, Map.of()))
                .build(BuildRequest.push("demo", tree.spec("scratch"), tree.root, registry.host() + "/swe-ai-fleet/refused",
                        "v1.0.0"), p -> { }));

        assertEquals(Problem.LOGIN_REFUSED, e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains("refused the login of " + AuthenticatedRegistry.USER + " found in " + auth),
                e.getMessage());
        assertTrue(e.getMessage().contains("podman login " + registry.host()), e.getMessage());
        assertFalse(e.getMessage().contains("last-years-password"), "never the password");
        assertNothingPushed("swe-ai-fleet/refused");
    }

    @Test
    void aMissingLoginSaysHowToLogIn() throws Exception {
        Assumptions.assumeTrue(registry != null, ImageBuildTest.INSTALL_HINT);
        ServiceTree tree = ServiceTree.create(dir.resolve("anonymous"), 1, 100);

        ImageBuildException e = assertThrows(ImageBuildException.class, () -> builder(RegistryLogins.standard(Map.of(),
                dir.resolve("empty-home"))).build(BuildRequest.push("demo", tree.spec("scratch"), tree.root,
                registry.host() + "/swe-ai-fleet/anonymous", "v1.0.0"), p -> { }));

        assertEquals(Problem.LOGIN_MISSING, e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains("asks for a login to swe-ai-fleet/anonymous and none was found"), e.getMessage());
        assertNothingPushed("swe-ai-fleet/anonymous");
    }

    private static void assertNothingPushed(String repository) throws Exception {
        RegistryLogin login = new RegistryLogin(AuthenticatedRegistry.USER, PASSWORD, "test");
        assertEquals(List.of(), new RegistryApi(registry.host(), true, Optional.of(login)).tags(repository));
    }
}
