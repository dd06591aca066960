package fleet.console.runbook;

import fleet.console.councils.ActionReport;
import fleet.console.councils.Council;
import fleet.console.councils.CouncilJobs;
import fleet.console.councils.CouncilsProblem;
import fleet.console.councils.CouncilsSnapshot;
import fleet.console.councils.Disagreement;
import fleet.console.councils.OrchestratorCouncils;
import fleet.console.councils.ReplicaCouncils;
import fleet.console.councils.RoleOutcome;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runbook's two council procedures, {@code councils-init} and {@code councils-delete}: the orchestrator keeps
 * its councils in each process's memory, so each is done on every replica through its own port-forward (or, with
 * {@code --via-job}, by the runbook's own Job, which reaches one replica through the Service) and judged by what
 * every replica holds afterwards, not by a sentence of the job's log. Create treats ALREADY_EXISTS as success,
 * delete treats NOT_FOUND as skipped, as the fleet's jobs do.
 */
final class CouncilsRunbooks {

    static final String INIT = "councils-init";
    static final String DELETE = "councils-delete";

    private CouncilsRunbooks() {
    }

    static OrchestratorCouncils councils(RunContext run) {
        return new OrchestratorCouncils(run.client(), run.contextName(), run.namespace(), run.profile(), run.journal(), run.clock(),
                OrchestratorCouncils.Settings.defaults());
    }

    /** Runs one of the runbook's two council Jobs again and follows its log. */
    private static Step jobStep(OrchestratorCouncils councils, CouncilJobs.Kind kind, String id, String title, String why,
                                String manifest, String ns) {
        String job = kind.jobName();
        return SimpleStep.of(id, title, why,
                "Runs job " + job + " again (from the cluster's own definition, else the console's) and follows its log; it reaches one"
                        + " replica through the orchestrator Service.",
                List.of("kubectl delete job " + job + " -n " + ns + " --ignore-not-found",
                        "kubectl apply -f " + manifest,
                        "kubectl logs -f job/" + job + " -n " + ns,
                        "kubectl wait --for=condition=complete --timeout=180s job/" + job + " -n " + ns),
                CouncilJobs.DEFAULT_TIMEOUT.plusSeconds(30), r -> runJob(r, councils, kind));
    }

    static Runbook planInit(RunContext run) {
        OrchestratorCouncils councils = councils(run);
        String roles = String.join(", ", run.profile().councils().roles());
        String ns = run.namespace();
        List<Step> steps = new ArrayList<>();
        steps.add(orchestratorAnswers(ns));
        if (run.options().viaJob()) {
            steps.add(jobStep(councils, CouncilJobs.Kind.INIT, "init-councils-job", "Run the council init job",
                    "The runbook's 11b-orchestrator-init-councils job: it waits for GetStatus, then creates each role's council.",
                    "11b-orchestrator-init-councils.yaml", ns));
        } else {
            steps.add(SimpleStep.of("init-councils", "Create the councils on every replica",
                    "The runbook's init-councils: " + roles + ", each with the agents per council and the model in force.",
                    "Asks every orchestrator replica GetStatus (bounded retries), then CreateCouncil for each role; a council that"
                            + " exists already is kept as it is (ALREADY_EXISTS counts as success).",
                    List.of("kubectl port-forward -n " + ns + " pod/<each orchestrator pod> 50055:50055",
                            "grpcurl -plaintext -d '{\"role\":\"DEV\",\"num_agents\":3,...}' localhost:50055 "
                                    + "orchestrator.v1.OrchestratorService/CreateCouncil   (for each role)"),
                    Duration.ofMinutes(2), r -> {
                        ActionReport report = act(r, councils::initialise);
                        if (!report.ok()) {
                            throw new StepFailure("Not every council could be created: " + failures(report) + ".",
                                    "Read the lines above; once the orchestrator answers, retry this step (existing councils are kept).");
                        }
                    }).verifiedBy(r -> everyReplica(r, councils, true)));
        }
        return new Runbook(INIT, "Initialise the councils",
                "Creates " + roles + " on every orchestrator replica with the agents and model in force; existing councils are kept.",
                steps, Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Runbook planDelete(RunContext run) {
        OrchestratorCouncils councils = councils(run);
        String roles = String.join(", ", run.profile().councils().roles());
        String ns = run.namespace();
        List<Step> steps = new ArrayList<>();
        steps.add(orchestratorAnswers(ns));
        if (run.options().viaJob()) {
            steps.add(jobStep(councils, CouncilJobs.Kind.DELETE, "delete-councils-job", "Run the council delete job",
                    "The runbook's 11a-orchestrator-delete-councils job: it deletes each role's council.",
                    "11a-orchestrator-delete-councils.yaml", ns));
        } else {
            steps.add(SimpleStep.of("delete-councils", "Delete the councils on every replica",
                    "The runbook's delete-councils: " + roles + ".",
                    "Asks every orchestrator replica GetStatus (bounded retries), then DeleteCouncil for each role; a council that is"
                            + " not there is skipped (NOT_FOUND).",
                    List.of("kubectl port-forward -n " + ns + " pod/<each orchestrator pod> 50055:50055",
                            "grpcurl -plaintext -d '{\"role\":\"DEV\"}' localhost:50055 orchestrator.v1.OrchestratorService/DeleteCouncil"
                                    + "   (for each role)"),
                    Duration.ofMinutes(2), r -> {
                        ActionReport report = act(r, councils::deleteAll);
                        if (!report.ok()) {
                            throw new StepFailure("Not every council could be deleted: " + failures(report) + ".",
                                    "Read the lines above; retry this step (councils already gone are skipped).");
                        }
                    }).verifiedBy(r -> everyReplica(r, councils, false)));
        }
        Destruction d = destruction(councils, roles);
        String destroys = d.text() + (run.options().viaJob() && d.councils() > 0
                ? "; through the Job, only those of the one replica it reaches" : "");
        return new Runbook(DELETE, "Delete the councils",
                "Deletes " + roles + " on every orchestrator replica; deliberations in progress lose their agents.",
                steps, Optional.of(destroys), d.councils() > 0 ? Optional.of(ns) : Optional.empty(), Optional.empty());
    }

    private record Destruction(String text, int councils) {
    }

    /** What a delete destroys, counted before it starts: councils by replica, and their agents. */
    private static Destruction destruction(OrchestratorCouncils councils, String roles) {
        CouncilsSnapshot now;
        try {
            now = councils.read();
        } catch (CouncilsProblem e) {
            return new Destruction("every council (" + roles + ") on every orchestrator replica (they could not be counted: "
                    + e.getMessage() + ")", 1);
        }
        List<String> roleNames = councils.profile().councils().roles();
        int count = 0;
        int agents = 0;
        List<String> where = new ArrayList<>();
        for (ReplicaCouncils r : now.answering()) {
            List<Council> held = r.councils().stream().filter(c -> roleNames.contains(c.role())).toList();
            count += held.size();
            agents += held.stream().mapToInt(Council::agentCount).sum();
            where.add(r.replica().pod() + " " + held.size());
        }
        int replicas = now.answering().size();
        if (count == 0) {
            return new Destruction("nothing: none of the " + replicas + " orchestrator replicas answering holds a council (every role is"
                    + " skipped)", 0);
        }
        int perReplica = replicas == 0 ? 0 : count / replicas;
        boolean even = replicas == now.replicas().size() && count == perReplica * replicas
                && now.answering().stream().allMatch(r -> r.councils().size() == perReplica);
        String shape = even ? perReplica + " councils x " + replicas + " replicas" : String.join(", ", where);
        List<String> silent = now.replicas().stream().filter(r -> !r.answered()).map(r -> r.replica().pod()).toList();
        String unanswered = silent.isEmpty() ? "" : " (" + String.join(", ", silent) + " did not answer and could not be counted;"
                + " it is asked again when the run deletes)";
        return new Destruction(count + " councils (" + shape + ") with " + agents + " agents in all, in the orchestrator's memory on "
                + councils.context() + " / " + councils.namespace() + unanswered, count);
    }

    /** The orchestrator must answer before anything is asked of it: every replica's GetStatus, in the log. */
    private static Step orchestratorAnswers(String ns) {
        return new SimpleStep("orchestrator-answers", "Check that the orchestrator answers",
                "The runbook's jobs wait for the orchestrator's GetStatus before touching councils.",
                "Finds the orchestrator's replicas by its deployment's selector and asks each GetStatus and ListCouncils through its"
                        + " own port-forward.",
                List.of("kubectl get pods -n " + ns + " -l app=orchestrator", "grpcurl -plaintext localhost:50055 "
                        + "orchestrator.v1.OrchestratorService/GetStatus"),
                Duration.ofSeconds(60), r -> Optional.empty(), r -> {
                    CouncilsSnapshot now = read(r, councils(r));
                    for (ReplicaCouncils rc : now.replicas()) {
                        r.log(describe(rc));
                    }
                    if (now.answering().isEmpty()) {
                        throw new StepFailure("No orchestrator replica answers (" + now.replicas().size() + " found). Nothing was changed.",
                                "Look at the orchestrator's pods (the Pods area, or kubectl get pods -l app=orchestrator); retry once one"
                                        + " is Ready.");
                    }
                }, r -> { });
    }

    private static String describe(ReplicaCouncils rc) {
        String pod = rc.replica().pod();
        if (rc.problem().isPresent()) {
            return pod + ": does not answer: " + rc.problem().get();
        }
        return pod + ": " + rc.status().map(s -> s.status() + ", up " + s.uptime().toSeconds() + " s").orElse("answers") + "; "
                + (rc.councils().isEmpty() ? "no councils" : rc.councils().size() + " councils ("
                + String.join(", ", rc.councils().stream().map(c -> c.role() + " " + c.agentCount()).toList()) + " agents)");
    }

    private static void runJob(RunContext r, OrchestratorCouncils councils, CouncilJobs.Kind kind) throws StepFailure, InterruptedException {
        CouncilJobs.JobRun run;
        try {
            run = new CouncilJobs(councils, r.timeLeft()).run(kind, r::log, r.cancellation());
        } catch (CouncilsProblem e) {
            throw new StepFailure(e.getMessage(), e.whatToDo(), e);
        }
        r.log(run.verdict());
        if (!run.ok()) {
            throw new StepFailure(run.verdict(), "Read the job's log above; run " + (kind == CouncilJobs.Kind.INIT ? INIT : DELETE)
                    + " without --via-job to act on every replica directly.");
        }
        for (Disagreement d : run.after().disagreements()) {
            r.log("still: " + d.text());
        }
    }

    @FunctionalInterface
    private interface Action {
        ActionReport run() throws CouncilsProblem, InterruptedException;
    }

    private static ActionReport act(RunContext r, Action action) throws StepFailure, InterruptedException {
        try {
            ActionReport report = action.run();
            report.outcomes().stream().map(RoleOutcome::describe).forEach(r::log);
            report.summaryByReplica().forEach(r::progress);
            return report;
        } catch (CouncilsProblem e) {
            throw new StepFailure(e.getMessage(), e.whatToDo(), e);
        }
    }

    private static String failures(ActionReport report) {
        return String.join("; ", report.outcomes().stream().filter(o -> !o.result().success()).map(RoleOutcome::describe).toList());
    }

    /** Afterwards, asked again: every replica holds every role (init) or none (delete). */
    private static void everyReplica(RunContext r, OrchestratorCouncils councils, boolean holdsAll) throws StepFailure {
        CouncilsSnapshot after = read(r, councils);
        List<String> wrong = new ArrayList<>();
        for (ReplicaCouncils rc : after.replicas()) {
            String pod = rc.replica().pod();
            if (rc.problem().isPresent()) {
                wrong.add(pod + " does not answer");
            } else if (holdsAll ? !after.holdsAll(pod) : !after.holdsNone(pod)) {
                List<String> roles = rc.councils().stream().map(Council::role).toList();
                wrong.add(pod + (holdsAll ? " lacks " + String.join(", ", r.profile().councils().roles().stream()
                        .filter(x -> !roles.contains(x)).toList()) : " still holds " + String.join(", ", roles)));
            } else {
                r.log(pod + ": " + (holdsAll ? "every council" : "no council") + " (" + rc.councils().size() + ")");
            }
        }
        if (!wrong.isEmpty()) {
            throw new StepFailure("After the step, " + String.join("; ", wrong) + ".", holdsAll
                    ? "A replica that restarted meanwhile starts empty: retry this step." : "Retry this step.");
        }
    }

    private static CouncilsSnapshot read(RunContext r, OrchestratorCouncils councils) throws StepFailure {
        try {
            return councils.read();
        } catch (CouncilsProblem e) {
            throw new StepFailure(e.getMessage(), e.whatToDo(), e);
        }
    }
}
