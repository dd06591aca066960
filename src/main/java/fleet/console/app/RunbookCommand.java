package fleet.console.app;

import java.time.Instant;
import fleet.console.audit.AuditEntry;
import fleet.console.audit.AuditJournal;
import fleet.console.cluster.ClusterSession;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.profile.FleetProfile;
import fleet.console.runbook.RunContext;
import fleet.console.runbook.RunEvent;
import fleet.console.runbook.RunOptions;
import fleet.console.runbook.RunRecord;
import fleet.console.runbook.RunStore;
import fleet.console.runbook.Runbook;
import fleet.console.runbook.RunbookEngine;
import fleet.console.runbook.Runbooks;
import fleet.console.runbook.StepFailure;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The operations runbook's procedures, headless: {@code runbook list}, {@code runbook NAME [options]},
 * {@code runbook resume [RUN]}, {@code runbook abandon RUN}. Progress is printed step by step; exit 0 on
 * success and 1 on failure, like the runbook's own scripts, 2 when it cannot start.
 */
@Command(name = "runbook", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a procedure of the operations runbook, step by step (runbook list shows them).",
                "Exit 0 when it succeeds, 1 when a step fails (resume it with: runbook resume), 2 when it cannot start."})
final class RunbookCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "list, resume, abandon, or a runbook's name.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "RUN", description = "With resume or abandon: the run's id (default: the latest unfinished run).")
    String runId;

    @Option(names = "--service", paramLabel = "S", description = "The service a runbook works on (redeploy, rollback).")
    String service;

    @Option(names = "--dry-run", description = "Print every step with the commands it would run; change nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Do not ask before a runbook that destroys something (it still prints what).")
    boolean yes;

    @Option(names = "--skip-build", description = "Deploy the tag as it is in the registry; do not build and push.")
    boolean skipBuild;

    @Option(names = "--no-wait", description = "Do not wait for the rollout to finish.")
    boolean noWait;

    @Option(names = "--via-job", description = "Run the fleet's own Jobs (stream or council jobs) instead of calling the servers directly.")
    boolean viaJob;

    @Option(names = "--tag", paramLabel = "T", description = "The image tag to deploy (default: the profile's).")
    String tag;

    @Option(names = "--to-revision", paramLabel = "N", description = "With rollback: the revision to go back to (default: the previous one).")
    Long toRevision;

    @Option(names = "--manifests", paramLabel = "DIR", description = "With deploy-all: the folder of manifests (like the runbook's deploy/k8s/).")
    Path manifests;

    @Option(names = "--skip", paramLabel = "PARTS", split = ",",
            description = "Parts to leave out: streams, councils (deploy-all, system-reset), backup (system-reset).")
    java.util.Set<String> skip;

    @Option(names = "--source", paramLabel = "DIR", description = "With redeploy and rebuild-and-deploy: the fleet's source checkout the images "
            + "are built from (with Jib, from the profile's build specs).")
    Path source;

    @Option(names = "--to", paramLabel = "DIR", description = "With backup and system-reset: the folder the backup files go to "
            + "(default: a new folder under ~/.local/share/fleet-console/backups).")
    Path backupTo;

    @Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ("list".equals(name)) {
            for (Runbooks.Entry e : Runbooks.all()) {
                out.printf("%-20s %s%n", e.name(), e.summary());
            }
            out.flush();
            return Cli.OK;
        }
        boolean resume = "resume".equals(name);
        boolean abandon = "abandon".equals(name);
        RunStore store = new RunStore(RunStore.defaultDirectory(System.getenv(), Path.of(System.getProperty("user.home"))));
        Optional<RunRecord> saved = Optional.empty();
        if (resume || abandon) {
            saved = runId != null ? store.load(runId) : store.unfinished().stream().findFirst();
            if (saved.isEmpty()) {
                err.println("fleet-console: " + (runId != null ? "there is no saved run '" + runId + "'" : "there is no unfinished run")
                        + " in " + store.directory() + ".");
                return Cli.CANNOT;
            }
        } else if (Runbooks.named(name).isEmpty()) {
            err.println("fleet-console: there is no runbook '" + name + "'. Runbooks: "
                    + String.join(", ", Runbooks.all().stream().map(Runbooks.Entry::name).toList()) + " (runbook list says what each does).");
            return Cli.CANNOT;
        }
        Optional<RunRecord> run = saved;
        String runbookName = run.map(RunRecord::runbook).orElse(name);
        RunOptions options = run.map(r -> RunbookEngine.optionsFrom(r.options())).orElse(options());
        AuditJournal journal = Cli.journal();
        return target.run("runbook", err, (session, profile) -> {
            RunContext ctx = context(session, profile, options, journal);
            Runbook runbook;
            try {
                runbook = Runbooks.named(runbookName).orElseThrow().planner().plan(ctx);
            } catch (StepFailure e) {
                err.println("fleet-console: " + e.getMessage());
                err.println(e.whatToDo());
                return Cli.CANNOT;
            }
            RunbookEngine engine = new RunbookEngine(store, journal::append, Clock.systemUTC());
            if (abandon) {
                engine.abandon(runbook, ctx, run.get());
                out.println("Run " + run.get().id() + " abandoned; what it had stopped is running again.");
                out.flush();
                return Cli.OK;
            }
            out.println(runbook.title() + " on " + session.label());
            out.println(runbook.description());
            if (dryRun) {
                int i = 1;
                for (RunbookEngine.PlannedStep s : RunbookEngine.dryRun(runbook, ctx)) {
                    out.printf("%2d. %s%s%n", i++, s.title(), s.skipped().map(w -> "   (skipped: " + w + ")").orElse(""));
                    out.println("      why:  " + s.why());
                    s.commands().forEach(c -> out.println("      $ " + c));
                }
                out.println("Dry run: nothing was changed.");
                out.flush();
                return Cli.OK;
            }
            if (!fleet.console.runbook.RunbookPermissions.readsOnly(runbook.name()) && Cli.refused(session, permissionFor(runbook.name(), options, session.namespace()),
                    "runbook " + runbook.name(), options.service().orElse(""), err)) {
                err.println("Its dry run shows what it would do: fleet-console runbook " + runbook.name() + " --dry-run");
                return Cli.CANNOT;
            }
            if (runbook.destroys().isPresent() && !resume) {
                out.println("This destroys: " + runbook.destroys().get() + ".");
                if (!session.sandbox() && isProduction(session.contextName())) {
                    // Asked twice on production: the name of what it destroys, then the context's own name.
                    out.println("Context " + session.contextName() + " is marked as PRODUCTION in your settings.");
                    if (!production || (!yes && !confirm(out, runbook)) || (!yes && !confirmContext(out, session.contextName()))) {
                        journal.append(new AuditEntry(Instant.now(), session.contextName(), session.namespace(),
                                "runbook " + runbook.name(), options.service().orElse(""), "refused: production not confirmed"));
                        err.println("fleet-console: " + runbook.name() + " destroys data on production context " + session.contextName()
                                + "; add --production to say you mean it" + (yes ? "" : " (and answer both questions)")
                                + ". Nothing was changed.");
                        return Cli.CANNOT;
                    }
                } else if (!yes && !confirm(out, runbook)) {
                    journal.append(new AuditEntry(Instant.now(), session.contextName(), session.namespace(),
                            "runbook " + runbook.name(), options.service().orElse(""), "refused: not confirmed"));
                    err.println("fleet-console: not confirmed; nothing was changed. Add --yes to run it without asking.");
                    return Cli.CANNOT;
                }
            }
            int total = runbook.steps().size();
            RunRecord result = resume ? engine.resume(runbook, ctx, run.get(), e -> print(out, e, total))
                    : engine.run(runbook, ctx, e -> print(out, e, total));
            if (result.status() != RunRecord.Status.SUCCEEDED) {
                out.println("Resume it with: fleet-console runbook resume " + result.id() + "   (or give it up: runbook abandon " + result.id() + ")");
            }
            out.flush();
            return result.status() == RunRecord.Status.SUCCEEDED ? Cli.OK : Cli.UNHEALTHY;
        });
    }

    /** The permission a changing runbook needs first (one mapping for the command line and the wizard). */
    static fleet.console.cluster.Access.Permission permissionFor(String runbook, RunOptions options, String namespace) {
        return fleet.console.runbook.RunbookPermissions.permissionFor(runbook, options, namespace);
    }

    private RunOptions options() {
        RunOptions o = RunOptions.none().withSkipBuild(skipBuild).withNoWait(noWait).withViaJob(viaJob).withYes(yes);
        if (service != null) {
            o = o.withService(service);
        }
        if (tag != null) {
            o = o.withTag(tag);
        }
        if (toRevision != null) {
            o = o.withToRevision(toRevision);
        }
        if (manifests != null) {
            o = o.withManifests(manifests);
        }
        if (skip != null) {
            o = o.withSkip(skip);
        }
        if (source != null) {
            o = o.withSource(source.toAbsolutePath());
        }
        if (backupTo != null) {
            o = o.withBackupTo(backupTo.toAbsolutePath());
        }
        return o;
    }

    static RunContext context(ClusterSession session, FleetProfile profile, RunOptions options, AuditJournal journal) {
        return new RunContext(session.client(), session.contextName(), session.namespace(), profile, options,
                () -> NatsLink.open(NatsTarget.InCluster.fleet(session.namespace()), session.client(), Duration.ofSeconds(5)),
                journal::append, Clock.systemUTC())
                .withImages(() -> ImageCommand.standardBuilder(profile, session.contextName(), session.namespace(), null, null,
                        journal.file()));
    }

    /** Asks on the terminal; without one (a script), only --yes says yes. */
    @Option(names = "--production", description = "Say you mean it: needed for a destructive runbook on a context marked as production.")
    boolean production;

    /** Whether the operator marked this context as production (settings: contexts.production). */
    static boolean isProduction(String context) {
        java.nio.file.Path file = Settings.defaultFile(System.getenv(), Path.of(System.getProperty("user.home")));
        return Settings.load(file).settings().productionContexts().contains(context);
    }

    private static boolean confirmContext(PrintWriter out, String context) {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        out.print("Type the production context's name '" + context + "' to go on: ");
        out.flush();
        String answer = console.readLine();
        return context.equals(answer == null ? "" : answer.trim());
    }

    private static boolean confirm(PrintWriter out, Runbook runbook) {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        String expected = runbook.confirmName().orElse("yes");
        out.print("Type " + (runbook.confirmName().isPresent() ? "the name '" + expected + "'" : "yes") + " to go on: ");
        out.flush();
        String answer = console.readLine();
        return expected.equals(answer == null ? "" : answer.trim());
    }

    private static void print(PrintWriter out, RunEvent e, int total) {
        if (e instanceof RunEvent.Started s) {
            out.printf("[%d/%d] %s ...%n", s.index() + 1, total, s.title());
        } else if (e instanceof RunEvent.Succeeded s) {
            out.printf("      ok (%.1f s)%n", s.took().toMillis() / 1000.0);
        } else if (e instanceof RunEvent.Skipped s) {
            out.println("      skipped: " + s.why());
        } else if (e instanceof RunEvent.Failed f) {
            out.println("      FAILED: " + f.reason());
            out.println("      what to do: " + f.whatToDo());
        } else if (e instanceof RunEvent.Cancelled) {
            out.println("      cancelled");
        } else if (e instanceof RunEvent.Progress p) {
            out.println("      " + p.message());
        } else if (e instanceof RunEvent.LogLine l) {
            out.println("      | " + l.line());
        } else if (e instanceof RunEvent.Finished f) {
            out.println(f.summary());
        }
        out.flush();
    }

    static List<String> names() {
        return Runbooks.all().stream().map(Runbooks.Entry::name).toList();
    }
}
