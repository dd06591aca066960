package fleet.console.sandbox.kubelet;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the simulated containers wrote, kept per pod, container and run (the run before the last
 * restart is what {@code --previous} shows), bounded like a node's log rotation. Followers get each new
 * line as it is written and are told when the run ends.
 */
public final class LogStore {

    public static final int MAX_LINES_PER_RUN = 20_000;

    public record Line(Instant time, String text) {
    }

    /** A follower of one run: lines as they come, then the end of the run. */
    public interface Follower {
        void line(Line line);

        void ended();
    }

    /** One run of one container. */
    public static final class Run {
        private final ArrayDeque<Line> lines = new ArrayDeque<>();
        private final List<Follower> followers = new CopyOnWriteArrayList<>();
        private boolean ended;

        public void append(Line line) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                lines.addLast(line);
                if (lines.size() > MAX_LINES_PER_RUN) {
                    lines.removeFirst();
                }
            }
            for (Follower f : followers) {
                f.line(line);
            }
        }

        public void end() {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            for (Follower f : followers) {
                f.ended();
            }
            followers.clear();
        }

        public synchronized List<Line> snapshot() {
            return new ArrayList<>(lines);
        }

        public synchronized boolean isEnded() {
            return ended;
        }

        /**
         * The lines so far and, atomically with them, registration for what comes next, so a follower
         * neither misses nor repeats a line. Returns the backlog; registers only when the run is still on.
         */
        public List<Line> follow(Follower follower) {
            synchronized (this) {
                List<Line> backlog = new ArrayList<>(lines);
                if (!ended) {
                    followers.add(follower);
                }
                return backlog;
            }
        }

        public void unfollow(Follower follower) {
            followers.remove(follower);
        }
    }

    /** All runs of one container, oldest first. */
    public static final class ContainerLog {
        private final List<Run> runs = new CopyOnWriteArrayList<>();
        private volatile boolean restarting;

        /**
         * The last run died and the container will restart: from now on that dead run is the
         * "previous" one, as the kubelet counts a dead container as a restart before the next starts.
         */
        public void restarting() {
            restarting = true;
        }

        public Run newRun() {
            restarting = false;
            if (!runs.isEmpty()) {
                runs.get(runs.size() - 1).end();
            }
            Run run = new Run();
            runs.add(run);
            // Kubernetes keeps the current and the previous container's log, nothing older.
            while (runs.size() > 2) {
                runs.remove(0);
            }
            return run;
        }

        public Optional<Run> current() {
            return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
        }

        public Optional<Run> previous() {
            if (restarting && !runs.isEmpty()) {
                return Optional.of(runs.get(runs.size() - 1));
            }
            return runs.size() < 2 ? Optional.empty() : Optional.of(runs.get(runs.size() - 2));
        }
    }

    private final Map<String, Map<String, ContainerLog>> byPod = new ConcurrentHashMap<>();

    public ContainerLog container(String namespace, String pod, String container) {
        return byPod.computeIfAbsent(namespace + "/" + pod, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(container, k -> new ContainerLog());
    }

    public Optional<ContainerLog> find(String namespace, String pod, String container) {
        Map<String, ContainerLog> containers = byPod.get(namespace + "/" + pod);
        return containers == null ? Optional.empty() : Optional.ofNullable(containers.get(container));
    }

    /** A pod is gone: its logs go with it, and any follower is told the stream ended. */
    public void remove(String namespace, String pod) {
        Map<String, ContainerLog> containers = byPod.remove(namespace + "/" + pod);
        if (containers != null) {
            containers.values().forEach(c -> c.current().ifPresent(Run::end));
        }
    }
}
