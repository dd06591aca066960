package fleet.console.app;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.ConnectionProblem;
import fleet.console.cluster.FleetHealth;
import fleet.console.cluster.KubeconfigFile;
import fleet.console.cluster.WorkloadHealth;
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

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        subcommands = {Cli.Health.class, Cli.SandboxCommand.class},
        footer = {"", "Exit codes: 0 healthy / done, 1 unhealthy / failed, 2 could not run (bad input, unreachable cluster)."})
public final class Cli implements Callable<Integer> {

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
        return ConsoleApp.launch(new ConsoleStart(Optional.ofNullable(where.kubeconfig), Optional.ofNullable(where.context),
                Optional.ofNullable(where.namespace), Optional.ofNullable(screenshot), parsed, Optional.ofNullable(fleet.profile)));
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
                description = "Inject a fault into the sandbox once the fleet is up (repeatable). Kinds: crash, bad-image, missing-configmap, nats-down, unschedulable, double-bind.")
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
                    "Exit 0 when every workload is healthy, 1 otherwise, 2 when the cluster cannot be checked."})
    static final class Health implements Callable<Integer> {
        @Mixin
        ContextOptions where = new ContextOptions();

        @Mixin
        FleetOptions fleet = new FleetOptions();

        @Option(names = "--sandbox", description = "Use a fresh embedded sandbox instead of a cluster.")
        boolean sandbox;

        @Option(names = "--empty", description = "With --sandbox: start with no fleet deployed.")
        boolean empty;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
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
                    try (ClusterSession session = ClusterConnector.withDefaultTimeout()
                            .connect(embedded.clientConfig(), Sandbox.CONTEXT_NAME, embedded.namespace(), true)) {
                        return print(out, session, profile);
                    } catch (ConnectionProblem e) {
                        err.println("fleet-console: " + e.describe());
                        return CANNOT;
                    }
                }
            }
            Path file = where.kubeconfig != null ? where.kubeconfig
                    : KubeconfigFile.defaultPath(System.getenv(), Path.of(System.getProperty("user.home")));
            try (ClusterSession session = ClusterConnector.withDefaultTimeout()
                    .connect(KubeconfigFile.read(file), where.context, where.namespace, profile.namespace())) {
                return print(out, session, profile);
            } catch (ConnectionProblem e) {
                err.println("fleet-console: " + e.describe());
                if (e.kind() == ConnectionProblem.Kind.KUBECONFIG_MISSING) {
                    err.println("To try the console without a cluster: fleet-console health --sandbox");
                }
                return CANNOT;
            }
        }

        private static int print(PrintWriter out, ClusterSession session, FleetProfile profile) {
            List<WorkloadHealth> rows = FleetHealth.read(session.client(), session.namespace(), profile);
            out.println("Fleet health of " + session.label() + " (" + session.serverVersion() + ")");
            out.print(FleetHealth.render(rows));
            long bad = rows.stream().filter(r -> !r.healthy()).count();
            out.println(bad == 0 ? "All " + rows.size() + " workloads healthy."
                    : bad + " of " + rows.size() + " workloads need attention.");
            out.flush();
            return bad == 0 ? OK : UNHEALTHY;
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
