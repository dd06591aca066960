package fleet.console.image;

import fleet.console.image.ImageBuildException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registry logins where operators already have them: the auth files {@code podman login} and
 * {@code docker login} write, and the credential helpers those files name ({@code credHelpers}
 * per registry, {@code credsStore} for all), run as {@code docker-credential-NAME get}. The first
 * file with a login for the registry wins, in the order podman reads them, then Docker's.
 */
public final class RegistryLogins {

    private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> DOCKER_HUB_ALIASES = List.of("index.docker.io", "registry-1.docker.io",
            "registry.hub.docker.com", "docker.io");
    /** What Docker's tools call Docker Hub in auth files and when asking a helper. */
    private static final String DOCKER_HUB_SERVER = "https://index.docker.io/v1/";

    private final List<Path> files;
    private final Map<String, String> env;

    private RegistryLogins(List<Path> files, Map<String, String> env) {
        this.files = List.copyOf(files);
        this.env = Map.copyOf(env);
    }

    /**
     * The files podman and Docker read, in podman's order: {@code $REGISTRY_AUTH_FILE},
     * {@code $XDG_RUNTIME_DIR/containers/auth.json}, {@code $XDG_CONFIG_HOME/containers/auth.json}
     * (else {@code ~/.config/...}), then {@code $DOCKER_CONFIG/config.json} (else {@code ~/.docker/config.json}).
     * {@code PATH} in {@code env} is where credential helpers are looked for.
     */
    public static RegistryLogins standard(Map<String, String> env, Path home) {
        List<Path> files = new ArrayList<>();
        nonBlank(env.get("REGISTRY_AUTH_FILE")).map(Path::of).ifPresent(files::add);
        nonBlank(env.get("XDG_RUNTIME_DIR")).map(dir -> Path.of(dir, "containers", "auth.json")).ifPresent(files::add);
        files.add(nonBlank(env.get("XDG_CONFIG_HOME")).map(Path::of).orElse(home.resolve(".config"))
                .resolve("containers").resolve("auth.json"));
        files.add(nonBlank(env.get("DOCKER_CONFIG")).map(Path::of).orElse(home.resolve(".docker")).resolve("config.json"));
        return new RegistryLogins(files, env);
    }

    /** Only the given auth file (as podman's {@code --authfile}); helpers are looked for on {@code env}'s PATH. */
    public static RegistryLogins file(Path authFile, Map<String, String> env) {
        return new RegistryLogins(List.of(authFile), env);
    }

    /** No logins: for registries that ask for none (the sandbox's). */
    public static RegistryLogins none() {
        return new RegistryLogins(List.of(), Map.of());
    }

    /** The files looked in, in order, for messages about a missing login. */
    public List<Path> files() {
        return files;
    }

    /**
     * The login for a repository of a registry: an entry naming the registry and a path prefix of
     * the repository wins over one naming the registry alone (podman allows both).
     *
     * @param registry   host[:port] as in an image reference ({@code registry-1.docker.io} for Docker Hub)
     * @param repository the repository path within it
     * @throws ImageBuildException (CREDENTIALS_UNREADABLE) when a file is malformed or a helper fails
     */
    public Optional<RegistryLogin> find(String registry, String repository) throws ImageBuildException {
        String host = normalisedHost(registry);
        for (Path file : files) {
            Optional<JsonNode> config = read(file);
            if (config.isEmpty()) {
                continue;
            }
            Optional<RegistryLogin> login = fromFile(config.get(), file, host, repository);
            if (login.isPresent()) {
                return login;
            }
        }
        return Optional.empty();
    }

    private Optional<RegistryLogin> fromFile(JsonNode config, Path file, String host, String repository)
            throws ImageBuildException {
        Optional<Map.Entry<String, JsonNode>> helperEntry = bestEntry(config.path("credHelpers"), host, repository);
        if (helperEntry.isPresent()) {
            String helper = helperEntry.get().getValue().asString("");
            return helper(helper, serverFor(helperEntry.get().getKey()), file, "credHelpers");
        }
        String store = config.path("credsStore").asString("");
        if (!store.isBlank()) {
            Optional<Map.Entry<String, JsonNode>> auth = bestEntry(config.path("auths"), host, repository);
            String server = auth.map(e -> serverFor(e.getKey())).orElse(serverFor(host));
            Optional<RegistryLogin> stored = helper(store, server, file, "credsStore");
            if (stored.isPresent()) {
                return stored;
            }
        }
        Optional<Map.Entry<String, JsonNode>> auth = bestEntry(config.path("auths"), host, repository);
        if (auth.isEmpty()) {
            return Optional.empty();
        }
        return fromAuthEntry(auth.get().getValue(), file, auth.get().getKey());
    }

    private static Optional<RegistryLogin> fromAuthEntry(JsonNode entry, Path file, String key) throws ImageBuildException {
        String source = file + " (" + key + ")";
        String identityToken = entry.path("identitytoken").asString("");
        if (!identityToken.isBlank()) {
            return Optional.of(new RegistryLogin(RegistryLogin.TOKEN_USER, identityToken, source));
        }
        String auth = entry.path("auth").asString("");
        if (!auth.isBlank()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw unreadable(file, "the auth of " + key + " is not base64 of user:password: log in again (podman login "
                        + displayHost(key) + ")");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw unreadable(file, "the auth of " + key + " does not hold user:password: log in again (podman login "
                        + displayHost(key) + ")");
            }
            return Optional.of(new RegistryLogin(decoded.substring(0, colon), decoded.substring(colon + 1), source));
        }
        String username = entry.path("username").asString("");
        String password = entry.path("password").asString("");
        if (!username.isBlank() && !password.isEmpty()) {
            return Optional.of(new RegistryLogin(username, password, source));
        }
        return Optional.empty();
    }

    /** The entry whose key names this registry, preferring the longest repository prefix. */
    private static Optional<Map.Entry<String, JsonNode>> bestEntry(JsonNode section, String host, String repository) {
        if (!section.isObject()) {
            return Optional.empty();
        }
        Map.Entry<String, JsonNode> best = null;
        int bestLength = -1;
        String full = host + "/" + repository;
        for (Map.Entry<String, JsonNode> entry : section.properties()) {
            String key = normalisedKey(entry.getKey());
            boolean matches = key.equals(host) || full.equals(key) || full.startsWith(key + "/");
            if (matches && key.length() > bestLength) {
                best = entry;
                bestLength = key.length();
            }
        }
        return Optional.ofNullable(best);
    }

    private Optional<RegistryLogin> helper(String name, String server, Path file, String field) throws ImageBuildException {
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw unreadable(file, field + " names the credential helper \"" + name + "\", which is not a helper name:"
                    + " fix or remove the entry");
        }
        String binary = "docker-credential-" + name;
        Path executable = onPath(binary).orElseThrow(() -> unreadable(file, field + " names the credential helper "
                + name + ", but " + binary + " is not on the PATH: install it, or remove the entry and log in again"
                + " with podman login"));
        Process process;
        try {
            process = new ProcessBuilder(executable.toString(), "get").start();
        } catch (IOException e) {
            throw unreadable(file, binary + " could not be started (" + e.getMessage() + ")");
        }
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(server.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // A helper that exits without reading its input is judged by its exit code below.
        }
        boolean exited;
        try {
            exited = process.waitFor(HELPER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ImageBuildException(Problem.CANCELLED, "interrupted while asking " + binary + " for a login");
        }
        if (!exited) {
            process.destroyForcibly();
            throw unreadable(file, binary + " did not answer within " + HELPER_TIMEOUT.toSeconds() + " s: it may be"
                    + " waiting for a keyring to be unlocked; unlock it, or log in with podman login");
        }
        String out = new String(stdout.join(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            // On failure a helper prints why (never a secret): "credentials not found in native keychain".
            if (out.toLowerCase(Locale.ROOT).contains("credentials not found")) {
                return Optional.empty();
            }
            String why = firstLine(out.isEmpty() ? new String(stderr.join(), StandardCharsets.UTF_8) : out);
            throw unreadable(file, binary + " failed (exit " + process.exitValue() + (why.isEmpty() ? "" : ": " + why)
                    + "): check that it works with: echo " + server + " | " + binary + " get");
        }
        JsonNode answer;
        try {
            answer = JsonMapper.shared().readTree(out);
        } catch (JacksonException e) {
            throw unreadable(file, binary + " answered something other than its JSON: check it with: echo " + server
                    + " | " + binary + " get");
        }
        String username = answer.path("Username").asString("");
        String secret = answer.path("Secret").asString("");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RegistryLogin(username.isEmpty() ? RegistryLogin.TOKEN_USER : username, secret,
                binary + " (" + field + " of " + file + ")"));
    }

    private Optional<Path> onPath(String binary) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, binary);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> read(Path file) throws ImageBuildException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw unreadable(file, "cannot be read (" + e.getMessage() + "): check its permissions");
        }
        if (text.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode root = JsonMapper.shared().readTree(text);
            if (!root.isObject()) {
                throw unreadable(file, "is not a JSON object as podman and Docker write it: log in again to rewrite it");
            }
            return Optional.of(root);
        } catch (JacksonException e) {
            throw unreadable(file, "is not valid JSON (" + firstLine(e.getOriginalMessage()) + "): fix it, or move it"
                    + " aside and log in again");
        }
    }

    /** Host as the files key it: lower case, Docker Hub under one name. */
    static String normalisedHost(String registry) {
        String host = registry.toLowerCase(Locale.ROOT);
        return DOCKER_HUB_ALIASES.contains(host) ? "docker.io" : host;
    }

    /** An auth-file key without scheme, trailing slash or Docker Hub's /v1 path; host lower case. */
    static String normalisedKey(String key) {
        String k = key.strip();
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        while (k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        if (k.endsWith("/v1") || k.endsWith("/v2")) {
            k = k.substring(0, k.length() - 3);
        }
        int slash = k.indexOf('/');
        String host = normalisedHost(slash < 0 ? k : k.substring(0, slash));
        return slash < 0 ? host : host + k.substring(slash);
    }

    /** What to hand a helper: the key as written, or Docker Hub's conventional URL. */
    private static String serverFor(String key) {
        return "docker.io".equals(normalisedKey(key)) ? DOCKER_HUB_SERVER : key;
    }

    private static String displayHost(String key) {
        String k = normalisedKey(key);
        int slash = k.indexOf('/');
        return slash < 0 ? k : k.substring(0, slash);
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        String line = newline < 0 ? stripped : stripped.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static ImageBuildException unreadable(Path file, String why) {
        return new ImageBuildException(Problem.CREDENTIALS_UNREADABLE, "Registry logins: " + file + ": " + why + ".");
    }
}
