package fleet.console.councils;

import fleet.console.cluster.Cancellation;
import fleet.console.cluster.ClusterWait;
import fleet.console.cluster.logs.LogLine;
import fleet.console.cluster.logs.LogSource;
import fleet.console.cluster.logs.LogStream;
import fleet.console.cluster.logs.LogStreamStatus;
import fleet.console.councils.contract.OrchestratorRpc;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The runbook's other way: run the fleet's council Jobs in the cluster and follow their logs. Like
 * {@code kubectl delete job ...; kubectl apply -f 11b-orchestrator-init-councils.yaml; kubectl logs -f}, with
 * the Job rebuilt from the one in the cluster when there is one (it removes itself a while after it
 * finished), else from the console's own definition of it.
 * <p>
 * A Job reaches the orchestrator through its Service, that is one replica; so it is judged by its exit
 * status and by the councils every replica holds afterwards, never by one sentence of its log, and the
 * replicas it did not reach are named.
 */
public final class CouncilJobs {

    /** The two jobs of the runbook. */
    public enum Kind {
        INIT("orchestrator-init-councils", "init-councils", "/app/init_councils.py", "init"),
        DELETE("orchestrator-delete-councils", "delete-councils", "/app/delete_councils.py", "job");

        private final String jobName;
        private final String container;
        private final String script;
        private final String component;

        Kind(String jobName, String container, String script, String component) {
            this.jobName = jobName;
            this.container = container;
            this.script = script;
            this.component = component;
        }

        public String jobName() {
            return jobName;
        }

        String action() {
            return this == INIT ? OrchestratorCouncils.ACTION_INIT + " (job)" : OrchestratorCouncils.ACTION_DELETE_ALL + " (job)";
        }
    }

    /** The image the fleet's council jobs run, under the profile's registry. */
    static final String JOBS_IMAGE = "orchestrator-jobs";
    static final String JOBS_TAG = "v1.0.0";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

    /**
     * How a job run ended.
     *
     * @param condition {@code Complete}, the reason of {@code Failed} (BackoffLimitExceeded), or why it was not waited for
     * @param log       every line its pods wrote, in order
     * @param after     every replica's councils once it ended
     * @param verdict   what it achieved, in words, naming the replicas it did not reach
     */
    public record JobRun(Kind kind, String job, boolean completed, String condition, List<String> log, CouncilsSnapshot after,
                         String verdict, boolean ok) {
        public JobRun {
            log = List.copyOf(log);
        }
    }

    private final OrchestratorCouncils councils;
    private final KubernetesClient client;
    private final String namespace;
    private final Duration timeout;

    public CouncilJobs(OrchestratorCouncils councils, Duration timeout) {
        this.councils = councils;
        this.client = councils.client();
        this.namespace = councils.namespace();
        this.timeout = timeout;
    }

    /**
     * Runs the job to its end, handing each log line to {@code liveLog} as it is written (from a log thread).
     *
     * @throws CouncilsProblem when no orchestrator replica is ready (nothing is created then) or the Job cannot be created
     */
    public JobRun run(Kind kind, Consumer<String> liveLog, Cancellation cancel) throws CouncilsProblem, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String target = "Job " + kind.jobName();
        List<Replica> replicas;
        try {
            replicas = councils.replicas();
            if (replicas.stream().noneMatch(Replica::ready)) {
                throw new CouncilsProblem(CouncilsProblem.Kind.NOT_READY, "No orchestrator replica is Ready ("
                        + (replicas.isEmpty() ? "none runs" : String.join(", ", replicas.stream().map(r -> r.pod() + " " + r.state()).toList()))
                        + "), so the job could not reach one. Nothing was started.",
                        "Look at the orchestrator's pods in the Pods area; once one is Ready, try again.");
            }
        } catch (CouncilsProblem e) {
            councils.audit(kind.action(), target, "refused: " + e.getMessage());
            throw e;
        }
        Job job;
        try {
            job = replace(kind);
        } catch (KubernetesClientException e) {
            councils.audit(kind.action(), target, "failed: " + e.getMessage());
            throw new CouncilsProblem(CouncilsProblem.Kind.UNREACHABLE, "Cannot create Job " + kind.jobName() + " in " + namespace + ": "
                    + e.getMessage(), "Check that your account may delete and create jobs in " + namespace + ".", e);
        }
        List<String> log = new CopyOnWriteArrayList<>();
        Consumer<String> lines = line -> {
            log.add(line);
            liveLog.accept(line);
        };
        follow(job, lines, deadline, cancel);
        Job finished = awaitFinished(job, deadline, cancel);
        Optional<JobCondition> end = finishedCondition(finished);
        boolean completed = end.map(c -> "Complete".equals(c.getType())).orElse(false);
        String condition = end.map(c -> "Complete".equals(c.getType()) ? "Complete" : "Failed (" + c.getReason() + ")")
                .orElse(cancel.isCancelled() ? "not waited for (cancelled)" : "still running after " + timeout.toSeconds() + " s");
        CouncilsSnapshot after = councils.read();
        List<String> reached = after.answering().stream().map(r -> r.replica().pod())
                .filter(pod -> kind == Kind.INIT ? after.holdsAll(pod) : after.holdsNone(pod)).toList();
        List<String> notReached = after.replicas().stream().map(r -> r.replica().pod()).filter(p -> !reached.contains(p)).toList();
        boolean ok = completed && !reached.isEmpty();
        String verdict = verdict(kind, condition, completed, reached, notReached);
        councils.audit(kind.action(), target + " (from " + templateOrigin(job) + ")", (ok ? "ok: " : "failed: ") + verdict);
        return new JobRun(kind, kind.jobName(), completed, condition, log, after, verdict, ok);
    }

    private static String verdict(Kind kind, String condition, boolean completed, List<String> reached, List<String> notReached) {
        String what = kind == Kind.INIT ? "holds every council" : "holds none of the councils";
        if (!completed) {
            return "Job " + kind.jobName() + " did not complete: " + condition + ". Read its log; "
                    + (reached.isEmpty() ? "no replica " + what + "." : String.join(", ", reached) + " " + what + ".");
        }
        if (reached.isEmpty()) {
            return "Job " + kind.jobName() + " completed, but no replica " + what + " now. Read its log, then run "
                    + (kind == Kind.INIT ? "init" : "delete") + " directly to act on every replica.";
        }
        if (notReached.isEmpty()) {
            return "Job " + kind.jobName() + " completed; every replica (" + String.join(", ", reached) + ") " + what + ".";
        }
        return "Job " + kind.jobName() + " completed: " + String.join(", ", reached) + " " + what + ", "
                + String.join(", ", notReached) + " does not. A job reaches one replica through the orchestrator Service; run "
                + (kind == Kind.INIT ? "init" : "delete") + " without --via-job to act on every replica.";
    }

    private static String templateOrigin(Job job) {
        return Optional.ofNullable(job.getMetadata().getAnnotations()).map(a -> a.get(ORIGIN)).orElse("");
    }

    private static final String ORIGIN = "fleet-console/template";

    /** Deletes the Job of that name (waiting until it is gone) and creates it again from its own template, or from ours. */
    private Job replace(Kind kind) throws InterruptedException, CouncilsProblem {
        Job existing = client.batch().v1().jobs().inNamespace(namespace).withName(kind.jobName()).get();
        Job fresh = existing == null ? definition(kind) : again(existing);
        String attempt = java.util.UUID.randomUUID().toString();
        Map<String, String> annotations = new LinkedHashMap<>(Optional.ofNullable(fresh.getMetadata().getAnnotations()).orElse(Map.of()));
        annotations.put(ATTEMPT, attempt);
        fresh.getMetadata().setAnnotations(annotations);
        for (int tries = 1; ; tries++) {
            if (existing != null) {
                removeAndWait(kind);
            }
            try {
                return client.batch().v1().jobs().inNamespace(namespace).resource(fresh).create();
            } catch (KubernetesClientException e) {
                existing = e.getCode() == 409 ? client.batch().v1().jobs().inNamespace(namespace).withName(kind.jobName()).get() : null;
                // A create the HTTP client sent again (its first answer lost) finds the Job it made: that one is ours.
                if (existing != null && existing.getMetadata().getAnnotations() != null
                        && attempt.equals(existing.getMetadata().getAnnotations().get(ATTEMPT))) {
                    return existing;
                }
                // Else it was created again between the delete and ours (its controller, another operator): once more.
                if (e.getCode() != 409 || tries >= 3) {
                    throw e;
                }
            }
        }
    }

    private void removeAndWait(Kind kind) throws InterruptedException, CouncilsProblem {
        client.batch().v1().jobs().inNamespace(namespace).withName(kind.jobName())
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        // Asked of the API itself, not of the watch's cache: the name must be free when the new Job is created.
        ClusterWait.Outcome gone = ClusterWait.until(client.batch().v1().jobs().inNamespace(namespace), this::jobs,
                jobs -> client.batch().v1().jobs().inNamespace(namespace).withName(kind.jobName()).get() == null, Duration.ofSeconds(60),
                Cancellation.none());
        if (gone != ClusterWait.Outcome.MET) {
            throw new CouncilsProblem(CouncilsProblem.Kind.UNREACHABLE, "The previous Job " + kind.jobName()
                    + " was not removed within 60 s, so it could not be run again.", "Look at it with kubectl describe job "
                    + kind.jobName() + " -n " + namespace + "; it may carry a finalizer.");
        }
    }

    /** Marks the Job one run created, so that run knows its own Job. */
    private static final String ATTEMPT = "fleet-console/run";

    /** The Job as it was applied: its pod template without what the Job controller added to it. */
    private static Job again(Job existing) {
        PodTemplateSpec template = Serialization.clone(existing.getSpec().getTemplate());
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
            labels.keySet().removeIf(k -> k.equals("controller-uid") || k.equals("job-name") || k.startsWith("batch.kubernetes.io/"));
            template.getMetadata().setLabels(labels);
        }
        Map<String, String> labels = existing.getMetadata().getLabels();
        return new JobBuilder()
                .withNewMetadata().withName(existing.getMetadata().getName()).withNamespace(existing.getMetadata().getNamespace())
                .withLabels(labels).addToAnnotations(ORIGIN, "the Job that was in the cluster").endMetadata()
                .withNewSpec().withBackoffLimit(existing.getSpec().getBackoffLimit())
                .withTtlSecondsAfterFinished(existing.getSpec().getTtlSecondsAfterFinished())
                .withActiveDeadlineSeconds(existing.getSpec().getActiveDeadlineSeconds())
                .withTemplate(template).endSpec()
                .build();
    }

    /**
     * The console's own definition of the runbook's job, for when the cluster no longer has it: the jobs image
     * under the profile's registry, the orchestrator Service's address, and for init the agents per council as a
     * literal (as the fleet's job has it) with the vLLM settings from ConfigMap service-urls.
     */
    Job definition(Kind kind) throws CouncilsProblem {
        String service = councils.orchestratorService().name();
        int port = councils.orchestratorService().port().orElse(OrchestratorRpc.PORT);
        List<io.fabric8.kubernetes.api.model.EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("ORCHESTRATOR_ADDRESS").withValue(service + "." + namespace + ".svc.cluster.local:" + port).build());
        if (kind == Kind.INIT) {
            env.add(new EnvVarBuilder().withName(OrchestratorCouncils.AGENTS_ENV)
                    .withValue(String.valueOf(councils.configuration().agentsPerCouncil())).build());
            for (String key : List.of("VLLM_URL", "VLLM_MODEL")) {
                env.add(new EnvVarBuilder().withName(key).withNewValueFrom().withNewConfigMapKeyRef()
                        .withName(OrchestratorCouncils.SERVICE_URLS).withKey(key).endConfigMapKeyRef().endValueFrom().build());
            }
        }
        Container container = new ContainerBuilder().withName(kind.container)
                .withImage(councils.profile().registry().host() + "/" + councils.profile().registry().path() + "/" + JOBS_IMAGE + ":" + JOBS_TAG)
                .withCommand("python", kind.script).withEnv(env)
                .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("256Mi")).endResources()
                .build();
        // The fleet's job pods carry app=orchestrator like the orchestrator's own: the replicas are told apart by owner.
        Map<String, String> labels = Map.of("app", service, "component", kind.component);
        PodTemplateSpec template = new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withRestartPolicy("OnFailure").withContainers(container).endSpec().build();
        return new JobBuilder()
                .withNewMetadata().withName(kind.jobName()).withNamespace(namespace).withLabels(labels)
                .addToAnnotations(ORIGIN, "the console's definition of the runbook's job").endMetadata()
                .withNewSpec().withBackoffLimit(3).withTtlSecondsAfterFinished(kind == Kind.INIT ? 300 : 3600).withTemplate(template).endSpec()
                .build();
    }

    /**
     * Follows the log of each run the Job makes, one after the other, until the Job has finished and its last
     * run's log is read: a failed pod is replaced by a new one under restartPolicy Never, and its container is
     * started again in the same pod under OnFailure (the fleet's jobs), so a run is a pod and a restart count.
     */
    private void follow(Job job, Consumer<String> lines, long deadline, Cancellation cancel) throws InterruptedException {
        String name = job.getMetadata().getName();
        String uid = job.getMetadata().getUid();
        Set<String> followed = new HashSet<>();
        while (!cancel.isCancelled()) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                return;
            }
            @SuppressWarnings("unchecked")
            List<Pod>[] found = new List[1];
            // The pods are watched, for their containers starting; the Job too, as it may say it is done after
            // its last pod changed for the last time.
            List<AutoCloseable> jobWatch = new ArrayList<>();
            ClusterWait.Outcome outcome;
            try {
                outcome = ClusterWait.until(client.pods().inNamespace(namespace).withLabel("job-name", name),
                        () -> client.pods().inNamespace(namespace).withLabel("job-name", name).list().getItems(),
                        pods -> {
                            found[0] = pods.stream().filter(p -> ownedBy(p, uid) && !followed.contains(run(p)))
                                    .filter(CouncilJobs::started).toList();
                            return !found[0].isEmpty() || finished(name, uid);
                        }, left, cancel, wake -> jobWatch.add(client.batch().v1().jobs().inNamespace(namespace).withName(name)
                                .inform(new ResourceEventHandler<>() {
                                    @Override
                                    public void onAdd(Job j) {
                                        wake.run();
                                    }

                                    @Override
                                    public void onUpdate(Job before, Job after) {
                                        wake.run();
                                    }

                                    @Override
                                    public void onDelete(Job j, boolean unknown) {
                                        wake.run();
                                    }
                                })::close));
            } finally {
                for (AutoCloseable w : jobWatch) {
                    try {
                        w.close();
                    } catch (Exception e) {
                        lines.accept("[" + name + "] closing the watch of the Job failed: " + e.getMessage());
                    }
                }
            }
            if (outcome != ClusterWait.Outcome.MET || found[0] == null || found[0].isEmpty()) {
                return;
            }
            for (Pod pod : found[0]) {
                followed.add(run(pod));
                followPod(pod.getMetadata().getName(), lines, deadline, cancel);
            }
        }
    }

    /**
     * One run of a job's container: its pod and the container that runs or ran last in it (a container started
     * again in the same pod has a new id).
     */
    private static String run(Pod pod) {
        String containers = Optional.ofNullable(pod.getStatus()).map(st -> st.getContainerStatuses()).orElse(List.of()).stream()
                .map(c -> c.getState() != null && c.getState().getTerminated() != null && c.getState().getTerminated().getContainerID() != null
                        ? c.getState().getTerminated().getContainerID() : String.valueOf(c.getContainerID()))
                .reduce((x, y) -> x + "," + y).orElse("");
        return pod.getMetadata().getName() + "#" + containers;
    }

    /**
     * Whether the pod's container runs or has run: a follow opened before that would wait for it, one whose
     * container starts and ends before the follow sees it running would miss the whole run, and one opened
     * while a failed container waits to be started again would read the run already followed.
     */
    private static boolean started(Pod pod) {
        if (pod.getStatus() == null) {
            return false;
        }
        String phase = pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return true;
        }
        return pod.getStatus().getContainerStatuses() != null && pod.getStatus().getContainerStatuses().stream()
                .anyMatch(c -> c.getState() != null && (c.getState().getRunning() != null || c.getState().getTerminated() != null));
    }

    private boolean finished(String name, String uid) {
        Job now = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        return now == null || !now.getMetadata().getUid().equals(uid) || finishedCondition(now).isPresent();
    }

    private void followPod(String pod, Consumer<String> lines, long deadline, Cancellation cancel) throws InterruptedException {
        LogStream.Sink sink = new LogStream.Sink() {
            @Override
            public void lines(List<LogLine> batch) {
                batch.forEach(l -> lines.accept(l.text()));
            }

            @Override
            public void status(LogStreamStatus status) {
                if (LogStreamStatus.ERROR.equals(status.kind())) {
                    lines.accept("[" + status.pod() + "] " + status.message());
                }
            }
        };
        try (LogStream stream = LogStream.open(client, LogSource.ofPod(namespace, pod, Optional.empty(), false, true, OptionalInt.empty()), sink)) {
            cancel.onCancel(stream::close);
            stream.finished().toCompletableFuture().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            lines.accept("[" + pod + "] reading the log failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            lines.accept("[" + pod + "] still running after " + timeout.toSeconds() + " s; the log is not followed further");
        }
    }

    private Job awaitFinished(Job job, long deadline, Cancellation cancel) throws InterruptedException {
        String name = job.getMetadata().getName();
        String uid = job.getMetadata().getUid();
        ClusterWait.until(client.batch().v1().jobs().inNamespace(namespace), this::jobs,
                jobs -> jobs.stream().filter(j -> j.getMetadata().getUid().equals(uid)).findFirst()
                        .map(j -> finishedCondition(j).isPresent()).orElse(true),
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), cancel);
        Job now = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        return now != null && now.getMetadata().getUid().equals(uid) ? now : job;
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
    }

    private static Optional<JobCondition> finishedCondition(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()))
                .findFirst();
    }

    private static boolean ownedBy(Pod pod, String uid) {
        List<OwnerReference> refs = Optional.ofNullable(pod.getMetadata()).map(ObjectMeta::getOwnerReferences).orElse(List.of());
        return refs.stream().anyMatch(r -> uid.equals(r.getUid()));
    }
}
