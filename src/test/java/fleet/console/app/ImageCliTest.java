package fleet.console.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fleet.console.audit.AuditJournal;
import fleet.console.image.BuildRequest;
import fleet.console.image.ImageBuilder;
import fleet.console.profile.BuildSpec;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.LayerSpec;
import fleet.console.sandbox.registry.RegistryProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** {@code image build} and {@code image import-dockerfile} as an operator runs them: output, exit codes, messages. */
@Timeout(180)
class ImageCliTest {

    private static final String INSTALL_HINT = "docker-registry not on PATH: sudo apt-get install -y docker-registry";

    @TempDir
    static Path dir;

    private static RegistryProcess registry;
    private static Path profile;
    private static Path tree;

    private record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void startRegistryAndWriteProfile() throws Exception {
        tree = dir.resolve("checkout");
        write(tree.resolve("src/core/events.py"), "def publish(subject, event):\n    return subject, event\n");
        write(tree.resolve("services/demo/server.py"), "print('Demo Service listening on port 50099')\n");
        write(tree.resolve("services/demo/gen/demo_pb2.py"), "# generated in the base image\n");
        write(tree.resolve("deps/site-packages/nats/__init__.py"), "# what pip install put in the base\n");
        if (RegistryProcess.findBinary().isEmpty()) {
            return;
        }
        registry = new RegistryProcess();
        registry.start();
        String host = registry.host();
        BuildSpec base = new BuildSpec(BuildSpec.SCRATCH, BuildSpec.DEFAULT_PLATFORM, Optional.empty(), Optional.of("1000"),
                Map.of(), List.of(), Map.of(), Optional.empty(), Optional.empty(),
                List.of(new LayerSpec("dependencies", List.of("deps/site-packages"), "/usr/local/lib/python3.13/site-packages/",
                        List.of())));
        ImageBuilder.builder().insecureRegistries(Set.of(host)).cacheDirectory(dir.resolve("cache")).build()
                .build(BuildRequest.push("demo-base", base, tree, host + "/swe-ai-fleet/demo-base", "v1.0.0"), p -> { });
        profile = write(dir.resolve("profile.yaml"), """
                registry:
                  host: HOST
                  path: swe-ai-fleet
                  insecure: true
                services:
                  - name: demo
                    image: HOST/swe-ai-fleet/demo
                    tag: v1.2.3
                    natsConsumers: false
                    build:
                      base: HOST/swe-ai-fleet/demo-base:v1.0.0
                      workdir: /app
                      user: "1000"
                      cmd: [python, services/demo/server.py]
                      layers:
                        - {name: src, from: src, to: /app/src/}
                        - {name: service, from: services/demo, to: /app/services/demo/, exclude: [gen]}
                """.replace("HOST", host));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.stop();
        }
    }

    private static Path write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    /** {@code image build demo} with the test's profile, checkout, cache, audit file and no user auth files. */
    private static Result build(String... extra) {
        List<String> args = new ArrayList<>(List.of("image", "build", "demo", "--profile", profile.toString(),
                "--source", tree.toString(), "--cache-dir", dir.resolve("cache").toString(),
                "--audit-file", dir.resolve("audit.jsonl").toString(), "--authfile", dir.resolve("no-auth.json").toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private static void assumeRegistry() {
        Assumptions.assumeTrue(registry != null, INSTALL_HINT);
    }

    @Test
    void aPatchBumpOfTheGivenDeployedTagIsPushedVerifiedAndJournaled() {
        assumeRegistry();
        Result r = build("--deployed-tag", "v1.2.3", "--bump", "patch");

        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("Tag v1.2.4 (patch bump of v1.2.3)."), r.out());
        assertTrue(r.out().contains("Pushed " + registry.host() + "/swe-ai-fleet/demo:v1.2.4"), r.out());
        assertTrue(r.out().contains("verified the registry resolves v1.2.4 to this digest"), r.out());
        assertTrue(r.out().contains("2 layers pushed"), r.out());
        assertTrue(registry.tags("swe-ai-fleet/demo").contains("v1.2.4"));
        assertTrue(new AuditJournal(dir.resolve("audit.jsonl")).read().stream().anyMatch(e -> e.action().equals("image push")
                && e.target().endsWith("/swe-ai-fleet/demo:v1.2.4") && e.result().startsWith("ok sha256:")));
    }

    @Test
    void aMinorBumpStartsFromTheTagTheClusterRuns() {
        assumeRegistry();
        Result r = build("--sandbox", "--bump", "minor", "--descriptor", "councils");

        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("demo runs " + registry.host() + "/swe-ai-fleet/demo:v1.2.3 on sandbox / swe-ai-fleet."),
                r.out());
        assertTrue(r.out().contains("Tag v1.3.0-councils (minor bump of v1.2.3)."), r.out());
        assertTrue(registry.tags("swe-ai-fleet/demo").contains("v1.3.0-councils"));
    }

    @Test
    void theLiveTagIsNotOverwrittenWithoutOverwriteLive() {
        assumeRegistry();
        Result r = build("--deployed-tag", "v1.2.3", "--tag", "v1.2.3");

        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains("v1.2.3 is the tag demo runs now"), r.err());
        assertTrue(r.err().contains("--overwrite-live"), r.err());
        assertFalse(registry.tags("swe-ai-fleet/demo").contains("v1.2.3"), "nothing pushed");
    }

    @Test
    void aDockerfileWithRunIsRefusedListingItsLinesAndNothingIsPushed() throws Exception {
        assumeRegistry();
        Path dockerfile = write(dir.resolve("Dockerfile"), """
                FROM python:3.13-slim
                COPY services/demo/requirements.txt /app/
                RUN pip install -r /app/requirements.txt
                COPY services/demo /app/services/demo
                CMD ["python", "/app/services/demo/server.py"]
                """);

        Result r = build("--deployed-tag", "v1.2.3", "--tag", "v1.9.0", "--dockerfile", dockerfile.toString());

        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains(dockerfile + ":3: RUN pip install -r /app/requirements.txt installs Python packages"),
                r.err());
        assertTrue(r.err().contains("Nothing was pushed"), r.err());
        assertFalse(registry.tags("swe-ai-fleet/demo").contains("v1.9.0"));
    }

    @Test
    void withoutAClusterThePushSaysHowToGiveTheDeployedTag() {
        assumeRegistry();
        Result r = build("--kubeconfig", dir.resolve("no-kubeconfig").toString(), "--tag", "v8.0.0");

        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains("To build without a cluster, give it: --deployed-tag vX.Y.Z."), r.err());
        assertFalse(registry.tags("swe-ai-fleet/demo").contains("v8.0.0"));
    }

    @Test
    void noPushWritesATarballWithoutAskingTheClusterOrTheRegistry() {
        assumeRegistry();
        Path tarball = dir.resolve("demo.tar");

        Result r = build("--no-push", "--tag", "v7.0.0", "--output", tarball.toString());

        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("Built " + registry.host() + "/swe-ai-fleet/demo:v7.0.0"), r.out());
        assertTrue(r.out().contains("podman load -i " + tarball), r.out());
        assertTrue(Files.isRegularFile(tarball));
        assertFalse(registry.tags("swe-ai-fleet/demo").contains("v7.0.0"));
    }

    @Test
    void aMissingSourceFolderIsBadInput() {
        assumeRegistry();
        Result r = run("image", "build", "demo", "--profile", profile.toString(), "--source", dir.resolve("elsewhere").toString(),
                "--no-push", "--cache-dir", dir.resolve("cache").toString(), "--authfile", dir.resolve("no-auth.json").toString());

        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains("is not a folder: build from the checkout of the service's repository (--source DIR)"), r.err());
    }

    @Test
    void anUnknownServiceIsNamedWithTheClosestOne() {
        assumeRegistry();
        Result r = run("image", "build", "demoo", "--profile", profile.toString(), "--deployed-tag", "v1.0.0");

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("there is no service \"demoo\" in the profile (did you mean demo?)"), r.err());
    }

    @Test
    void aServiceWithoutBuildSpecSaysHowToGetOne() {
        Result r = run("image", "build", "nats", "--deployed-tag", "2.10-alpine", "--no-push");

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("service \"nats\" has no build spec"), r.err());
        assertTrue(r.err().contains("fleet-console image import-dockerfile services/nats/Dockerfile"), r.err());
    }

    @Test
    void contradictoryOrInvalidTagOptionsAreRefusedFirst() {
        Result both = run("image", "build", "orchestrator", "--tag", "v3.0.1", "--bump", "patch");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("give either --tag"), both.err());

        Result latest = run("image", "build", "orchestrator", "--tag", "latest");
        assertEquals(2, latest.exit());
        assertTrue(latest.err().contains("vMAJOR.MINOR.PATCH-descriptor"), latest.err());

        Result bump = run("image", "build", "orchestrator", "--bump", "hotfix");
        assertEquals(2, bump.exit());
        assertTrue(bump.err().contains("patch (a fix)"), bump.err());
    }

    @Test
    void importDockerfilePrintsProfileTextAndListsTheRunLines() throws Exception {
        Path dockerfile = write(dir.resolve("services/orchestrator/Dockerfile"), """
                FROM python:3.13-slim
                WORKDIR /app
                COPY services/orchestrator/requirements.txt /app/requirements.txt
                RUN pip install --no-cache-dir -r requirements.txt
                RUN python -m grpc_tools.protoc --python_out=gen orchestrator.proto
                COPY src/ /app/src/
                ENV PYTHONPATH=/app/src:/app
                USER 1000
                EXPOSE 50055
                CMD ["python", "services/orchestrator/server.py"]
                """);

        Result r = run("image", "import-dockerfile", dockerfile.toString());

        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains(dockerfile + ":4: RUN pip install"), r.err());
        assertTrue(r.err().contains(dockerfile + ":5: RUN python -m grpc_tools.protoc"), r.err());
        assertTrue(r.out().contains("# 2 instructions were not carried over"), r.out());
        BuildSpec read = FleetProfile.parse(r.out(), "imported.yaml").service("orchestrator").orElseThrow().build().orElseThrow();
        assertEquals("python:3.13-slim", read.base());
        assertEquals(List.of("requirements-txt", "src"), read.layers().stream().map(LayerSpec::name).sorted().toList(),
                "the defaults' other layers are removed");
        assertEquals(Optional.of("1000"), read.user());
    }

    @Test
    void importOfADockerfileThatOnlyCopiesExitsZero() throws Exception {
        Path dockerfile = write(dir.resolve("services/ray_executor/Dockerfile"), """
                FROM registry.underpassai.com/swe-ai-fleet/ray-executor-base:v1.0.0
                COPY services/ray_executor /app/services/ray_executor/
                CMD ["python", "/app/services/ray_executor/server.py"]
                """);

        Result r = run("image", "import-dockerfile", dockerfile.toString());

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("- name: \"ray-executor\""), r.out());
        assertEquals("", r.err());
    }

    @Test
    void importOfAMissingFileIsBadInput() {
        Result r = run("image", "import-dockerfile", dir.resolve("nope/Dockerfile").toString());

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("does not exist"), r.err());
    }

    @Test
    void imageWithoutACommandSaysWhichThereAre() {
        Result r = run("image");

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("image needs a command: build or import-dockerfile"), r.err());
    }
}
