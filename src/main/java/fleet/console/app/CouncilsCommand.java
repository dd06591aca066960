package fleet.console.app;

import fleet.console.runbook.RunOptions;
import fleet.console.audit.AuditEntry;
import fleet.console.audit.AuditJournal;
import fleet.console.cluster.Cancellation;
import fleet.console.cluster.ClusterSession;
import fleet.console.councils.ActionReport;
import fleet.console.councils.CouncilConfiguration;
import fleet.console.councils.CouncilJobs;
import fleet.console.councils.CouncilRequest;
import fleet.console.councils.CouncilsProblem;
import fleet.console.councils.CouncilsSnapshot;
import fleet.console.councils.CouncilsTable;
import fleet.console.councils.Disagreement;
import fleet.console.councils.OrchestratorCouncils;
import fleet.console.councils.RoleOutcome;
import fleet.console.profile.FleetProfile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code councils list|init|delete}: the orchestrator's agent councils, asked of and changed on every
 * replica (each holds its own in memory), or through the runbook's Jobs with {@code --via-job}.
 */
@Command(name = "councils", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The orchestrator's agent councils on every replica: list, init, delete.",
                "Each orchestrator pod holds its councils in its own memory; the console asks each one through a",
                "port-forward of its own and shows where they disagree."},
        subcommands = {CouncilsCommand.ListCouncils.class, CouncilsCommand.Init.class, CouncilsCommand.Delete.class})
final class CouncilsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.CANNOT;
    }

    /** Where the audit journal is: the default file, or the one given. */
    static final class JournalOption {
        @Option(names = "--journal", paramLabel = "FILE",
                description = "Audit journal to append to (default: $XDG_STATE_HOME/fleet-console/audit.jsonl, else ~/.local/state/...).")
        Path file;

        AuditJournal journal() {
            return new AuditJournal(file != null ? file
                    : AuditJournal.defaultFile(System.getenv(), Path.of(System.getProperty("user.home"))));
        }
    }

    private static OrchestratorCouncils gateway(ClusterSession session, FleetProfile profile, Consumer<AuditEntry> journal) {
        return new OrchestratorCouncils(session.client(), session.contextName(), session.namespace(), profile, journal);
    }

    private static int cannot(PrintWriter err, CouncilsProblem p) {
        err.println("fleet-console: " + p.getMessage());
        err.println(p.whatToDo());
        err.flush();
        return Cli.CANNOT;
    }

    private static void printReport(PrintWriter out, ActionReport report) {
        report.summaryByReplica().forEach(line -> out.println("  " + line));
        report.outcomes().stream().filter(o -> !o.result().success()).forEach(o -> out.println("  \u2717 " + o.describe()));
    }

    private static void printAfter(PrintWriter out, OrchestratorCouncils councils) throws CouncilsProblem {
        CouncilsSnapshot now = councils.read();
        for (Disagreement d : now.disagreements()) {
            out.println("\u26A0 " + d.text());
        }
        now.replicas().stream().filter(r -> !r.answered())
                .forEach(r -> out.println("\u26A0 " + r.replica().pod() + " did not answer afterwards: " + r.problem().orElse("")));
    }

    /** Asks on the terminal; without one (scripts, CI) the answer is no and {@code --yes} is the way. */
    private static boolean confirmed(boolean yes, String what, String consequences, PrintWriter out, PrintWriter err) {
        if (yes) {
            return true;
        }
        Console console = System.console();
        if (console == null) {
            err.println("fleet-console: " + what + " needs a confirmation. " + consequences);
            err.println("Add --yes to confirm it without a terminal. Nothing was changed.");
            err.flush();
            return false;
        }
        out.println(what + ": " + consequences);
        out.flush();
        String answer = console.readLine("Type yes to go on: ");
        if (answer == null || !answer.trim().equalsIgnoreCase("yes")) {
            out.println("Not confirmed; nothing was changed.");
            return false;
        }
        return true;
    }

    private static int runJob(OrchestratorCouncils councils, CouncilJobs.Kind kind, PrintWriter out) throws Exception {
        out.println("Running Job " + kind.jobName() + " in " + councils.namespace() + " and following its log:");
        out.flush();
        CouncilJobs.JobRun run = new CouncilJobs(councils, CouncilJobs.DEFAULT_TIMEOUT).run(kind, line -> {
            out.println("  | " + line);
            out.flush();
        }, Cancellation.none());
        out.println("Job " + run.job() + ": " + run.condition());
        out.println(run.verdict());
        for (Disagreement d : run.after().disagreements()) {
            out.println("\u26A0 " + d.text());
        }
        out.flush();
        return run.ok() ? Cli.OK : Cli.UNHEALTHY;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Every orchestrator replica's status (GetStatus) and councils (role, council, agents, model, status),",
                    "with the disagreements between replicas and the configuration in force.",
                    "Exit 0 when every replica answers and holds every profile role alike, 1 otherwise, 2 when there is no",
                    "orchestrator to ask or the cluster cannot be reached."})
    static final class ListCouncils implements Callable<Integer> {
        @Option(names = "--agents", description = "Also list each council's agents (id, status, capabilities).")
        boolean agents;

        @Mixin
        TargetOptions target = new TargetOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return target.run("councils list", err, (session, profile) -> {
                // Listing changes nothing, so it writes nothing to the journal.
                OrchestratorCouncils councils = gateway(session, profile, entry -> { });
                CouncilsSnapshot snapshot;
                try {
                    snapshot = councils.read();
                } catch (CouncilsProblem p) {
                    return cannot(err, p);
                }
                CouncilConfiguration config = councils.configuration();
                out.println("Councils of " + session.label());
                out.print(CouncilsTable.render(snapshot, config, agents));
                out.flush();
                return snapshot.complete() ? Cli.OK : Cli.UNHEALTHY;
            });
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Create the councils on every replica, as the runbook's init job does: every profile role with the agents",
                    "per council and model in force. A council that exists is kept as it is (ALREADY_EXISTS counts as success).",
                    "--role creates one council; --agents and --model change what is created, and --reinit deletes and",
                    "creates again the councils that differ (a council keeps the agents and model it was created with).",
                    "--via-job runs Job orchestrator-init-councils instead and follows its log: it reaches one replica.",
                    "Exit 0 when done, 1 when a council could not be created, 2 when nothing could be done."})
    static final class Init implements Callable<Integer> {
        @Option(names = "--via-job", description = "Run the runbook's Job orchestrator-init-councils and follow its log.")
        boolean viaJob;

        @Option(names = "--role", paramLabel = "ROLE", description = "Create only this role's council.")
        String role;

        @Option(names = "--agents", paramLabel = "N", description = "Agents per council (default: the init Job's, else the profile's).")
        Integer agents;

        @Option(names = "--model", paramLabel = "MODEL", description = "The agents' model (default: VLLM_MODEL of ConfigMap service-urls).")
        String model;

        @Option(names = "--agent-type", paramLabel = "TYPE", description = "With --role: RAY_VLLM (default), VLLM or MOCK.")
        String agentType = CouncilRequest.DEFAULT_AGENT_TYPE;

        @Option(names = "--reinit", description = "Delete and create again every council, so that --agents/--model take effect.")
        boolean reinit;

        @Option(names = "--yes", description = "With --reinit: confirm deleting the councils without asking.")
        boolean yes;

        @Mixin
        JournalOption journal = new JournalOption();

        @Mixin
        TargetOptions target = new TargetOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (viaJob && (role != null || agents != null || model != null || reinit)) {
                err.println("fleet-console: --via-job runs the runbook's Job as it is (its own " + OrchestratorCouncils.AGENTS_ENV
                        + " and the cluster's model); drop --role, --agents, --model and --reinit, or drop --via-job.");
                return Cli.CANNOT;
            }
            if (reinit && role != null) {
                err.println("fleet-console: --reinit re-creates every council; for one role use 'councils delete --role "
                        + role + "' then 'councils init --role " + role + "'.");
                return Cli.CANNOT;
            }
            return target.run("councils init", err, (session, profile) -> {
                if (Cli.refused(session, RunbookCommand.permissionFor("councils-init", RunOptions.none().withViaJob(viaJob), session.namespace()),
                        "councils init", viaJob ? "via job" : "every replica", err)) {
                    return Cli.CANNOT;
                }
                OrchestratorCouncils councils = gateway(session, profile, journal.journal()::append);
                try {
                    if (viaJob) {
                        return runJob(councils, CouncilJobs.Kind.INIT, out);
                    }
                    CouncilConfiguration config = councils.configuration();
                    int n = agents != null ? agents : config.agentsPerCouncil();
                    String m = model != null ? model : config.model();
                    ActionReport report;
                    if (role != null) {
                        out.println("Creating council " + role + " (" + n + " agents, " + m + ", " + agentType + ") on every replica of "
                                + session.label() + ":");
                        report = councils.create(new CouncilRequest(role, n, m, agentType));
                    } else if (reinit) {
                        OrchestratorCouncils.ChangeAdvice advice = councils.adviseChange(n, m);
                        out.println(advice.explanation());
                        if (!advice.reinitNeeded()) {
                            return Cli.OK;
                        }
                        if (!confirmed(yes, "Re-initialising the councils", councils.deleteConsequences(councils.read(), Optional.empty()),
                                out, err)) {
                            return Cli.CANNOT;
                        }
                        out.println("Re-initialising every council with " + n + " agents and " + m + " on every replica of "
                                + session.label() + ":");
                        report = councils.reinitialise(n, m);
                    } else {
                        out.println("Initialising " + String.join(", ", profile.councils().roles()) + " (" + n + " agents, " + m
                                + ") on every replica of " + session.label() + ":");
                        report = councils.initialise(n, m);
                        if (agents != null || model != null) {
                            // Councils that existed kept what they had: say so, and how to change them.
                            OrchestratorCouncils.ChangeAdvice advice = councils.adviseChange(n, m);
                            if (advice.reinitNeeded()) {
                                out.println(advice.explanation() + " Add --reinit to do it.");
                            }
                        }
                    }
                    printReport(out, report);
                    printAfter(out, councils);
                    out.println(report.ok() ? "Done." : "Some councils could not be created; see above.");
                    out.flush();
                    return report.ok() ? Cli.OK : Cli.UNHEALTHY;
                } catch (CouncilsProblem p) {
                    return cannot(err, p);
                }
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Delete the councils on every replica, as the runbook's delete job does (a missing council is skipped).",
                    "Asks for confirmation on a terminal; --yes confirms without one. --role deletes one council.",
                    "--via-job runs Job orchestrator-delete-councils instead and follows its log: it reaches one replica.",
                    "Exit 0 when done, 1 when a council could not be deleted, 2 when nothing could be done or it was not confirmed."})
    static final class Delete implements Callable<Integer> {
        @Option(names = "--via-job", description = "Run the runbook's Job orchestrator-delete-councils and follow its log.")
        boolean viaJob;

        @Option(names = "--role", paramLabel = "ROLE", description = "Delete only this role's council.")
        String role;

        @Option(names = "--yes", description = "Confirm without asking.")
        boolean yes;

        @Mixin
        JournalOption journal = new JournalOption();

        @Mixin
        TargetOptions target = new TargetOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (viaJob && role != null) {
                err.println("fleet-console: the runbook's delete Job deletes every council; drop --role, or drop --via-job.");
                return Cli.CANNOT;
            }
            return target.run("councils delete", err, (session, profile) -> {
                if (Cli.refused(session, RunbookCommand.permissionFor("councils-delete", RunOptions.none().withViaJob(viaJob), session.namespace()),
                        "councils delete", viaJob ? "via job" : "every replica", err)) {
                    return Cli.CANNOT;
                }
                OrchestratorCouncils councils = gateway(session, profile, journal.journal()::append);
                try {
                    Optional<String> one = role == null ? Optional.empty() : Optional.of(councils.checkRole(role));
                    CouncilsSnapshot now = councils.read();
                    String consequences = councils.deleteConsequences(now, one);
                    if (viaJob) {
                        consequences = "Job " + CouncilJobs.Kind.DELETE.jobName() + " reaches one replica through the Service. "
                                + consequences;
                    }
                    if (!confirmed(yes, "Deleting " + one.map(r -> "council " + r).orElse("the councils") + " on " + session.label(),
                            consequences, out, err)) {
                        return Cli.CANNOT;
                    }
                    if (viaJob) {
                        return runJob(councils, CouncilJobs.Kind.DELETE, out);
                    }
                    out.println("Deleting " + one.map(r -> "council " + r).orElse(String.join(", ", profile.councils().roles()))
                            + " on every replica of " + session.label() + ":");
                    ActionReport report = one.isPresent() ? councils.delete(one.get()) : councils.deleteAll();
                    printReport(out, report);
                    printAfter(out, councils);
                    long skipped = report.count(RoleOutcome.Result.SKIPPED);
                    out.println(report.ok() ? "Done." + (skipped > 0 ? " " + skipped + " skipped: there was no such council." : "")
                            : "Some councils could not be deleted; see above.");
                    out.flush();
                    return report.ok() ? Cli.OK : Cli.UNHEALTHY;
                } catch (CouncilsProblem p) {
                    return cannot(err, p);
                }
            });
        }
    }
}
