package fleet.console.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fleet.console.image.ImageBuildException.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logins where podman and Docker keep them: auth files, in podman's order, and credential helpers. */
class RegistryLoginsTest {

    private static final String REGISTRY = "registry.underpassai.com";

    @TempDir
    Path dir;

    private Path file(String relative, String json) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    private static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A credential helper as a shell script on a PATH of the test's own. */
    private Map<String, String> helper(String name, String script) throws IOException {
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path helper = bin.resolve("docker-credential-" + name);
        Files.writeString(helper, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Map.of("PATH", bin.toString());
    }

    @Test
    void aDockerConfigAuthIsDecodedAndItsSecretNeverShown() throws Exception {
        Path config = file(".docker/config.json", "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + auth("op", "s3cret:x")
                + "\"}}}");

        RegistryLogin login = RegistryLogins.standard(Map.of(), dir).find(REGISTRY, "swe-ai-fleet/orchestrator").orElseThrow();

        assertEquals("op", login.username());
        assertEquals("s3cret:x", login.secret(), "only the first colon separates user and password");
        assertTrue(login.source().startsWith(config.toString()), login.source());
        assertFalse(login.toString().contains("s3cret"), login.toString());
    }

    @Test
    void podmansFilesComeBeforeDockersInPodmansOrder() throws Exception {
        file(".docker/config.json", "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + auth("docker", "d") + "\"}}}");
        file(".config/containers/auth.json", "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + auth("config", "c") + "\"}}}");
        file("run/containers/auth.json", "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + auth("runtime", "r") + "\"}}}");
        Path explicit = file("ci/auth.json", "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + auth("ci", "e") + "\"}}}");

        assertEquals("ci", RegistryLogins.standard(Map.of("REGISTRY_AUTH_FILE", explicit.toString(),
                "XDG_RUNTIME_DIR", dir.resolve("run").toString()), dir).find(REGISTRY, "x").orElseThrow().username());
        assertEquals("runtime", RegistryLogins.standard(Map.of("XDG_RUNTIME_DIR", dir.resolve("run").toString()), dir)
                .find(REGISTRY, "x").orElseThrow().username());
        assertEquals("config", RegistryLogins.standard(Map.of(), dir).find(REGISTRY, "x").orElseThrow().username());
        Files.delete(dir.resolve(".config/containers/auth.json"));
        assertEquals("docker", RegistryLogins.standard(Map.of(), dir).find(REGISTRY, "x").orElseThrow().username());
    }

    @Test
    void aLoginForARepositoryPathWinsOverOneForTheWholeRegistry() throws Exception {
        file(".docker/config.json", "{\"auths\":{"
                + "\"https://" + REGISTRY + "/\":{\"auth\":\"" + auth("everyone", "a") + "\"},"
                + "\"" + REGISTRY + "/swe-ai-fleet\":{\"auth\":\"" + auth("fleet", "b") + "\"}}}");
        RegistryLogins logins = RegistryLogins.standard(Map.of(), dir);

        assertEquals("fleet", logins.find(REGISTRY, "swe-ai-fleet/context").orElseThrow().username());
        assertEquals("everyone", logins.find(REGISTRY, "other/context").orElseThrow().username());
        assertEquals("everyone", logins.find(REGISTRY, "swe-ai-fleet-old/context").orElseThrow().username(),
                "a prefix counts at a path boundary only");
        assertEquals(Optional.empty(), logins.find("registry.example.com", "swe-ai-fleet/context"));
    }

    @Test
    void dockerHubIsFoundUnderItsHistoricalKey() throws Exception {
        file(".docker/config.json", "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + auth("hub", "h") + "\"}}}");

        assertEquals("hub", RegistryLogins.standard(Map.of(), dir).find("registry-1.docker.io", "library/python")
                .orElseThrow().username());
    }

    @Test
    void anIdentityTokenIsGivenAsTheTokenUser() throws Exception {
        file(".docker/config.json", "{\"auths\":{\"" + REGISTRY + "\":{\"identitytoken\":\"refresh-me\"}}}");

        RegistryLogin login = RegistryLogins.standard(Map.of(), dir).find(REGISTRY, "x").orElseThrow();

        assertTrue(login.identityToken());
        assertEquals("refresh-me", login.secret());
    }

    @Test
    void aCredentialHelperNamedForTheRegistryIsAskedWithTheServerOnItsInput() throws Exception {
        Map<String, String> env = helper("vault", "read server\n"
                + "echo \"{\\\"ServerURL\\\":\\\"$server\\\",\\\"Username\\\":\\\"asked-$server\\\",\\\"Secret\\\":\\\"t0k\\\"}\"");
        file(".docker/config.json", "{\"auths\":{},\"credHelpers\":{\"" + REGISTRY + "\":\"vault\"}}");

        RegistryLogin login = RegistryLogins.standard(env, dir).find(REGISTRY, "swe-ai-fleet/context").orElseThrow();

        assertEquals("asked-" + REGISTRY, login.username());
        assertEquals("t0k", login.secret());
        assertTrue(login.source().startsWith("docker-credential-vault (credHelpers of "), login.source());
    }

    @Test
    void aStoreWithoutTheLoginFallsBackToTheFilesOwnEntry() throws Exception {
        Map<String, String> env = helper("desktop", "echo 'credentials not found in native keychain'\nexit 1");
        file(".docker/config.json", "{\"credsStore\":\"desktop\",\"auths\":{\"" + REGISTRY + "\":{\"auth\":\""
                + auth("filed", "f") + "\"}}}");

        assertEquals("filed", RegistryLogins.standard(env, dir).find(REGISTRY, "x").orElseThrow().username());
    }

    @Test
    void aHelperThatIsNotInstalledIsNamedWithTheFileThatAsksForIt() throws Exception {
        Path config = file(".docker/config.json", "{\"credHelpers\":{\"" + REGISTRY + "\":\"ecr-login\"}}");

        ImageBuildException e = assertThrows(ImageBuildException.class,
                () -> RegistryLogins.standard(Map.of("PATH", dir.toString()), dir).find(REGISTRY, "x"));

        assertEquals(Problem.CREDENTIALS_UNREADABLE, e.problem());
        assertTrue(e.getMessage().contains(config.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("docker-credential-ecr-login is not on the PATH"), e.getMessage());
    }

    @Test
    void aFailingHelperIsReportedWithHowToTryItByHand() throws Exception {
        Map<String, String> env = helper("pass", "echo 'gpg: decryption failed: No secret key' >&2\nexit 2");
        file(".docker/config.json", "{\"credsStore\":\"pass\"}");

        ImageBuildException e = assertThrows(ImageBuildException.class,
                () -> RegistryLogins.standard(env, dir).find(REGISTRY, "x"));

        assertTrue(e.getMessage().contains("docker-credential-pass failed (exit 2: gpg: decryption failed"), e.getMessage());
        assertTrue(e.getMessage().contains("echo " + REGISTRY + " | docker-credential-pass get"), e.getMessage());
    }

    @Test
    void aMalformedAuthFileIsRefusedNamingIt() throws Exception {
        Path config = file(".docker/config.json", "{\"auths\": {");

        ImageBuildException e = assertThrows(ImageBuildException.class,
                () -> RegistryLogins.standard(Map.of(), dir).find(REGISTRY, "x"));

        assertEquals(Problem.CREDENTIALS_UNREADABLE, e.problem());
        assertTrue(e.getMessage().contains(config + ": is not valid JSON"), e.getMessage());
    }

    @Test
    void noFilesMeansNoLogin() throws Exception {
        assertEquals(Optional.empty(), RegistryLogins.standard(Map.of(), dir).find(REGISTRY, "x"));
        assertEquals(Optional.empty(), RegistryLogins.none().find(REGISTRY, "x"));
    }
}
