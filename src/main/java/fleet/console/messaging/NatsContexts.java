package fleet.console.messaging;

import io.nats.client.support.JsonParser;
import io.nats.client.support.JsonValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The operator's natscli contexts, read from where natscli keeps them. */
public final class NatsContexts {

    private final Path directory;

    public NatsContexts(Path configHome) {
        this.directory = configHome.resolve("nats");
    }

    /** {@code $XDG_CONFIG_HOME/nats}, else {@code ~/.config/nats}, as natscli does. */
    public static NatsContexts forUser(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        return new NatsContexts(xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config"));
    }

    public List<String> names() {
        Path dir = directory.resolve("context");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The context natscli has selected ({@code nats context select}), if any. */
    public Optional<String> selected() {
        try {
            Path file = directory.resolve("context.txt");
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String name = Files.readString(file).trim();
            return name.isEmpty() ? Optional.empty() : Optional.of(name);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public NatsContext read(String name) throws NatsProblem {
        Path file = directory.resolve("context").resolve(name + ".json");
        if (!Files.isRegularFile(file)) {
            throw new NatsProblem(NatsProblem.Kind.BAD_CONTEXT, "There is no natscli context '" + name + "' (" + file + ").",
                    names().isEmpty() ? "Create one with: nats context save " + name + " --server nats://HOST:4222"
                            : "Choose one of: " + String.join(", ", names()) + ".");
        }
        JsonValue json;
        try {
            json = JsonParser.parse(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new NatsProblem(NatsProblem.Kind.BAD_CONTEXT, "The natscli context " + file + " is not valid JSON: " + e.getMessage(),
                    "Fix it, or recreate it with nats context save.", e);
        }
        if (json.map == null) {
            throw new NatsProblem(NatsProblem.Kind.BAD_CONTEXT, "The natscli context " + file + " is not a JSON object.",
                    "Recreate it with nats context save.");
        }
        String url = text(json, "url").orElse("nats://127.0.0.1:4222");
        List<String> missing = new ArrayList<>();
        Optional<Path> creds = path(json, "creds", missing);
        Optional<Path> nkey = path(json, "nkey", missing);
        Optional<Path> cert = path(json, "cert", missing);
        Optional<Path> key = path(json, "key", missing);
        Optional<Path> ca = path(json, "ca", missing);
        if (!missing.isEmpty()) {
            throw new NatsProblem(NatsProblem.Kind.BAD_CONTEXT, "The natscli context '" + name + "' names files that do not exist: "
                    + String.join(", ", missing) + ".", "Fix the paths in " + file + " (nats context edit " + name + ").");
        }
        return new NatsContext(name, url, creds, nkey, cert, key, ca, text(json, "user"), text(json, "password"),
                text(json, "token"), text(json, "description").orElse(""));
    }

    private static Optional<String> text(JsonValue json, String field) {
        JsonValue v = json.map.get(field);
        return v == null || v.string == null || v.string.isBlank() ? Optional.empty() : Optional.of(v.string);
    }

    private static Optional<Path> path(JsonValue json, String field, List<String> missing) {
        Optional<String> text = text(json, field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String value = text.get().startsWith("~/") ? System.getProperty("user.home") + text.get().substring(1) : text.get();
        Path p = Path.of(value);
        if (!Files.exists(p)) {
            missing.add(field + " " + p);
        }
        return Optional.of(p);
    }
}
