package fleet.console.runbook;

import fleet.console.manifests.FleetManifests;
import fleet.console.messaging.ConsumerRow;
import fleet.console.messaging.JetStreamInventory;
import fleet.console.messaging.NatsActions;
import fleet.console.messaging.NatsProblem;
import fleet.console.messaging.StreamRow;
import fleet.console.profile.ServiceSpec;
import fleet.console.profile.StreamSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runbook's "Clean NATS slate": stop every service with NATS consumers (remembering how many pods
 * each ran), delete the streams and their consumers, recreate the declared streams, start the services
 * again, and check that every service has its consumers back. Where the runbook sleeps 10 s and waits on
 * fixed timeouts, each wait here ends the moment its condition holds.
 */
final class NatsCleanSlate {

    private NatsCleanSlate() {
    }

    static Runbook plan(RunContext run) throws StepFailure {
        List<ServiceSpec> consumers = run.profile().servicesWithNatsConsumers();
        List<Step> steps = new ArrayList<>();
        List<String> natsServer = run.profile().service("nats").map(ServiceSteps::kubectlName).stream().toList();
        for (ServiceSpec s : consumers) {
            steps.add(ServiceSteps.remember(s));
        }
        for (ServiceSpec s : consumers) {
            steps.add(ServiceSteps.scaleToZero(s));
        }
        for (ServiceSpec s : consumers) {
            steps.add(ServiceSteps.awaitGone(s));
        }
        if (run.options().viaJob()) {
            FleetManifests manifests = new FleetManifests(run.profile());
            Job delete = (Job) manifests.template("nats-delete-streams").orElseThrow();
            Job init = (Job) manifests.object("Job", "nats-init-streams").orElseThrow(() -> new StepFailure(
                    "The fleet's manifests have no nats-init-streams job.", "Run without --via-job."));
            steps.add(SimpleStep.of("delete-streams", "Run the stream deletion job",
                    "The runbook's 02a-nats-delete-streams job.", "Runs job nats-delete-streams and follows its log.",
                    List.of("kubectl delete job nats-delete-streams -n " + run.namespace() + " || true",
                            "kubectl apply -f 02a-nats-delete-streams.yaml",
                            "kubectl wait --for=condition=complete --timeout=60s job/nats-delete-streams -n " + run.namespace()),
                    Duration.ofSeconds(90), r -> JobRuns.run(r, delete)));
            steps.add(SimpleStep.of("create-streams", "Run the stream init job",
                    "The runbook's 02b-nats-init-streams job.", "Runs job nats-init-streams and follows its log.",
                    List.of("kubectl delete job nats-init-streams -n " + run.namespace() + " || true",
                            "kubectl apply -f 02b-nats-init-streams.yaml",
                            "kubectl wait --for=condition=complete --timeout=60s job/nats-init-streams -n " + run.namespace()),
                    Duration.ofSeconds(90), r -> JobRuns.run(r, init)).verifiedBy(NatsCleanSlate::declaredStreamsExist));
        } else {
        steps.add(SimpleStep.of("delete-streams", "Delete the streams and their consumers",
                "Clean slate: no old messages, no durable consumers left from older versions.",
                "Deletes every stream on the server, with its messages and consumers.",
                List.of("nats stream ls", "nats stream rm STREAM -f   (for each)"), Duration.ofSeconds(30), r -> {
                    NatsActions actions = actions(r);
                    try {
                        for (StreamRow s : new JetStreamInventory(r.nats().management()).streams()) {
                            r.log(actions.deleteStreamImpact(s.name()).summary().replace(" Type the stream's name to confirm.", ""));
                            actions.deleteStream(s.name());
                        }
                    } catch (NatsProblem e) {
                        throw new StepFailure(e.getMessage(), e.whatToDo(), e);
                    }
                }).verifiedBy(r -> {
                    try {
                        List<StreamRow> left = new JetStreamInventory(r.nats().management()).streams();
                        if (!left.isEmpty()) {
                            throw new StepFailure("Streams are still there: " + left.stream().map(StreamRow::name).toList() + ".",
                                    "Something recreated them; retry the step.");
                        }
                    } catch (NatsProblem e) {
                        throw new StepFailure(e.getMessage(), e.whatToDo(), e);
                    }
                }).touching(natsServer));
        steps.add(SimpleStep.of("create-streams", "Recreate the declared streams",
                "The runbook expects exactly its five streams afterwards.",
                "Creates each stream of the profile with its subjects and limits: "
                        + String.join(", ", run.profile().streams().stream().map(StreamSpec::name).toList()) + ".",
                List.of("nats stream add NAME --subjects ... --max-age ... --max-msgs ...   (for each)"), Duration.ofSeconds(30), r -> {
                    try {
                        List<String> created = actions(r).recreateDeclared(r.profile());
                        r.log("Created: " + created.size() + " (" + String.join(", ", created) + ")");
                    } catch (NatsProblem e) {
                        throw new StepFailure(e.getMessage(), e.whatToDo(), e);
                    }
                }).touching(natsServer));
        }
        for (ServiceSpec s : consumers) {
            steps.add(ServiceSteps.scaleBack(s));
        }
        for (ServiceSpec s : consumers) {
            steps.add(ServiceSteps.awaitReady(s));
        }
        steps.add(SimpleStep.of("verify-consumers", "Check every service's consumers are back",
                "The runbook greps the logs for 'All NATS consumers started'; the console asks the server.",
                "Lists the consumers of every stream and checks each NATS service owns at least one again.",
                List.of("nats consumer ls STREAM   (for each)"), Duration.ofSeconds(30), r -> {
                    try {
                        JetStreamInventory inventory = new JetStreamInventory(r.nats().management());
                        List<ConsumerRow> all = inventory.allConsumers(inventory.streams());
                        List<String> without = new ArrayList<>();
                        for (ServiceSpec s : consumers) {
                            long owned = all.stream().filter(c -> s.ownsDurable(c.durable())).count();
                            if (owned == 0 && !s.durables().isEmpty()) {
                                without.add(s.name());
                            } else {
                                r.log(s.name() + ": " + owned + " consumer(s)");
                            }
                        }
                        if (!without.isEmpty()) {
                            throw new StepFailure("No consumers yet for: " + String.join(", ", without) + ".",
                                    "Their pods run but did not subscribe; read their logs (the Pods area), then retry this step.");
                        }
                    } catch (NatsProblem e) {
                        throw new StepFailure(e.getMessage(), e.whatToDo(), e);
                    }
                }).touching(consumers.stream().map(ServiceSteps::kubectlName).toList()));
        String destroys = destroys(run);
        return new Runbook("nats-clean-slate", "NATS clean slate",
                "Stops " + String.join(", ", consumers.stream().map(ServiceSpec::name).toList())
                        + ", deletes every stream and consumer, recreates the declared streams, starts the services again.",
                steps, Optional.of(destroys), Optional.empty(), Optional.of(Runbooks.scaleBackCompensation(consumers)));
    }

    /** After the init job: the server has every declared stream (judged by the server, not by the job's words). */
    private static void declaredStreamsExist(RunContext r) throws StepFailure {
        try {
            List<String> have = new JetStreamInventory(r.nats().management()).streams().stream().map(StreamRow::name).toList();
            List<String> missing = r.profile().streams().stream().map(StreamSpec::name).filter(n -> !have.contains(n)).toList();
            if (!missing.isEmpty()) {
                throw new StepFailure("The init job completed but these streams are missing: " + String.join(", ", missing) + ".",
                        "Read the job's log above; run without --via-job to create them directly.");
            }
        } catch (NatsProblem e) {
            throw new StepFailure(e.getMessage(), e.whatToDo(), e);
        }
    }

    private static NatsActions actions(RunContext r) throws StepFailure {
        return new NatsActions(r.nats(), r.contextName(), r.namespace(), r.journal(), r.clock());
    }

    /** What the run will destroy, read before it starts (or said as unknown when NATS does not answer). */
    private static String destroys(RunContext run) {
        try {
            List<StreamRow> streams = new JetStreamInventory(run.nats().management()).streams();
            long messages = streams.stream().mapToLong(StreamRow::messages).sum();
            long consumers = streams.stream().mapToLong(StreamRow::consumers).sum();
            return String.format("%,d messages and %,d consumers in %d streams (%s)", messages, consumers, streams.size(),
                    String.join(", ", streams.stream().map(s -> s.name() + " " + String.format("%,d", s.messages())).toList()));
        } catch (StepFailure | NatsProblem e) {
            return "every stream and consumer on the server (NATS did not answer to count them: " + e.getMessage() + ")";
        }
    }
}
