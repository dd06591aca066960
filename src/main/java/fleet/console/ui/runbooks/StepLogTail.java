package fleet.console.ui.runbooks;

import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.logs.LogSource;
import fleet.console.cluster.logs.LogStream;
import fleet.console.cluster.logs.LogStreamStatus;
import fleet.console.cluster.logs.WorkloadPods;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.ui.logs.LogViewModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live log of the pods a step touches (its {@code touches()}: {@code deployment/orchestrator}...), in
 * its own {@link LogViewModel}, switched as the shown step changes: each switch empties the view, closes
 * the old stream and opens one over the workloads' pods as they are now (the last
 * {@value #TAIL_LINES} lines of each, then followed). Lines carry their pod's name. Finding the pods and
 * opening the stream run on the background executor; a stream asked for before a newer one is closed
 * unread.
 */
final class StepLogTail {

    /** How many of each pod's last lines a switch starts with. */
    static final int TAIL_LINES = 50;

    private final LogViewModel view;
    private final Executor background;
    private final AtomicLong generation = new AtomicLong();
    private final Object lock = new Object();
    private AutoCloseable open;
    private boolean closed;
    private ClusterSession session;
    private List<String> following = List.of();
    private String followingStep = "";

    StepLogTail(LogViewModel view, Executor background) {
        this.view = Objects.requireNonNull(view);
        this.background = Objects.requireNonNull(background);
    }

    LogViewModel view() {
        return view;
    }

    /** The workloads followed now (kubectl names); empty when none. */
    List<String> following() {
        return following;
    }

    /**
     * Follows the pods of these workloads in the session (UI thread); the same step asked again keeps
     * the stream open. {@code step} names the step in the view's title.
     */
    void follow(ClusterSession on, String step, List<String> workloads) {
        List<String> now = on == null ? List.of() : List.copyOf(workloads);
        String title = step == null ? "" : step;
        if (on == session && now.equals(following) && title.equals(followingStep) && !now.isEmpty()) {
            return;
        }
        // Another step, even of the same workload, finds the pods again: a scale-up's pods exist by the
        // time the wait for them starts.
        session = on;
        following = now;
        followingStep = title;
        long gen = generation.incrementAndGet();
        LogViewModel.Feed feed = view.restart(now.isEmpty() ? step : "Pods of " + String.join(", ", now) + " (" + step + ")");
        if (now.isEmpty()) {
            background.execute(this::closeOpen);
            if (on != null && step != null && !step.isEmpty()) {
                feed.status("This step touches no pod: its own lines are in the run's log below.", false);
            }
            return;
        }
        feed.prefixLines();
        background.execute(() -> {
            closeOpen();
            List<String> pods = new ArrayList<>();
            List<String> without = new ArrayList<>();
            for (String w : now) {
                try {
                    List<String> found = WorkloadPods.resolve(on.client(), on.namespace(), ref(w)).pods();
                    if (found.isEmpty()) {
                        without.add(w);
                    }
                    pods.addAll(found);
                } catch (RuntimeException e) {
                    without.add(w);
                }
            }
            if (pods.isEmpty()) {
                feed.status("No pod of " + String.join(", ", without) + " right now (scaled to 0, or not created yet).", false);
                return;
            }
            LogStream stream;
            try {
                stream = LogStream.open(on.client(), new LogSource(on.namespace(), pods, Optional.empty(), false, true,
                        OptionalInt.of(TAIL_LINES)), feed.sink(s -> s.pod() + ": " + s.message(), LogStreamStatus::problem));
            } catch (RuntimeException e) {
                feed.status("Cannot read the pods' logs: " + e.getMessage(), true);
                return;
            }
            feed.countDroppedWith(stream::dropped);
            boolean keep;
            synchronized (lock) {
                keep = !closed && gen == generation.get();
                if (keep) {
                    open = stream;
                }
            }
            if (!keep) {
                stream.close();
            }
        });
    }

    /** {@code deployment/orchestrator} as the workload it names. */
    static WorkloadRef ref(String kubectlName) {
        int slash = kubectlName.indexOf('/');
        String kind = slash < 0 ? "deployment" : kubectlName.substring(0, slash).toLowerCase(Locale.ROOT);
        String name = slash < 0 ? kubectlName : kubectlName.substring(slash + 1);
        return new WorkloadRef(switch (kind) {
            case "statefulset", "sts" -> "StatefulSet";
            case "daemonset", "ds" -> "DaemonSet";
            case "job" -> "Job";
            case "replicaset", "rs" -> "ReplicaSet";
            case "pod", "po" -> "Pod";
            default -> "Deployment";
        }, name);
    }

    /** Stops following (the wizard was disposed). */
    void close() {
        synchronized (lock) {
            closed = true;
        }
        generation.incrementAndGet();
        view.close();
        background.execute(this::closeOpen);
    }

    private void closeOpen() {
        AutoCloseable c;
        synchronized (lock) {
            c = open;
            open = null;
        }
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // Gone for the view either way.
            }
        }
    }
}
