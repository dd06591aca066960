package fleet.console.runbook;

import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Runs saved as they go, one JSON file per run, written whole and moved into place so that a crash
 * mid-write leaves the previous state, never half of one.
 */
public final class RunStore {

    private static final Logger LOG = Logger.getLogger(RunStore.class.getName());

    private final Path directory;

    public RunStore(Path directory) {
        this.directory = directory;
    }

    /** {@code $XDG_STATE_HOME/fleet-console/runs}, else {@code ~/.local/state/fleet-console/runs}. */
    public static Path defaultDirectory(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local").resolve("state");
        return base.resolve("fleet-console").resolve("runs");
    }

    public Path directory() {
        return directory;
    }

    public void save(RunRecord run) {
        try {
            Files.createDirectories(directory);
            Path target = directory.resolve(run.id() + ".json");
            Path temp = directory.resolve(run.id() + ".json.tmp");
            Files.writeString(temp, Serialization.asJson(toMap(run)));
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the run's state in " + directory + ": " + e.getMessage(), e);
        }
    }

    public Optional<RunRecord> load(String id) {
        Path file = directory.resolve(id + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(fromMap(Serialization.unmarshal(Files.readString(file), Map.class)));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Saved run " + file + " cannot be read; it is left alone", e);
            return Optional.empty();
        }
    }

    /** Runs that did not end well, newest first: what a starting console offers to resume. */
    public List<RunRecord> unfinished() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<RunRecord> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                String id = f.getFileName().toString().replace(".json", "");
                load(id).filter(RunRecord::unfinished).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing(RunRecord::started).reversed());
        return out;
    }

    private static Map<String, Object> toMap(RunRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("runbook", r.runbook());
        m.put("context", r.context());
        m.put("namespace", r.namespace());
        m.put("options", r.options());
        m.put("started", r.started().toString());
        m.put("status", r.status().name());
        m.put("done", r.done());
        r.stoppedAt().ifPresent(s -> m.put("stoppedAt", s));
        m.put("values", r.values());
        r.reason().ifPresent(s -> m.put("reason", s));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static RunRecord fromMap(Map<?, ?> m) {
        return new RunRecord((String) m.get("id"), (String) m.get("runbook"), (String) m.get("context"), (String) m.get("namespace"),
                (Map<String, String>) m.get("options"), Instant.parse((String) m.get("started")),
                RunRecord.Status.valueOf((String) m.get("status")), (List<String>) m.get("done"),
                Optional.ofNullable((String) m.get("stoppedAt")), (Map<String, String>) m.get("values"),
                Optional.ofNullable((String) m.get("reason")));
    }
}
