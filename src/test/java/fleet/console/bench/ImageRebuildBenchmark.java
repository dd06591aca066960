package fleet.console.bench;

import fleet.console.image.BuildRequest;
import fleet.console.image.BuildResult;
import fleet.console.image.ImageBuilder;
import fleet.console.image.LayerProgress;
import fleet.console.image.LayerState;
import fleet.console.profile.BuildSpec;
import fleet.console.profile.LayerSpec;
import fleet.console.sandbox.process.ScratchDir;
import fleet.console.sandbox.registry.RegistryProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A rebuild after changing one source file of a service sends only the changed layer. A checkout
 * shaped like the fleet's (shared code under src/, one service under services/) is built onto a
 * base in the same registry, one file of the service is changed, and the image is built again.
 * Printed as {@code name value unit (target ...)}: bytes pushed and wall time of the rebuild
 * against the first build of the same image in the same run.
 *
 * <p>Run: {@code mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * -Dmdep.includeScope=test} then {@code java -cp target/test-classes:target/classes:$(cat target/cp.txt)
 * fleet.console.bench.ImageRebuildBenchmark}. Needs docker-registry (sudo apt-get install -y docker-registry).
 */
public final class ImageRebuildBenchmark {

    private static final int SHARED_MODULES = 800;
    private static final int SHARED_MODULE_BYTES = 12_000;
    private static final int SERVICE_MODULES = 30;
    private static final int SERVICE_MODULE_BYTES = 2_500;
    private static final int REBUILDS = 3;

    private ImageRebuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (RegistryProcess.findBinary().isEmpty()) {
            System.out.println("image.rebuild skipped: docker-registry is not installed (sudo apt-get install -y docker-registry)");
            return;
        }
        ScratchDir scratch = ScratchDir.create("fleet-image-bench-");
        try (RegistryProcess registry = new RegistryProcess()) {
            registry.start();
            String host = registry.host();
            ImageBuilder builder = ImageBuilder.builder().insecureRegistries(Set.of(host))
                    .cacheDirectory(scratch.path().resolve("cache")).build();
            Path checkout = scratch.path().resolve("checkout");
            long sourceBytes = writeCheckout(checkout, new Random(42));
            builder.build(BuildRequest.push("bench-base", baseSpec(), checkout, host + "/swe-ai-fleet/bench-base", "v1.0.0"),
                    p -> { });
            // Warm-up on other files and another repository: the first build measured should pay the
            // registry round trips and the packing, not the JVM's class loading.
            Path other = scratch.path().resolve("warm-up");
            writeCheckout(other, new Random(7));
            builder.build(request(other, host, "swe-ai-fleet/warm-up", "v0.0.1"), p -> { });

            BuildResult first = builder.build(request(checkout, host, "swe-ai-fleet/orchestrator", "v3.0.0"), p -> { });
            long[] rebuildBytes = new long[REBUILDS];
            long[] rebuildMillis = new long[REBUILDS];
            long[] rebuildLayers = new long[REBUILDS];
            for (int i = 0; i < REBUILDS; i++) {
                Files.writeString(checkout.resolve("services/orchestrator/handlers_0.py"),
                        "# fix " + (i + 1) + "\n" + text(new Random(100 + i), SERVICE_MODULE_BYTES), StandardCharsets.UTF_8);
                BuildResult again = builder.build(request(checkout, host, "swe-ai-fleet/orchestrator", "v3.0." + (i + 1)),
                        p -> { });
                rebuildBytes[i] = again.bytesPushed();
                rebuildMillis[i] = again.took().toMillis();
                rebuildLayers[i] = again.layersPushed();
            }
            long bytes = median(rebuildBytes);
            long millis = median(rebuildMillis);
            System.out.printf("image.checkout %d files, %.1f MB of sources (shared src/ %d modules, services/orchestrator %d)%n",
                    SHARED_MODULES + SERVICE_MODULES, sourceBytes / 1e6, SHARED_MODULES, SERVICE_MODULES);
            System.out.printf("image.first_build.bytes_pushed %d bytes (%s)%n", first.bytesPushed(), describe(first));
            System.out.printf("image.first_build.ms %d ms%n", first.took().toMillis());
            System.out.printf("image.rebuild.layers_pushed %d layers (target 1)%n", median(rebuildLayers));
            System.out.printf("image.rebuild.bytes_pushed %d bytes (target < %d, 1%% of the first build)%n", bytes,
                    first.bytesPushed() / 100);
            System.out.printf("image.rebuild.bytes_ratio %.2f %% (target < 1)%n", 100.0 * bytes / first.bytesPushed());
            System.out.printf("image.rebuild.ms %d ms (target < %d, the first build's)%n", millis, first.took().toMillis());
            System.out.printf("image.rebuild.time_ratio %.0f %% (target < 100)%n", 100.0 * millis / first.took().toMillis());
        } finally {
            scratch.delete();
        }
    }

    private static BuildRequest request(Path checkout, String host, String repository, String tag) {
        BuildSpec spec = new BuildSpec(host + "/swe-ai-fleet/bench-base:v1.0.0", BuildSpec.DEFAULT_PLATFORM, Optional.of("/app"),
                Optional.of("1000"), Map.of("PYTHONPATH", "/app/src:/app"), List.of("50055"), Map.of(), Optional.empty(),
                Optional.of(List.of("python", "services/orchestrator/server.py")), List.of(
                        new LayerSpec("src", List.of("src"), "/app/src/", List.of("**/__pycache__")),
                        new LayerSpec("service", List.of("services/orchestrator"), "/app/services/orchestrator/",
                                List.of("**/__pycache__", "gen"))));
        return BuildRequest.push("orchestrator", spec, checkout, host + "/" + repository, tag);
    }

    private static BuildSpec baseSpec() {
        return new BuildSpec(BuildSpec.SCRATCH, BuildSpec.DEFAULT_PLATFORM, Optional.empty(), Optional.of("1000"), Map.of(),
                List.of(), Map.of(), Optional.empty(), Optional.empty(),
                List.of(new LayerSpec("dependencies", List.of("deps"), "/usr/local/lib/python3.13/site-packages/", List.of())));
    }

    private static long writeCheckout(Path root, Random random) throws IOException {
        long bytes = 0;
        for (int i = 0; i < SHARED_MODULES; i++) {
            bytes += write(root.resolve("src/core/package_" + (i / 50) + "/module_" + i + ".py"), text(random, SHARED_MODULE_BYTES));
        }
        for (int i = 0; i < SERVICE_MODULES; i++) {
            bytes += write(root.resolve("services/orchestrator/handlers_" + i + ".py"), text(random, SERVICE_MODULE_BYTES));
        }
        write(root.resolve("services/orchestrator/server.py"), "print('Orchestrator Service listening on port 50055')\n");
        write(root.resolve("deps/nats/__init__.py"), text(random, 50_000));
        return bytes;
    }

    private static long write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return text.length();
    }

    /** Python-shaped text with identifiers and numbers, compressing about as source code does (to a quarter or so). */
    private static String text(Random random, int bytes) {
        String[] words = {"def", "return", "self", "event", "nats", "subject", "durable", "import", "from", "async",
                "await", "context", "story", "council", "agent", "if", "else", "for", "in", "None", "deliberation",
                "publish", "consumer", "stream", "payload", "json", "logger", "raise", "except", "try"};
        StringBuilder text = new StringBuilder(bytes + 80);
        while (text.length() < bytes) {
            text.append("    ".repeat(random.nextInt(3)));
            for (int w = 0; w < 3 + random.nextInt(6); w++) {
                text.append(words[random.nextInt(words.length)]);
                if (random.nextInt(3) == 0) {
                    text.append('_').append(Integer.toHexString(random.nextInt(1 << 20)));
                }
                text.append(' ');
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String describe(BuildResult result) {
        StringBuilder out = new StringBuilder();
        for (LayerProgress layer : result.layers()) {
            if (layer.state() == LayerState.PUSHED) {
                out.append(out.length() == 0 ? "" : ", ").append(layer.name()).append(' ').append(layer.size()).append(" B");
            }
        }
        return out.append(", the rest is the image configuration; the base is mounted, not sent").toString();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
