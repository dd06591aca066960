package fleet.console.runbook;

import fleet.console.cluster.PodExec;
import fleet.console.profile.ServiceSpec;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runbook's "backup before major changes": Neo4j's database dump and Valkey's {@code SAVE}, run in
 * their pods by exec through the API, then each file copied to this machine ({@code kubectl cp}), so a
 * backup outlives the namespace a complete reset deletes. The result names each file and its size.
 */
final class Backup {

    /** How one data store is backed up: the command that writes the file in its pod, and the file. */
    record Store(String service, List<String> command, String fileInPod, String localName) {
    }

    /** The fleet's data stores, by service name, as the runbook backs them up. */
    static final Map<String, Store> STORES = Map.of(
            "neo4j", new Store("neo4j", List.of("neo4j-admin", "database", "dump", "neo4j", "--to-path=/backups"), "/backups/neo4j.dump",
                    "neo4j.dump"),
            "valkey", new Store("valkey", List.of("redis-cli", "SAVE"), "/data/dump.rdb", "valkey-dump.rdb"));

    private static final String DIR_KEY = "backup.dir";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private Backup() {
    }

    static Runbook plan(RunContext run) throws StepFailure {
        List<Step> steps = steps(run);
        if (steps.isEmpty()) {
            throw new StepFailure("The fleet profile has no data store this console knows how to back up (neo4j, valkey).",
                    "Nothing to do; back up other stores with their own tools.");
        }
        return new Runbook("backup", "Backup the data stores",
                "Neo4j dump and Valkey SAVE in their pods, then each file copied to " + directory(run) + ".", steps, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** The backup's steps, for this runbook and for the complete reset that offers it first. */
    static List<Step> steps(RunContext run) {
        List<Step> steps = new ArrayList<>();
        for (ServiceSpec s : run.profile().services()) {
            Store store = STORES.get(s.name());
            if (store == null) {
                continue;
            }
            String pod = s.name() + "-0";
            steps.add(SimpleStep.of("backup-" + s.name(), "Back up " + s.name() + " (" + String.join(" ", store.command()) + ")",
                    "Backup before major changes: a reset deletes the data with the namespace.",
                    "Runs the command in " + pod + ", then copies " + store.fileInPod() + " to this machine.",
                    List.of("kubectl exec -n " + run.namespace() + " " + pod + " -c " + s.container() + " -- " + String.join(" ", store.command()),
                            "kubectl cp " + run.namespace() + "/" + pod + ":" + store.fileInPod() + " " + directory(run).resolve(store.localName())
                                    + " -c " + s.container()),
                    Duration.ofMinutes(10), r -> backUp(r, s, store, pod))
                    .skippedWhen(r -> r.options().skips("backup") ? Optional.of("--skip backup") : Optional.empty()));
        }
        return steps;
    }

    private static void backUp(RunContext run, ServiceSpec s, Store store, String pod) throws StepFailure, InterruptedException {
        Pod p = run.client().pods().inNamespace(run.namespace()).withName(pod).get();
        if (p == null || p.getStatus() == null || !"Running".equals(p.getStatus().getPhase())) {
            throw new StepFailure(pod + " is not running" + (p == null ? " (there is no such pod)" : " (" + p.getStatus().getPhase() + ")")
                    + ", so " + s.name() + " cannot be backed up.", "Start " + s.name() + " first, or skip the backup with --skip backup.");
        }
        Path dir = directory(run);
        run.remember(DIR_KEY, dir.toString());
        try {
            run.progress("running " + String.join(" ", store.command()) + " in " + pod);
            LineLog output = new LineLog(run);
            PodExec.Outcome made = PodExec.run(run.client(), run.namespace(), pod, s.container(), store.command(),
                    output, run.timeLeft(), run.cancellation());
            output.close();
            if (!made.succeeded()) {
                throw new StepFailure("`" + String.join(" ", store.command()) + "` in " + pod + " exited with " + made.exitCode()
                        + (made.stderr().isBlank() ? "." : ": " + made.stderr().strip()), "Read its message; nothing was copied.");
            }
            made.stderr().lines().filter(l -> !l.isBlank()).forEach(run::log);
            Files.createDirectories(dir);
            Path target = dir.resolve(store.localName());
            Path partial = dir.resolve(store.localName() + ".part");
            run.progress("copying " + store.fileInPod() + " to " + target);
            PodExec.Outcome copied;
            try (OutputStream out = Files.newOutputStream(partial)) {
                copied = PodExec.run(run.client(), run.namespace(), pod, s.container(), List.of("cat", store.fileInPod()), out,
                        run.timeLeft(), run.cancellation());
            }
            if (!copied.succeeded()) {
                Files.deleteIfExists(partial);
                throw new StepFailure("Could not copy " + store.fileInPod() + " out of " + pod + ": " + copied.stderr().strip(),
                        "The command ran but left no file there; check the path in its output above.");
            }
            String sizeInPod = PodExec.text(run.client(), run.namespace(), pod, s.container(), List.of("stat", "-c", "%s", store.fileInPod()),
                    Duration.ofSeconds(30)).strip();
            long size = Files.size(partial);
            if (!sizeInPod.equals(Long.toString(size))) {
                Files.deleteIfExists(partial);
                throw new StepFailure("The copy of " + store.fileInPod() + " is " + size + " bytes but the file in " + pod + " is " + sizeInPod
                        + " bytes.", "Run the backup again; the connection may have dropped mid-copy.");
            }
            Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            run.log(s.name() + ": " + target + " (" + human(size) + ")");
            run.remember("backup." + s.name(), target + " " + size);
        } catch (PodExec.ExecProblem e) {
            throw new StepFailure(e.getMessage(), e.whatToDo());
        } catch (IOException e) {
            throw new StepFailure("Could not write the backup to " + dir + ": " + e.getMessage(),
                    "Choose a writable folder with --to DIR, then resume.", e);
        }
    }

    /**
     * Where this run's files go: the folder given with {@code --to}, else a new one per run under the
     * user's data folder, the same folder again when the run is resumed.
     */
    static Path directory(RunContext run) {
        Optional<String> remembered = run.recall(DIR_KEY);
        if (remembered.isPresent()) {
            return Path.of(remembered.get());
        }
        if (run.options().backupTo().isPresent()) {
            return run.options().backupTo().get();
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("fleet-console").resolve("backups")
                .resolve(run.contextName().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + STAMP.format(run.clock().instant()));
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }

    /** The command's output, line by line, into the run's log. */
    private static final class LineLog extends OutputStream {
        private final RunContext run;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        LineLog(RunContext run) {
            this.run = run;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                run.log(line.toString(java.nio.charset.StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void close() {
            if (line.size() > 0) {
                run.log(line.toString(java.nio.charset.StandardCharsets.UTF_8));
                line.reset();
            }
        }
    }
}
