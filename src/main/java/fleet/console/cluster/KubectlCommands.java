package fleet.console.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The one place that knows the kubectl equivalent of what the console shows or does, so an operator
 * can copy it into a terminal (or a runbook) and get the same answer. Every argument is quoted for a
 * POSIX shell where it needs to be.
 */
public final class KubectlCommands {

    /** kubectl follows at most 5 pods of a selector at once unless told otherwise. */
    static final int KUBECTL_MAX_LOG_REQUESTS = 5;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9@%_+=:,./-]+");

    private final Optional<String> context;
    private final String namespace;

    private KubectlCommands(Optional<String> context, String namespace) {
        this.context = context;
        this.namespace = namespace;
    }

    /** Commands for the kubeconfig's current context. */
    public static KubectlCommands in(String namespace) {
        return new KubectlCommands(Optional.empty(), namespace);
    }

    /** Commands naming their context, so they work whatever the terminal's current context is. */
    public static KubectlCommands in(String context, String namespace) {
        return new KubectlCommands(Optional.ofNullable(context).filter(c -> !c.isBlank()), namespace);
    }

    /** {@code kubectl get pods -n swe-ai-fleet -o wide}: the pods table. */
    public String getPodsWide() {
        return command("get", "pods", "-n", namespace, "-o", "wide");
    }

    /** {@code kubectl describe pod -n swe-ai-fleet POD}: the pod's detail and events. */
    public String describePod(String pod) {
        return command("describe", "pod", "-n", namespace, pod);
    }

    /** {@code kubectl delete pod -n swe-ai-fleet POD}. */
    public String deletePod(String pod) {
        return command("delete", "pod", "-n", namespace, pod);
    }

    /** The pod's events, oldest first as kubectl sorts them (the runbook's Issue D). */
    public String podEvents(String pod) {
        return command("get", "events", "-n", namespace, "--field-selector", "involvedObject.name=" + pod,
                "--sort-by=.lastTimestamp");
    }

    /** {@code kubectl logs -n NS POD [-c C] [--previous] [--tail=N] [-f] [--timestamps]}. */
    public String logs(String pod, Optional<String> container, boolean previous, boolean follow, OptionalInt tailLines,
                       boolean timestamps) {
        List<String> args = new ArrayList<>(List.of("logs", "-n", namespace, pod));
        container.ifPresent(c -> {
            args.add("-c");
            args.add(c);
        });
        if (previous) {
            args.add("--previous");
        }
        tailLines.ifPresent(n -> args.add("--tail=" + n));
        if (follow) {
            args.add("-f");
        }
        if (timestamps) {
            args.add("--timestamps");
        }
        return command(args.toArray(String[]::new));
    }

    /**
     * All pods of a workload, through its own selector, each line prefixed {@code [pod/NAME/CONTAINER]}.
     * kubectl shows only the last 10 lines per pod for a selector unless told, so the tail is always
     * given; and it refuses to follow more than 5 pods unless the limit is raised.
     *
     * @param selector the workload's selector in kubectl syntax ({@code app=monitoring})
     * @param pods     how many pods it has now
     */
    public String logsOfWorkload(String selector, Optional<String> container, boolean follow, OptionalInt tailLines,
                                 boolean timestamps, int pods) {
        List<String> args = new ArrayList<>(List.of("logs", "-n", namespace, "-l", selector, "--prefix"));
        if (container.isPresent()) {
            args.add("-c");
            args.add(container.get());
        } else {
            args.add("--all-containers");
        }
        args.add("--tail=" + tailLines.orElse(-1));
        if (follow) {
            args.add("-f");
            if (pods > KUBECTL_MAX_LOG_REQUESTS) {
                args.add("--max-log-requests=" + pods);
            }
        }
        if (timestamps) {
            args.add("--timestamps");
        }
        return command(args.toArray(String[]::new));
    }

    /** {@code kubectl rollout history deployment/NAME -n NS}. */
    public String rolloutHistory(String workload) {
        return command("rollout", "history", workload, "-n", namespace);
    }

    /** {@code kubectl rollout undo deployment/NAME --to-revision=N -n NS}. */
    public String rolloutUndo(String workload, long toRevision) {
        return command("rollout", "undo", workload, "--to-revision=" + toRevision, "-n", namespace);
    }

    /** {@code kubectl rollout restart deployment/NAME -n NS}. */
    public String rolloutRestart(String workload) {
        return command("rollout", "restart", workload, "-n", namespace);
    }

    /** {@code kubectl rollout pause|resume deployment/NAME -n NS}. */
    public String rolloutPause(String workload, boolean pause) {
        return command("rollout", pause ? "pause" : "resume", workload, "-n", namespace);
    }

    /** {@code kubectl rollout status deployment/NAME -n NS}. */
    public String rolloutStatus(String workload) {
        return command("rollout", "status", workload, "-n", namespace);
    }

    /** {@code kubectl scale deployment/NAME --replicas=N -n NS}. */
    public String scale(String workload, int replicas) {
        return command("scale", workload, "--replicas=" + replicas, "-n", namespace);
    }

    /** {@code kubectl set image deployment/NAME CONTAINER=IMAGE -n NS}. */
    public String setImage(String workload, String container, String image) {
        return command("set", "image", workload, container + "=" + image, "-n", namespace);
    }

    /** A command a plan already spelled out ({@code kubectl ...}), with this context named. */
    public String withContext(String kubectl) {
        if (context.isEmpty() || !kubectl.startsWith("kubectl ")) {
            return kubectl;
        }
        return "kubectl --context " + quote(context.get()) + kubectl.substring("kubectl".length());
    }

    private String command(String... args) {
        StringBuilder out = new StringBuilder("kubectl");
        context.ifPresent(c -> out.append(" --context ").append(quote(c)));
        for (String a : args) {
            out.append(' ').append(quote(a));
        }
        return out.toString();
    }

    /** The argument as a POSIX shell reads it back unchanged: bare when safe, else in single quotes. */
    public static String quote(String arg) {
        if (arg.isEmpty()) {
            return "''";
        }
        if (SAFE.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
