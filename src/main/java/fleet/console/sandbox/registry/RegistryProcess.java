package fleet.console.sandbox.registry;

import fleet.console.sandbox.process.ChildProcess;
import fleet.console.sandbox.process.ChildProcessException;
import fleet.console.sandbox.process.Executables;
import fleet.console.sandbox.process.FreePorts;
import fleet.console.sandbox.process.Probes;
import fleet.console.sandbox.process.ScratchDir;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox's image registry: Debian's {@code docker-registry} (distribution 2.8) as a child
 * process on a free port of 127.0.0.1, storing blobs in a temporary directory, without auth.
 * Images built by the console are pushed here, and the simulated kubelet asks it whether an
 * image tag exists before it lets a pod start.
 */
public final class RegistryProcess implements AutoCloseable {

    public static final String BINARY_NAME = "docker-registry";

    /**
     * Every manifest type a pull would accept. Distribution 2.8 treats a request that names none
     * of them as an old schema-1 client: it answers 404 for an OCI manifest (what Jib pushes) and
     * 400 for a Docker v2 one, so without this header every pushed image would look missing.
     */
    static final String MANIFEST_TYPES = String.join(", ",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    /** Distribution's grammar for a repository name: lower-case components joined by slashes. */
    private static final Pattern REPOSITORY = Pattern.compile(
            "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile(
            "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 3;

    private enum State { NEW, RUNNING, STOPPED }

    private final Optional<Path> explicitBinary;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private State state = State.NEW;
    private ScratchDir home;
    private int port;
    private ChildProcess process;

    /** A registry whose binary is looked up on the PATH when it starts. */
    public RegistryProcess() {
        this.explicitBinary = Optional.empty();
    }

    /** A registry started from the given binary. */
    public RegistryProcess(Path binary) {
        this.explicitBinary = Optional.of(binary);
    }

    /** The docker-registry binary on the PATH (or in an sbin folder). */
    public static Optional<Path> findBinary() {
        return Executables.find(BINARY_NAME);
    }

    /**
     * Writes the registry's configuration, starts it and returns once {@code GET /v2/} answers 200.
     *
     * @throws RegistryUnavailable when there is no binary to start
     * @throws ChildProcessException when the registry exits or is not ready in time; the message
     *     carries the registry's own output
     */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("docker-registry was already started (state " + state + ")");
        }
        Path binary = binary();
        home = ScratchDir.create("fleet-sandbox-registry-");
        try {
            for (int attempt = 1; ; attempt++) {
                port = FreePorts.loopback();
                try {
                    launch(binary);
                    break;
                } catch (ChildProcessException e) {
                    if (attempt == PORT_ATTEMPTS || !e.output().toLowerCase(Locale.ROOT).contains("address already in use")) {
                        throw e;
                    }
                }
            }
        } catch (RuntimeException e) {
            home.delete();
            state = State.STOPPED;
            throw e;
        }
        state = State.RUNNING;
    }

    /** {@code 127.0.0.1:<port>}, the registry part of an image reference. */
    public synchronized String host() {
        requireStarted();
        return "127.0.0.1:" + port;
    }

    public synchronized int port() {
        requireStarted();
        return port;
    }

    /** Where the registry keeps its configuration and blobs; removed by {@link #stop()}. */
    public synchronized Path homeDirectory() {
        requireStarted();
        return home.path();
    }

    public synchronized Optional<Long> pid() {
        return state == State.RUNNING ? Optional.of(process.pid()) : Optional.empty();
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING && process.isAlive();
    }

    /** Kills the registry, waits for it to exit and removes its storage. Safe to call more than once. */
    public synchronized void stop() {
        if (state == State.STOPPED) {
            return;
        }
        try {
            if (process != null) {
                process.stop(STOP_GRACE);
            }
        } finally {
            if (home != null) {
                home.delete();
            }
            state = State.STOPPED;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The tail of the registry's output (its log), for diagnostics. */
    public synchronized String recentOutput() {
        return process == null ? "" : process.recentOutput();
    }

    /**
     * Whether {@code repository} has a manifest under {@code reference} (a tag, or a digest such
     * as {@code sha256:...}): what a kubelet's image pull would find.
     *
     * @throws IllegalStateException when the registry answers anything but 200 or 404
     */
    public boolean hasManifest(String repository, String reference) {
        requireValidRepository(repository);
        if (!TAG.matcher(reference).matches() && !DIGEST.matcher(reference).matches()) {
            throw new IllegalArgumentException("not a tag or digest: " + reference);
        }
        String path = "/v2/" + repository + "/manifests/" + reference;
        HttpRequest request = request(path)
                .header("Accept", MANIFEST_TYPES)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<Void> response = send(request, HttpResponse.BodyHandlers.discarding());
        switch (response.statusCode()) {
            case 200:
                return true;
            case 404:
                return false;
            default:
                throw new IllegalStateException("registry " + host() + " answered " + response.statusCode()
                        + " to HEAD " + path);
        }
    }

    /** The tags of {@code repository}; empty when the repository does not exist. */
    public List<String> tags(String repository) {
        requireValidRepository(repository);
        String path = "/v2/" + repository + "/tags/list";
        HttpResponse<String> response = send(request(path).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() == 404) {
            return List.of();
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("registry " + host() + " answered " + response.statusCode()
                    + " to GET " + path + ": " + response.body());
        }
        // Distribution answers "tags": null for a repository whose tags were all deleted.
        JsonNode tags = JsonMapper.shared().readTree(response.body()).path("tags");
        List<String> names = new ArrayList<>();
        for (JsonNode tag : tags) {
            names.add(tag.asString());
        }
        return List.copyOf(names);
    }

    private void launch(Path binary) {
        Path config = home.path().resolve("config.yml");
        Path storage = home.path().resolve("storage");
        try {
            Files.createDirectories(storage);
            Files.writeString(config, config(storage, port), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the registry configuration in " + home.path(), e);
        }
        process = ChildProcess.start(BINARY_NAME, List.of(binary.toString(), "serve", config.toString()), home.path());
        URI base = URI.create("http://127.0.0.1:" + port + "/v2/");
        process.awaitReady(() -> Probes.answersOk(http, base), "answering 200 on " + base, START_TIMEOUT);
    }

    /**
     * Our own configuration: the package's /etc/docker/registry/config.yml turns on htpasswd
     * auth, which a sandbox push has no credentials for.
     */
    static String config(Path storage, int port) {
        return "version: 0.1\n"
                + "log:\n"
                + "  level: info\n"
                + "  accesslog:\n"
                + "    disabled: true\n"
                + "storage:\n"
                + "  filesystem:\n"
                + "    rootdirectory: " + yamlString(storage.toString()) + "\n"
                + "  delete:\n"
                + "    enabled: true\n"
                + "http:\n"
                + "  addr: 127.0.0.1:" + port + "\n";
    }

    private static String yamlString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://" + host() + path)).timeout(REQUEST_TIMEOUT);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException("registry " + host() + " did not answer " + request.method() + " "
                    + request.uri().getPath(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while asking registry " + host()));
        }
    }

    private static void requireValidRepository(String repository) {
        if (repository == null || !REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("not a valid repository name: " + repository);
        }
    }

    private Path binary() {
        if (explicitBinary.isPresent()) {
            Path binary = explicitBinary.get();
            if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
                throw new RegistryUnavailable(binary + " is not an executable file");
            }
            return binary;
        }
        return findBinary().orElseThrow(() -> new RegistryUnavailable(BINARY_NAME + " was not found on the PATH"));
    }

    private void requireStarted() {
        if (state == State.NEW) {
            throw new IllegalStateException("docker-registry has not been started");
        }
    }
}
