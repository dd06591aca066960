package fleet.console.runbook;

import fleet.console.cluster.ClusterWait;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a Kubernetes Job as the runbook does ({@code kubectl delete job X || true; kubectl apply;
 * kubectl wait --for=condition=complete; kubectl logs job/X}), with its log followed into the run's
 * tail while it runs, and judged by its condition, not by a sentence in its output.
 */
final class JobRuns {

    /** How long a finished job's log streams are given to deliver their last lines. */
    private static final Duration LOG_DRAIN = Duration.ofSeconds(5);

    private JobRuns() {
    }

    static void run(RunContext run, Job job) throws StepFailure, InterruptedException {
        String ns = job.getMetadata().getNamespace() != null ? job.getMetadata().getNamespace() : run.namespace();
        String name = job.getMetadata().getName();
        Job fresh = Serialization.clone(job);
        fresh.getMetadata().setNamespace(ns);
        fresh.getMetadata().setResourceVersion(null);
        fresh.getMetadata().setUid(null);
        fresh.setStatus(null);
        var jobs = run.client().batch().v1().jobs().inNamespace(ns);
        String uid = createAfresh(run, jobs, fresh, ns, name);
        run.log("job " + name + " created");
        Map<String, LogWatch> following = new ConcurrentHashMap<>();
        java.util.Set<String> told = ConcurrentHashMap.newKeySet();
        var byName = jobs.withName(name);
        var podsOfJob = run.client().pods().inNamespace(ns).withLabel("job-name", name);
        try {
            ClusterWait.Outcome outcome = ClusterWait.until(byName, () -> Optional.ofNullable(byName.get()).map(List::of).orElse(List.of()),
                    list -> {
                        ownedBy(podsOfJob.list().getItems(), uid).forEach(p -> {
                            follow(run, ns, p, following);
                            stuck(p).filter(told::add).ifPresent(why -> run.progress(p.getMetadata().getName() + " cannot start: " + why));
                        });
                        return list.stream().anyMatch(j -> finished(j).isPresent());
                    }, run.timeLeft(), run.cancellation());
            Job done = jobs.withName(name).get();
            if (outcome == ClusterWait.Outcome.MET) {
                drain(run, following.values());
            }
            Optional<String> verdict = done == null ? Optional.empty() : finished(done);
            if (outcome == ClusterWait.Outcome.CANCELLED) {
                throw new StepFailure("Cancelled while job " + name + " ran; the job itself goes on.", "kubectl delete job " + name + " -n " + ns);
            }
            if (verdict.isEmpty()) {
                Optional<String> why = ownedBy(podsOfJob.list().getItems(), uid).stream().map(JobRuns::stuck).flatMap(Optional::stream).findFirst();
                if (why.isPresent()) {
                    throw new StepFailure("Job " + name + " did not finish in time: its pod cannot start (" + why.get() + ").",
                            "Create what it needs (a ConfigMap or Secret of a later step, or the image), then resume this step.");
                }
                throw new StepFailure("Job " + name + " did not finish in time.", "kubectl logs job/" + name + " -n " + ns + " shows where it is.");
            }
            if (!"Complete".equals(verdict.get())) {
                throw new StepFailure("Job " + name + " failed: " + reason(done) + ".", "Read its log (kubectl logs job/" + name + " -n " + ns
                        + "); fix the cause, then resume this step.");
            }
        } finally {
            following.values().forEach(LogWatch::close);
        }
    }

    /** Deletes the job of that name if there is one, waits until it is gone, creates ours; returns its uid. */
    private static String createAfresh(RunContext run, io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Job, io.fabric8.kubernetes.api.model.batch.v1.JobList,
            io.fabric8.kubernetes.client.dsl.ScalableResource<Job>> jobs, Job fresh,
                                       String ns, String name) throws StepFailure, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            if (jobs.withName(name).get() != null) {
                jobs.withName(name).delete();
                var same = jobs.withName(name);
                ClusterWait.until(same, () -> Optional.ofNullable(same.get()).map(List::of).orElse(List.of()), List::isEmpty,
                        run.timeLeft(), run.cancellation());
                run.log("old job " + name + " deleted");
            }
            try {
                return jobs.resource(fresh).create().getMetadata().getUid();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // Created again between the delete and ours (its controller, another operator): once more.
                if (e.getCode() != 409 || attempt >= 3) {
                    throw new StepFailure("Job " + name + " could not be created: " + e.getMessage(),
                            "kubectl get job " + name + " -n " + ns + " shows who holds it; delete it, then resume this step.");
                }
            }
        }
    }

    /**
     * The job is finished, so its pods' log streams end on their own: waits for them to, so that the
     * last lines (often the summary, "Deleted: 5") reach the tail before the streams are closed. A
     * stream that does not end within a few seconds (a server that keeps it open) is given up on.
     */
    private static void drain(RunContext run, java.util.Collection<LogWatch> streams) throws InterruptedException {
        java.util.concurrent.CompletableFuture<?>[] ends = streams.stream()
                .map(w -> w.onClose().toCompletableFuture()).toArray(java.util.concurrent.CompletableFuture[]::new);
        java.util.concurrent.CompletableFuture<Void> all = java.util.concurrent.CompletableFuture.allOf(ends);
        run.cancellation().onCancel(() -> all.complete(null));
        Duration bound = run.timeLeft().compareTo(LOG_DRAIN) < 0 ? run.timeLeft() : LOG_DRAIN;
        try {
            all.get(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // An ended-with-error or still-open stream: what it delivered is in the tail already.
        }
    }

    /**
     * The pods of this run's job, not those the previous job of the same name left behind while they are
     * deleted in the background (they carry the same {@code job-name} label, and their log is last run's).
     */
    private static List<Pod> ownedBy(List<Pod> pods, String jobUid) {
        return pods.stream().filter(p -> p.getMetadata().getOwnerReferences() != null && p.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> jobUid.equals(o.getUid()))).toList();
    }

    /** Why a job's pod cannot start its container (a missing ConfigMap, an image that cannot be pulled). */
    private static Optional<String> stuck(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> c.getState() != null && c.getState().getWaiting() != null)
                .map(c -> c.getState().getWaiting())
                .filter(w -> java.util.Set.of("CreateContainerConfigError", "ImagePullBackOff", "ErrImagePull", "InvalidImageName")
                        .contains(w.getReason()))
                .map(w -> w.getReason() + (w.getMessage() == null ? "" : ": " + w.getMessage()))
                .findFirst();
    }

    private static void follow(RunContext run, String ns, Pod pod, Map<String, LogWatch> following) {
        String uid = pod.getMetadata().getUid();
        boolean started = pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null && pod.getStatus().getContainerStatuses()
                .stream().anyMatch(c -> c.getState() != null && (c.getState().getRunning() != null || c.getState().getTerminated() != null));
        if (!started || following.containsKey(uid)) {
            return;
        }
        try {
            following.put(uid, run.client().pods().inNamespace(ns).withName(pod.getMetadata().getName()).watchLog(new LineSink(run)));
        } catch (RuntimeException e) {
            // Between states; the next change tries again.
        }
    }

    /** Hands each complete line of the job's log to the run's tail. */
    private static final class LineSink extends OutputStream {
        private final RunContext run;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSink(RunContext run) {
            this.run = run;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                run.log(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    static Optional<String> finished(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()))
                .map(JobCondition::getType).findFirst();
    }

    private static String reason(Job job) {
        return job.getStatus().getConditions().stream().filter(c -> "Failed".equals(c.getType()))
                .map(c -> c.getReason() + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")")).findFirst().orElse("failed");
    }
}
