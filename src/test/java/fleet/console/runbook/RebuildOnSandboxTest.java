package fleet.console.runbook;

import fleet.console.audit.AuditEntry;
import fleet.console.image.BuildRequest;
import fleet.console.image.ImageBuilder;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.profile.BuildSpec;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.LayerSpec;
import fleet.console.profile.ServiceSpec;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redeploys that build: the services' images built with Jib from a source tree, pushed to the sandbox's
 * real registry (docker-registry), and pulled from it by the sandbox's kubelet. The profile points the
 * services at that registry, as an operator's profile points them at theirs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebuildOnSandboxTest {

    private static final String NS = "swe-ai-fleet";
    private static final List<String> BUILT = List.of("orchestrator", "context", "ray-executor", "monitoring-dashboard");

    @TempDir
    static Path dir;

    private static Sandbox sandbox;
    private static KubernetesClient client;
    private static FleetProfile profile;
    private static Path source;
    private static String host;
    private final List<AuditEntry> journal = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults());
        Assumptions.assumeTrue(sandbox.natsUrl().isPresent(), "nats-server is not installed: sudo apt-get install -y nats-server");
        Assumptions.assumeTrue(sandbox.registryHost().isPresent(), "docker-registry is not installed: sudo apt-get install -y docker-registry");
        host = sandbox.registryHost().orElseThrow();
        assertTrue(sandbox.awaitFleetReady(Duration.ofSeconds(60)));
        client = new KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build();

        source = dir.resolve("swe-ai-fleet");
        write("src/core/agents/council.py", "class Council:\n    pass\n");
        write("src/core/__pycache__/council.cpython-313.pyc", "compiled");
        for (String folder : List.of("orchestrator", "context", "ray_executor", "monitoring")) {
            write("services/" + folder + "/server.py", "print('" + folder + " listening')\n");
        }
        write("deps/site-packages/nats/__init__.py", "# the client library\n");
        StringBuilder yaml = new StringBuilder("registry: {host: \"" + host + "\", path: swe-ai-fleet, insecure: true}\nservices:\n");
        ImageBuilder builder = builder();
        BuildSpec base = new BuildSpec(BuildSpec.SCRATCH, BuildSpec.DEFAULT_PLATFORM, Optional.of("/app"), Optional.of("1000"),
                Map.of(), List.of(), Map.of(), Optional.empty(), Optional.empty(),
                List.of(new LayerSpec("dependencies", List.of("deps/site-packages"), "/usr/local/lib/python3.13/site-packages/", List.of())));
        for (String name : BUILT) {
            String baseImage = host + "/swe-ai-fleet/" + name + "-base";
            builder.build(BuildRequest.push(name + "-base", base, source, baseImage, "v1.0.0"), p -> { });
            yaml.append("  - name: ").append(name).append("\n    image: ").append(host).append("/swe-ai-fleet/").append(name)
                    .append("\n    build: {base: \"").append(baseImage).append(":v1.0.0\"}\n");
        }
        Path file = dir.resolve("profile.yaml");
        Files.writeString(file, yaml);
        profile = FleetProfile.load(file);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static void write(String relative, String text) throws Exception {
        Path f = source.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private static ImageBuilder builder() {
        return ImageBuilder.builder().insecureRegistries(Set.of(host)).cacheDirectory(dir.resolve("jib-cache")).build();
    }

    private RunRecord run(String name, RunOptions options, Path state, List<RunEvent> events) throws Exception {
        RunContext ctx = new RunContext(client, "sandbox", NS, profile, options,
                () -> NatsLink.open(NatsTarget.InCluster.fleet(NS), client, Duration.ofSeconds(5)), journal::add, Clock.systemUTC())
                .withImages(RebuildOnSandboxTest::builder);
        Runbook rb = Runbooks.named(name).orElseThrow().planner().plan(ctx);
        return new RunbookEngine(new RunStore(state), journal::add, Clock.systemUTC()).run(rb, ctx, events::add);
    }

    private static List<String> images(String service) {
        ServiceSpec s = profile.service(service).orElseThrow();
        return client.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getSpec().getContainers().stream().anyMatch(c -> c.getName().equals(s.container())))
                .map(p -> p.getSpec().getContainers().get(0).getImage() + (ready(p) ? " Ready" : " not ready")).sorted().toList();
    }

    private static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String log(List<RunEvent> events) {
        List<String> lines = new ArrayList<>();
        for (RunEvent e : events) {
            if (e instanceof RunEvent.LogLine l) {
                lines.add(l.line());
            } else if (e instanceof RunEvent.Failed f) {
                lines.add("FAILED " + f.stepId() + ": " + f.reason());
            }
        }
        return String.join("\n", lines);
    }

    @Test
    @Order(1)
    void redeployBuildsFromTheSourcePushesToTheRegistryAndTheNewPodsRunIt(@TempDir Path state) throws Exception {
        List<RunEvent> events = new ArrayList<>();
        RunRecord result = run("redeploy", RunOptions.none().withService("orchestrator").withSource(source).withTag("v3.0.1-built"), state, events);

        assertEquals(RunRecord.Status.SUCCEEDED, result.status(), result.reason().orElse("") + "\n" + log(events));
        String image = host + "/swe-ai-fleet/orchestrator:v3.0.1-built";
        assertEquals(List.of(image + " Ready", image + " Ready"), images("orchestrator"), "both replicas run the image just pushed");
        assertTrue(log(events).contains("pushed " + image + " sha256:"), log(events));
        assertTrue(result.values().get("image.orchestrator").startsWith(host + "/swe-ai-fleet/orchestrator@sha256:"), result.values().toString());
    }

    @Test
    @Order(2)
    void aBuildThatWouldOverwriteTheLiveTagIsRefusedBeforeAnythingStops(@TempDir Path state) throws Exception {
        List<RunEvent> events = new ArrayList<>();
        RunRecord result = run("redeploy", RunOptions.none().withService("orchestrator").withSource(source).withTag("v3.0.1-built"), state, events);

        assertEquals(RunRecord.Status.FAILED, result.status());
        assertEquals(Optional.of("build-orchestrator"), result.stoppedAt(), "it stops at the build, before scaling anything down");
        assertTrue(result.reason().orElse("").contains("v3.0.1-built"), result.reason().orElse(""));
        String image = host + "/swe-ai-fleet/orchestrator:v3.0.1-built";
        assertEquals(List.of(image + " Ready", image + " Ready"), images("orchestrator"), "the service was not touched");
        assertTrue(events.stream().anyMatch(e -> e instanceof RunEvent.Failed f && f.whatToDo().contains("--tag")));
    }

    @Test
    @Order(3)
    void rebuildAndDeployUpdatesEveryServiceAndChecksThemAllReady(@TempDir Path state) throws Exception {
        List<RunEvent> events = new ArrayList<>();
        RunRecord result = run("rebuild-and-deploy", RunOptions.none().withSource(source).withTag("v3.1.0-all"), state, events);

        assertEquals(RunRecord.Status.SUCCEEDED, result.status(), result.reason().orElse("") + "\n" + log(events));
        for (String name : BUILT) {
            String image = host + "/swe-ai-fleet/" + name + ":v3.1.0-all";
            List<String> running = images(name);
            assertTrue(!running.isEmpty() && running.stream().allMatch((image + " Ready")::equals), name + ": " + running);
        }
        assertTrue(log(events).contains("orchestrator: 2/2 Ready"), log(events));
    }
}
