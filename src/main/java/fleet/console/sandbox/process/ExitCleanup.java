package fleet.console.sandbox.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What must not outlive the JVM: child servers (a stray nats-server keeps its port and store
 * locked for the next run) and their scratch directories. One shutdown hook for all of them,
 * so the children are gone before their directories are removed.
 */
final class ExitCleanup {

    private static final Duration GRACE = Duration.ofSeconds(2);

    private static final Set<ChildProcess> CHILDREN = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::run, "sandbox-child-cleanup"));
    }

    private ExitCleanup() {
    }

    static void register(ChildProcess child) {
        CHILDREN.add(child);
    }

    static void unregister(ChildProcess child) {
        CHILDREN.remove(child);
    }

    static void register(Path directory) {
        DIRECTORIES.add(directory);
    }

    static void unregister(Path directory) {
        DIRECTORIES.remove(directory);
    }

    private static void run() {
        List<ChildProcess> children = List.copyOf(CHILDREN);
        children.forEach(ChildProcess::requestTermination);
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ChildProcess child : children) {
            child.awaitExitUntil(deadline);
        }
        children.forEach(ChildProcess::kill);
        for (Path directory : List.copyOf(DIRECTORIES)) {
            ScratchDir.deleteTree(directory);
        }
    }
}
