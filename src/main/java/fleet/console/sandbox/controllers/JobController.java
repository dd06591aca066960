package fleet.console.sandbox.controllers;

import fleet.console.sandbox.events.EventRecorder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Job to pods: one pod at a time until it succeeds (condition Complete) or the failures pass
 * backoffLimit (condition Failed, reason BackoffLimitExceeded), with a growing pause between tries.
 * Finished pods are kept, as Kubernetes keeps them, so their logs stay readable.
 */
public final class JobController {

    public static final String KIND = "Job";
    /** Kubernetes waits 10 s, 20 s, 40 s...; the sandbox keeps the shape at a demo's pace. */
    private static final Duration BACKOFF_BASE = Duration.ofMillis(400);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(6);

    private final KubernetesClient client;
    private final ControllerLoop loop;
    private final EventRecorder events;
    private final Clock clock;

    public JobController(KubernetesClient client, ControllerLoop loop, EventRecorder events, Clock clock) {
        this.client = client;
        this.loop = loop;
        this.events = events;
        this.clock = clock;
    }

    public void reconcile(String namespace, String name) {
        Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        if (job == null || job.getMetadata().getDeletionTimestamp() != null || finished(job)) {
            return;
        }
        if (job.getSpec().getSelector() == null) {
            // The API server gives every Job a selector on its own uid; the emulator does not, so we do.
            job = client.batch().v1().jobs().inNamespace(namespace).withName(name).edit(j -> {
                String uid = j.getMetadata().getUid();
                j.getSpec().setSelector(new LabelSelectorBuilder().addToMatchLabels("batch.kubernetes.io/controller-uid", uid).build());
                PodTemplateSpec t = j.getSpec().getTemplate();
                if (t.getMetadata() == null) {
                    t.setMetadata(new ObjectMeta());
                }
                Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(t.getMetadata().getLabels()).orElse(Map.of()));
                labels.put("batch.kubernetes.io/controller-uid", uid);
                labels.put("batch.kubernetes.io/job-name", j.getMetadata().getName());
                labels.put("controller-uid", uid);
                labels.put("job-name", j.getMetadata().getName());
                t.getMetadata().setLabels(labels);
                return j;
            });
        }
        final Job current = job;
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> Templates.ownedBy(p, current)).toList();
        int succeeded = (int) pods.stream().filter(p -> "Succeeded".equals(PodFacts.phase(p))).count();
        int failed = (int) pods.stream().filter(p -> "Failed".equals(PodFacts.phase(p))).count();
        List<Pod> active = pods.stream().filter(PodFacts::isActive).toList();
        int completions = current.getSpec().getCompletions() == null ? 1 : current.getSpec().getCompletions();
        int backoffLimit = current.getSpec().getBackoffLimit() == null ? 6 : current.getSpec().getBackoffLimit();
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();

        JobStatus status = current.getStatus() == null ? new JobStatus() : Serialization.clone(current.getStatus());
        if (status.getStartTime() == null) {
            status.setStartTime(now);
        }
        List<JobCondition> conditions = new ArrayList<>(Optional.ofNullable(status.getConditions()).orElse(List.of()));
        if (succeeded >= completions) {
            conditions.add(cond("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now));
            conditions.add(cond("Complete", "CompletionsReached", "Reached expected number of succeeded pods", now));
            status.setCompletionTime(now);
            events.normal(current, EventRecorder.Source.JOB, "Completed", "Job completed");
        } else if (failed > backoffLimit) {
            conditions.add(cond("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now));
            conditions.add(cond("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now));
            for (Pod p : active) {
                client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).delete();
            }
            events.warning(current, EventRecorder.Source.JOB, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        } else if (active.isEmpty() && !Boolean.TRUE.equals(current.getSpec().getSuspend())) {
            Duration wait = failed == 0 ? Duration.ZERO
                    : BACKOFF_BASE.multipliedBy(1L << Math.min(failed - 1, 10)).compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX
                    : BACKOFF_BASE.multipliedBy(1L << Math.min(failed - 1, 10));
            Optional<String> lastFailure = pods.stream().filter(p -> "Failed".equals(PodFacts.phase(p)))
                    .map(this::finishedAt).flatMap(Optional::stream).max(String::compareTo);
            Duration since = lastFailure.map(t -> Duration.between(java.time.Instant.parse(t), clock.instant())).orElse(wait);
            if (since.compareTo(wait) >= 0) {
                Pod pod = client.pods().inNamespace(namespace).resource(podFor(current)).create();
                events.normal(current, EventRecorder.Source.JOB, "SuccessfulCreate", "Created pod: " + pod.getMetadata().getName());
                active = List.of(pod);
            } else {
                loop.enqueueAfter(wait.minus(since), KIND, namespace, name);
            }
        }
        status.setConditions(conditions.isEmpty() ? null : conditions);
        status.setActive(active.isEmpty() ? null : active.size());
        status.setSucceeded(succeeded == 0 ? null : succeeded);
        status.setFailed(failed == 0 ? null : failed);
        status.setReady((int) active.stream().filter(PodFacts::isReady).count());
        if (current.getStatus() == null || !Serialization.asJson(current.getStatus()).equals(Serialization.asJson(status))) {
            Job fresh = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
            if (fresh != null) {
                fresh.setStatus(status);
                client.batch().v1().jobs().inNamespace(namespace).resource(fresh).updateStatus();
            }
        }
    }

    private Optional<String> finishedAt(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
                .map(s -> s.getState().getTerminated().getFinishedAt())
                .filter(t -> t != null).max(String::compareTo);
    }

    private static JobCondition cond(String type, String reason, String message, String now) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .withLastProbeTime(now).withLastTransitionTime(now).build();
    }

    public static boolean finished(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
    }

    private Pod podFor(Job job) {
        PodTemplateSpec template = Serialization.clone(job.getSpec().getTemplate());
        ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        return new PodBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "-" + Templates.randomSuffix())
                .withGenerateName(job.getMetadata().getName() + "-")
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(meta.getLabels())
                .withAnnotations(meta.getAnnotations())
                .withOwnerReferences(Templates.controllerRef(job))
                .withCreationTimestamp(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
                .endMetadata()
                .withSpec(template.getSpec())
                .withNewStatus().withPhase("Pending").withQosClass("BestEffort").endStatus()
                .build();
    }
}
