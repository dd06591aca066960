package fleet.console.app;

import fleet.console.sandbox.SandboxUser;
import fleet.console.audit.AuditJournal;
import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.ConnectionProblem;
import fleet.console.cluster.FleetHealth;
import fleet.console.cluster.KubeconfigFile;
import fleet.console.cluster.WorkloadHealth;
import fleet.console.cluster.logs.LogLine;
import fleet.console.cluster.logs.LogSource;
import fleet.console.cluster.logs.LogStream;
import fleet.console.cluster.logs.LogStreamStatus;
import fleet.console.cluster.pods.PodTable;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.diagnosis.DiagnosisReport;
import fleet.console.diagnosis.DiagnosisService;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.ProfileException;
import fleet.console.profile.ProfileLocator;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The console's command line, beside the GUI in the same jar: with no command it opens the window;
 * commands run headless. Exit codes: 0 all well, 1 the fleet is unhealthy (or a runbook failed), 2 the
 * console could not do what was asked (bad input, cluster unreachable), and it says why.
 */
@Command(name = "fleet-console", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Operations console for the SWE AI Fleet.",
                "Without a command, opens the console window (on the embedded sandbox when there is no cluster)."},
        subcommands = {Cli.Health.class, Cli.PodsCommand.class, Cli.LogsCommand.class, RunbookCommand.class, RolloutCommand.class, ScaleCommand.class, NatsCommand.class, ImageCommand.class, CouncilsCommand.class, Cli.SandboxCommand.class},
        footer = {"", "Exit codes: 0 healthy / done, 1 unhealthy / failed, 2 could not run (bad input, unreachable cluster)."})
public final class Cli implements Callable<Integer> {

    /**
     * Says and journals why this session may not do something (read-only mode, or RBAC as the API server
     * answers it), before anything is tried; false when it may.
     */
    static boolean refused(fleet.console.cluster.ClusterSession session, fleet.console.cluster.Access.Permission permission,
                           String action, String target, PrintWriter err) {
        Optional<String> why = session.refusal(permission);
        if (why.isEmpty()) {
            return false;
        }
        journal().append(new fleet.console.audit.AuditEntry(java.time.Instant.now(), session.contextName(), session.namespace(),
                action, target, "refused: " + why.get()));
        err.println("fleet-console: " + why.get());
        return true;
    }

    /** The same for read-only mode alone (NATS, registries: no RBAC to ask). */
    static boolean refusedReadOnly(boolean readOnly, String action, PrintWriter err) {
        if (!readOnly) {
            return false;
        }
        err.println("fleet-console: read-only mode is on (--read-only): " + action + " would change something; nothing was changed.");
        return true;
    }

    /** The user's audit journal ({@code $XDG_STATE_HOME/fleet-console/audit.jsonl}). */
    static AuditJournal journal() {
        return new AuditJournal(AuditJournal.defaultFile(System.getenv(), java.nio.file.Path.of(System.getProperty("user.home"))));
    }

    public static final int OK = 0;
    public static final int UNHEALTHY = 1;
    public static final int CANNOT = 2;
    static final Duration FLEET_WAIT = Duration.ofSeconds(90);

    @Mixin
    ContextOptions where = new ContextOptions();

    @Mixin
    FleetOptions fleet = new FleetOptions();

    @Option(names = "--screenshot", paramLabel = "PNG", description = "Open on the sandbox, write a picture of the window, exit.")
    Path screenshot;

    @Option(names = "--check-start", description = "Open the window on the sandbox, print 'ready' once it shows the fleet, "
            + "and exit: 0 ready, 1 not (the installers' smoke test; headless when there is no display).")
    boolean checkStart;

    @Option(names = "--read-only", description = "Open the window in read-only mode: every action that would change the cluster "
            + "or NATS is disabled, and the client itself sends no change (switch it off in Console > Read-only mode).")
    boolean readOnly;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line; the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    /** The parsed-and-ready command line, with the console's error handling. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Cli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("fleet-console: " + e.getMessage());
            return CANNOT;
        });
        cli.setParameterExceptionHandler((e, args2) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("fleet-console: " + e.getMessage());
            c.getErr().println("See 'fleet-console " + (c.getCommandName().equals("fleet-console") ? "" : c.getCommandName() + " ")
                    + "--help'.");
            return CANNOT;
        });
        return cli;
    }

    @Override
    public Integer call() {
        List<Fault> parsed = parseFaults(fleet.faults, spec.commandLine().getErr());
        if (parsed == null) {
            return CANNOT;
        }
        if (screenshot != null && checkStart) {
            spec.commandLine().getErr().println("fleet-console: --screenshot and --check-start are two different runs; choose one.");
            return CANNOT;
        }
        return ConsoleApp.launch(new ConsoleStart(Optional.ofNullable(where.kubeconfig), Optional.ofNullable(where.context),
                Optional.ofNullable(where.namespace), Optional.ofNullable(screenshot), parsed, Optional.ofNullable(fleet.profile),
                checkStart, readOnly), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Parses --fault values, saying which one is wrong and what to write; null when one is. */
    static List<Fault> parseFaults(List<String> texts, PrintWriter err) {
        List<Fault> parsed = new ArrayList<>();
        for (String t : texts) {
            try {
                parsed.add(Fault.parse(t));
            } catch (IllegalArgumentException e) {
                err.println("fleet-console: " + e.getMessage());
                return null;
            }
        }
        return parsed;
    }

    /** What a command does once connected to its target. */
    interface TargetWork {
        int run(ClusterSession session, FleetProfile profile) throws Exception;
    }

    /**
     * Connects to the target every cluster command shares: a fresh embedded sandbox ({@code --sandbox},
     * faults injected once its fleet is up) or a kubeconfig context; runs the work and closes what it
     * opened. Bad input and unreachable clusters are said on err and give {@link #CANNOT}.
     */
    static int onTarget(String command, ContextOptions where, FleetOptions fleet, boolean sandbox, boolean empty, PrintWriter err,
                        TargetWork work) throws Exception {
        return onTarget(command, where, fleet, sandbox, empty, false, null, err, work);
    }

    /**
     * @param readOnly   the session's client can change nothing, and commands that would are refused first
     * @param userName   with --sandbox: which of its users the console is (admin, viewer); null: admin
     */
    static int onTarget(String command, ContextOptions where, FleetOptions fleet, boolean sandbox, boolean empty, boolean readOnly,
                        String userName, PrintWriter err, TargetWork work) throws Exception {
        SandboxUser user = SandboxUser.ADMIN;
        if (userName != null) {
            if (!sandbox) {
                err.println("fleet-console: --user only applies to the embedded sandbox (a cluster's user comes from the kubeconfig); add --sandbox.");
                return CANNOT;
            }
            Optional<SandboxUser> named = SandboxUser.byCliName(userName);
            if (named.isEmpty()) {
                err.println("fleet-console: no sandbox user '" + userName + "'; use --user admin or --user viewer.");
                return CANNOT;
            }
            user = named.get();
        }
        FleetProfile profile = fleet.loadProfileOrSay(err);
        List<Fault> faults = parseFaults(fleet.faults, err);
        if (profile == null || faults == null) {
            return CANNOT;
        }
        if (!sandbox && (!faults.isEmpty() || empty)) {
            err.println("fleet-console: --fault and --empty only apply to the embedded sandbox; add --sandbox.");
            return CANNOT;
        }
        if (sandbox) {
            try (Sandbox embedded = Sandbox.start(profile, SandboxOptions.defaults().withEmpty(empty))) {
                boolean settled = faults.isEmpty() ? empty || embedded.awaitFleetReady(FLEET_WAIT)
                        : embedded.injectOnceReady(faults, FLEET_WAIT);
                if (!settled) {
                    err.println("fleet-console: the sandbox had not settled after " + FLEET_WAIT.toSeconds()
                            + " s; showing it as it is.");
                }
                String namespace = where.namespace != null ? where.namespace : embedded.namespace();
                try (ClusterSession session = ClusterConnector.withDefaultTimeout().readOnly(readOnly)
                        .connect(embedded.clientConfig(user), Sandbox.CONTEXT_NAME, namespace, true)) {
                    return work.run(session, profile);
                } catch (ConnectionProblem e) {
                    err.println("fleet-console: " + e.describe());
                    return CANNOT;
                }
            }
        }
        Path file = where.kubeconfig != null ? where.kubeconfig
                : KubeconfigFile.defaultPath(System.getenv(), Path.of(System.getProperty("user.home")));
        try (ClusterSession session = ClusterConnector.withDefaultTimeout().readOnly(readOnly)
                .connect(KubeconfigFile.read(file), where.context, where.namespace, profile.namespace())) {
            return work.run(session, profile);
        } catch (ConnectionProblem e) {
            err.println("fleet-console: " + e.describe());
            if (e.kind() == ConnectionProblem.Kind.KUBECONFIG_MISSING) {
                err.println("To try the console without a cluster: fleet-console " + command + " --sandbox");
            }
            return CANNOT;
        }
    }

    /** Which cluster: a kubeconfig and a context in it, and the namespace. */
    static final class ContextOptions {
        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config).")
        Path kubeconfig;

        @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: its current context).")
        String context;

        @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace (default: the context's, else the profile's).")
        String namespace;
    }

    /** Which fleet: the profile describing it, and faults for the sandbox. */
    static final class FleetOptions {
        @Option(names = "--profile", paramLabel = "FILE", description = "Fleet profile (default: ~/.config/fleet-console/profile.yaml if present, else built in).")
        Path profile;

        @Option(names = "--fault", paramLabel = "KIND=TARGET",
                description = "Inject a fault into the sandbox once the fleet is up (repeatable). Kinds: crash, bad-image, missing-configmap, nats-down, unschedulable, double-bind, oom, import-error, wrong-tag, pvc-unbound, taint, node-selector, readiness, status-unknown, job-backoff, missing-durable, wrong-filter, missing-stream, stalled-consumer.")
        List<String> faults = new ArrayList<>();

        FleetProfile loadProfile() throws ProfileException {
            return new ProfileLocator(System.getenv(), Path.of(System.getProperty("user.home")), java.nio.file.Files::exists)
                    .choose(Optional.ofNullable(profile)).load();
        }

        /** The profile, or null after saying on err what is wrong with it. */
        FleetProfile loadProfileOrSay(PrintWriter err) {
            try {
                return loadProfile();
            } catch (ProfileException e) {
                err.println("fleet-console: the fleet profile is not valid:");
                err.println(e.getMessage());
                return null;
            }
        }
    }

    @Command(name = "health", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Print the fleet's health table, one row per workload, like the runbook's verify-health.",
                    "With --explain, then what is wrong: each cause with its evidence and its fix, most urgent first.",
                    "Exit 0 when every workload is healthy (and nothing is diagnosed), 1 otherwise, 2 when the cluster cannot be checked."})
    static final class Health implements Callable<Integer> {
        @Option(names = "--explain", description = "After the table, diagnose: causes, evidence (with the command to see it) and fixes.")
        boolean explain;

        @Mixin
        TargetOptions target = new TargetOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            return target.run("health", spec.commandLine().getErr(),
                    (session, profile) -> print(out, session, profile, explain));
        }

        private static int print(PrintWriter out, ClusterSession session, FleetProfile profile, boolean explain) {
            List<WorkloadHealth> rows = FleetHealth.read(session.client(), session.namespace(), profile);
            out.println("Fleet health of " + session.label() + " (" + session.serverVersion() + ")");
            out.print(FleetHealth.render(rows));
            long bad = rows.stream().filter(r -> !r.healthy()).count();
            out.println(bad == 0 ? "All " + rows.size() + " workloads healthy."
                    : bad + " of " + rows.size() + " workloads need attention.");
            if (!explain) {
                out.flush();
                return bad == 0 ? OK : UNHEALTHY;
            }
            // Diagnosing only reads; the journal is for test publishes, which explain does not make.
            try (DiagnosisService diagnosis = DiagnosisService.forCluster(session.client(), session.contextName(), session.namespace(),
                    profile, Runnable::run, entry -> { })) {
                DiagnosisReport report = diagnosis.namespaceNow();
                out.println();
                out.print(report.render());
                out.flush();
                return bad == 0 && report.isEmpty() ? OK : UNHEALTHY;
            }
        }
    }

    @Command(name = "pods", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Print the namespace's pods like kubectl get pods -o wide, with each pod's WORKLOAD (through owner",
                    "references) and the REASON behind its status; problem pods first.",
                    "Exit 0 when no pod has a problem, 1 otherwise, 2 when the cluster cannot be read."})
    static final class PodsCommand implements Callable<Integer> {
        @Option(names = "--problems", description = "Only the pods that need attention.")
        boolean problemsOnly;

        @Mixin
        TargetOptions target = new TargetOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            return target.run("pods", spec.commandLine().getErr(), (session, profile) -> {
                List<PodTable.Line> lines = PodTable.read(session.client(), session.namespace());
                if (lines.isEmpty()) {
                    out.println("No pods in namespace " + session.namespace() + " on context " + session.contextName()
                            + ". Deploy the fleet there (the initial deployment runbook), or choose another namespace with -n.");
                    out.flush();
                    return OK;
                }
                long problems = lines.stream().filter(l -> l.row().problem()).count();
                List<PodTable.Line> shown = problemsOnly ? lines.stream().filter(l -> l.row().problem()).toList() : lines;
                if (!shown.isEmpty()) {
                    out.print(PodTable.render(shown, java.time.Instant.now()));
                }
                out.println(problems == 0 ? "All " + lines.size() + " pods are fine."
                        : problems + " of " + lines.size() + " pods need attention.");
                out.flush();
                return problems == 0 ? OK : UNHEALTHY;
            });
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Print a pod's log like kubectl logs, or all pods of a workload (deployment/NAME, or --workload NAME)",
                    "interleaved by time with a [pod/container] prefix. A follow that the API server or the network cuts is",
                    "resumed from the last line, with no line lost or repeated; a restarted container is followed into its new run.",
                    "Exit 0 when read, 1 when a log could not be read (no previous run...), 2 when the pod or cluster cannot be found."})
    static final class LogsCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "POD|KIND/NAME", description = "A pod, or a workload as kubectl names it (deployment/orchestrator).")
        String target;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until stopped (Ctrl+C) or the pods are gone.")
        boolean follow;

        @Option(names = {"-p", "--previous"}, description = "The previous run of the container (after a crash).")
        boolean previous;

        @Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "The container (default: every container of the pod).")
        String container;

        @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines of each container to start with (default: all).")
        Integer tail;

        @Option(names = "--workload", description = "Take the name as a workload's (Deployment, StatefulSet, DaemonSet or Job) and read all its pods.")
        boolean workload;

        @Option(names = "--timestamps", description = "Print each line's timestamp first.")
        boolean timestamps;

        @Mixin
        ContextOptions where = new ContextOptions();

        @Mixin
        FleetOptions fleet = new FleetOptions();

        @Option(names = "--sandbox", description = "Use a fresh embedded sandbox instead of a cluster.")
        boolean sandbox;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            if (tail != null && tail < 0) {
                err.println("fleet-console: --tail must be 0 or more (the number of last lines to show), not " + tail + ".");
                return CANNOT;
            }
            if (previous && follow) {
                err.println("fleet-console: --previous reads a run that has ended, which cannot be followed; drop --follow.");
                return CANNOT;
            }
            return onTarget("logs", where, fleet, sandbox, false, err, (session, profile) -> read(session, err));
        }

        private int read(ClusterSession session, PrintWriter err) throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            KubernetesClient client = session.client();
            String namespace = session.namespace();
            OptionalInt tailLines = tail == null ? OptionalInt.empty() : OptionalInt.of(tail);
            Optional<WorkloadRef> workloadRef;
            try {
                workloadRef = workloadOf(client, namespace);
            } catch (IllegalArgumentException e) {
                err.println("fleet-console: " + e.getMessage());
                return CANNOT;
            }
            LogSource source;
            boolean prefix;
            if (workloadRef.isPresent()) {
                try {
                    source = LogSource.ofWorkload(client, namespace, workloadRef.get(), follow, tailLines);
                } catch (IllegalArgumentException e) {
                    err.println("fleet-console: " + e.getMessage());
                    return CANNOT;
                }
                source = new LogSource(namespace, source.pods(), Optional.ofNullable(container), previous, follow, tailLines);
                prefix = true;
            } else {
                Pod pod = client.pods().inNamespace(namespace).withName(target).get();
                if (pod == null) {
                    err.println("fleet-console: " + noSuchPod(client, namespace, target));
                    return CANNOT;
                }
                source = LogSource.ofPod(namespace, target, Optional.ofNullable(container), previous, follow, tailLines);
                prefix = container == null && pod.getSpec().getContainers().size() > 1;
            }
            boolean[] failed = {false};
            LogStream.Sink sink = new LogStream.Sink() {
                @Override
                public void lines(List<LogLine> batch) {
                    StringBuilder text = new StringBuilder();
                    for (LogLine l : batch) {
                        if (prefix) {
                            text.append('[').append(l.pod()).append('/').append(l.container()).append("] ");
                        }
                        if (timestamps) {
                            text.append(l.time()).append(' ');
                        }
                        text.append(l.text()).append('\n');
                    }
                    out.print(text);
                    out.flush();
                }

                @Override
                public void status(LogStreamStatus status) {
                    if (LogStreamStatus.ERROR.equals(status.kind())) {
                        failed[0] = true;
                    }
                    boolean worthSaying = status.problem()
                            || follow && !status.message().startsWith("Following ") && !LogStreamStatus.ENDED.equals(status.kind())
                            || follow && LogStreamStatus.ENDED.equals(status.kind()) && !status.message().startsWith("End of");
                    if (worthSaying) {
                        err.println("fleet-console: " + (prefix ? "[" + status.pod() + "] " : "") + status.message());
                        err.flush();
                    }
                }
            };
            try (LogStream stream = LogStream.open(client, source, sink)) {
                stream.finished().toCompletableFuture().get();
                if (stream.dropped() > 0) {
                    err.println("fleet-console: " + stream.dropped() + " lines could not be printed.");
                    return UNHEALTHY;
                }
            }
            out.flush();
            return failed[0] ? UNHEALTHY : OK;
        }

        /** The workload named by KIND/NAME or --workload NAME; empty when the target is a pod. */
        private Optional<WorkloadRef> workloadOf(KubernetesClient client, String namespace) {
            int slash = target.indexOf('/');
            if (slash > 0) {
                String kind = switch (target.substring(0, slash).toLowerCase(java.util.Locale.ROOT)) {
                    case "deployment", "deployments", "deploy" -> "Deployment";
                    case "statefulset", "statefulsets", "sts" -> "StatefulSet";
                    case "daemonset", "daemonsets", "ds" -> "DaemonSet";
                    case "replicaset", "replicasets", "rs" -> "ReplicaSet";
                    case "job", "jobs" -> "Job";
                    case "pod", "pods", "po" -> "Pod";
                    default -> throw new IllegalArgumentException("Unknown kind '" + target.substring(0, slash)
                            + "'. Use deployment/NAME, statefulset/NAME, daemonset/NAME, job/NAME or a pod's name.");
                };
                String name = target.substring(slash + 1);
                if ("Pod".equals(kind)) {
                    target = name;
                    return Optional.empty();
                }
                return Optional.of(new WorkloadRef(kind, name));
            }
            if (!workload) {
                return Optional.empty();
            }
            return workloadNamed(client, namespace, target).or(() -> {
                throw new IllegalArgumentException("No Deployment, StatefulSet, DaemonSet or Job '" + target + "' in namespace "
                        + namespace + ". Its workloads: " + String.join(", ", workloadNames(client, namespace)) + ".");
            });
        }

        private static Optional<WorkloadRef> workloadNamed(KubernetesClient client, String namespace, String name) {
            if (client.apps().deployments().inNamespace(namespace).withName(name).get() != null) {
                return Optional.of(new WorkloadRef("Deployment", name));
            }
            if (client.apps().statefulSets().inNamespace(namespace).withName(name).get() != null) {
                return Optional.of(new WorkloadRef("StatefulSet", name));
            }
            if (client.apps().daemonSets().inNamespace(namespace).withName(name).get() != null) {
                return Optional.of(new WorkloadRef("DaemonSet", name));
            }
            if (client.batch().v1().jobs().inNamespace(namespace).withName(name).get() != null) {
                return Optional.of(new WorkloadRef("Job", name));
            }
            return Optional.empty();
        }

        private static List<String> workloadNames(KubernetesClient client, String namespace) {
            List<String> names = new ArrayList<>();
            client.apps().deployments().inNamespace(namespace).list().getItems().forEach(d -> names.add("deployment/" + d.getMetadata().getName()));
            client.apps().statefulSets().inNamespace(namespace).list().getItems().forEach(d -> names.add("statefulset/" + d.getMetadata().getName()));
            return names;
        }

        /** What to say for a pod that is not there: the workload it names, the closest pods, or the pods there are. */
        static String noSuchPod(KubernetesClient client, String namespace, String name) {
            List<String> pods = client.pods().inNamespace(namespace).list().getItems().stream()
                    .map(p -> p.getMetadata().getName()).sorted().toList();
            StringBuilder out = new StringBuilder("No pod '" + name + "' in namespace " + namespace + ".");
            Optional<WorkloadRef> named = workloadNamed(client, namespace, name);
            if (named.isPresent()) {
                out.append(" '").append(name).append("' is a ").append(named.get().kind()).append(": fleet-console logs ")
                        .append(named.get().kubectlName()).append(" reads all its pods.");
            }
            List<String> close = closestPods(name, pods);
            if (!close.isEmpty()) {
                out.append(" Did you mean ").append(String.join(" or ", close)).append('?');
            } else if (named.isEmpty()) {
                out.append(pods.isEmpty() ? " There are no pods there." : " The pods there: " + String.join(", ", pods) + ".");
            }
            return out.toString();
        }

        /** Pods whose name starts with what was typed (a workload's name), else those within a few typos of it. */
        static List<String> closestPods(String typed, List<String> pods) {
            List<String> prefixed = pods.stream().filter(p -> p.startsWith(typed + "-")).limit(3).toList();
            if (!prefixed.isEmpty()) {
                return prefixed;
            }
            int best = Integer.MAX_VALUE;
            List<String> closest = new ArrayList<>();
            for (String p : pods) {
                // A pod's generated suffixes are not what was mistyped: compare with each of its dash-prefixes
                // (orchestrator, orchestrator-7d9f8, the whole name) and keep the nearest.
                int d = editDistance(typed, p);
                for (int dash = p.indexOf('-'); dash > 0; dash = p.indexOf('-', dash + 1)) {
                    d = Math.min(d, editDistance(typed, p.substring(0, dash)));
                }
                if (d < best) {
                    best = d;
                    closest.clear();
                }
                if (d == best && closest.size() < 3) {
                    closest.add(p);
                }
            }
            return best <= Math.max(2, typed.length() / 3) ? closest : List.of();
        }

        private static int editDistance(String a, String b) {
            int[] prev = new int[b.length() + 1];
            int[] cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    cur[j] = Math.min(prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1), Math.min(prev[j] + 1, cur[j - 1] + 1));
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
        }
    }

    @Command(name = "sandbox", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run the embedded sandbox in the foreground (Ctrl+C stops it) and write its kubeconfig.",
                    "The GUI and other console commands, in other processes, then connect to it like to any cluster."})
    static final class SandboxCommand implements Callable<Integer> {
        @Option(names = "--kubeconfig-out", paramLabel = "FILE", description = "Where to write the sandbox's kubeconfig (default: ${DEFAULT-VALUE}).")
        Path kubeconfigOut = defaultKubeconfigOut();

        @Option(names = "--port", paramLabel = "PORT", description = "API server port on 127.0.0.1 (default: a free one).")
        int port;

        @Mixin
        FleetOptions fleet = new FleetOptions();

        @Option(names = "--empty", description = "Start with no fleet deployed (for the initial-deployment runbook).")
        boolean empty;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private final CountDownLatch stopped = new CountDownLatch(1);
        private Sandbox running;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            FleetProfile profile = fleet.loadProfileOrSay(err);
            List<Fault> parsed = parseFaults(fleet.faults, err);
            if (profile == null || parsed == null) {
                return CANNOT;
            }
            long started = System.nanoTime();
            Sandbox sandbox = Sandbox.start(profile, SandboxOptions.defaults().withEmpty(empty).withApiPort(port));
            Thread hook = new Thread(this::stop, "sandbox-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            running = sandbox;
            sandbox.writeKubeconfig(kubeconfigOut);
            out.printf("Sandbox API server: %s (started in %d ms)%n", sandbox.apiUrl(), (System.nanoTime() - started) / 1_000_000);
            out.printf("Kubeconfig: %s (context %s, namespace %s)%n", kubeconfigOut, Sandbox.CONTEXT_NAME, sandbox.namespace());
            out.println("NATS: " + sandbox.natsUrl().map(u -> "nats-server at " + u + ", reachable through port-forward to nats-0")
                    .orElse(sandbox.natsUnavailableReason().orElse("not running")));
            out.println("Registry: " + sandbox.registryHost().orElse("none (install docker-registry for image pushes)"));
            out.flush();
            if (!empty) {
                boolean ready = parsed.isEmpty() ? sandbox.awaitFleetReady(FLEET_WAIT) : sandbox.injectOnceReady(parsed, FLEET_WAIT);
                out.println(ready ? "Fleet ready" + (parsed.isEmpty() ? "" : ", faults injected: " + parsed) + "."
                        : "Fleet still starting after " + FLEET_WAIT.toSeconds() + " s.");
            }
            out.println("Try: fleet-console health --kubeconfig " + kubeconfigOut + "    Stop with Ctrl+C.");
            out.flush();
            stopped.await();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is what stopped us.
            }
            return OK;
        }

        /** Stops the sandbox (Ctrl+C does it through the shutdown hook). */
        synchronized void stop() {
            if (running != null) {
                running.close();
                running = null;
            }
            stopped.countDown();
        }

        static Path defaultKubeconfigOut() {
            String xdg = System.getenv("XDG_CONFIG_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
            return base.resolve("fleet-console").resolve("sandbox.kubeconfig");
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Versions.current().describe()};
        }
    }
}
