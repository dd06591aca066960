package fleet.console.diagnosis;

import fleet.console.cluster.PodState;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.profile.ServiceSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** One pod as the rules read it: its real state, its workload and service, its events and its containers' logs. */
public final class PodView {

    /** What an operator sees of a failing pod; findings of one pod with the same symptom compete. */
    public static final String CRASH = "CrashLoopBackOff";
    public static final String CONFIG = "CreateContainerConfigError";
    public static final String MOUNT = "ContainerCreating (volume cannot be mounted)";
    public static final String PULL = "ImagePullBackOff";
    public static final String PENDING = "Pending";
    public static final String NOT_READY = "Running, not Ready";
    public static final String UNKNOWN = "ContainerStatusUnknown";

    private final Observations observations;
    private final Pod pod;
    private final PodState state;
    private final Optional<WorkloadRef> workload;
    private final Optional<ServiceSpec> service;

    PodView(Observations observations, Pod pod, Optional<WorkloadRef> workload, Optional<ServiceSpec> service) {
        this.observations = observations;
        this.pod = pod;
        this.state = PodState.of(pod);
        this.workload = workload;
        this.service = service;
    }

    public Pod pod() {
        return pod;
    }

    public String name() {
        return pod.getMetadata().getName();
    }

    public String namespace() {
        return pod.getMetadata().getNamespace();
    }

    public PodState state() {
        return state;
    }

    public Optional<WorkloadRef> workload() {
        return workload;
    }

    public Optional<ServiceSpec> service() {
        return service;
    }

    public Subject subject() {
        return Subject.pod(namespace(), name(), workload, service.map(ServiceSpec::name));
    }

    /** A pod of a Job: the Job's rule speaks for it. */
    public boolean ofJob() {
        return workload.filter(w -> "Job".equals(w.kind())).isPresent();
    }

    public boolean isNats() {
        return workload.filter(w -> "StatefulSet".equals(w.kind()) && "nats".equals(w.name())).isPresent()
                || containers().stream().anyMatch(c -> "nats".equals(c.getName()));
    }

    public boolean ready() {
        return condition("Ready").filter(c -> "True".equals(c.getStatus())).isPresent();
    }

    public Optional<PodCondition> condition(String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public List<Container> containers() {
        return pod.getSpec() == null || pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
    }

    public Optional<Container> container(String name) {
        return containers().stream().filter(c -> c.getName().equals(name)).findFirst();
    }

    public List<ContainerStatus> statuses() {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? List.of()
                : pod.getStatus().getContainerStatuses();
    }

    public Optional<ContainerStatus> status(String container) {
        return statuses().stream().filter(s -> container.equals(s.getName())).findFirst();
    }

    /** The container in trouble: waiting for a reason, dead, running unready or crash-looping; the service's container first. */
    public Optional<ContainerStatus> troubled() {
        String preferred = service.map(ServiceSpec::container).orElse("");
        return statuses().stream()
                .filter(s -> waitingReason(s).filter(r -> !"ContainerCreating".equals(r)).isPresent()
                        || s.getState() != null && s.getState().getTerminated() != null
                        || s.getLastState() != null && s.getLastState().getTerminated() != null && !Boolean.TRUE.equals(s.getReady())
                        || !Boolean.TRUE.equals(s.getReady())
                        || runningAgainAfterCrash(s))
                .min(java.util.Comparator.comparingInt(s -> preferred.equals(s.getName()) ? 0 : 1));
    }

    /** The first container's name when nothing is in trouble (logs need one). */
    public String mainContainer() {
        return troubled().map(ContainerStatus::getName)
                .orElse(service.map(ServiceSpec::container).filter(c -> container(c).isPresent())
                        .orElse(containers().isEmpty() ? "" : containers().get(0).getName()));
    }

    static Optional<String> waitingReason(ContainerStatus s) {
        return Optional.ofNullable(s.getState()).map(x -> x.getWaiting()).map(w -> w.getReason());
    }

    public List<Event> events() {
        return observations.eventsAbout(pod);
    }

    /** The newest event with this reason, if any. */
    public Optional<Event> lastEvent(String reason) {
        List<Event> found = events().stream().filter(e -> reason.equals(e.getReason())).toList();
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    public List<String> log(String container, boolean previous) {
        return observations.log(name(), container, previous);
    }

    /** The previous run's log when there was one (the crash), else the current one. */
    public List<String> crashLog(String container) {
        List<String> previous = log(container, true);
        return previous.isEmpty() ? log(container, false) : previous;
    }

    /** Whether the previous run's log is what {@link #crashLog} returned. */
    public boolean hasPreviousLog(String container) {
        return !log(container, true).isEmpty();
    }

    /** The service talks to NATS: it has consumers, or its containers are given a NATS_URL. */
    public boolean usesNats() {
        if (isNats()) {
            return false;
        }
        if (service.filter(ServiceSpec::natsConsumers).isPresent()) {
            return true;
        }
        for (Container c : containers()) {
            for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
                if ("NATS_URL".equals(e.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How long since the pod was created. */
    public Duration age() {
        try {
            Instant created = Instant.parse(pod.getMetadata().getCreationTimestamp());
            return Duration.between(created, observations.now());
        } catch (RuntimeException e) {
            return Duration.ZERO;
        }
    }

    /**
     * What an operator sees, when it is a failure: {@link #CRASH}, {@link #CONFIG}, {@link #MOUNT},
     * {@link #PULL}, {@link #PENDING}, {@link #NOT_READY}, {@link #UNKNOWN}; empty for a healthy pod, a
     * finished one, a pod still starting, and a Job's pods.
     */
    public Optional<String> symptom() {
        if (ofJob() || "Succeeded".equals(phase()) || "Completed".equals(state.status())) {
            return Optional.empty();
        }
        for (ContainerStatus s : statuses()) {
            var terminated = s.getState() == null ? null : s.getState().getTerminated();
            if (terminated != null && "ContainerStatusUnknown".equals(terminated.getReason())) {
                return Optional.of(UNKNOWN);
            }
        }
        for (ContainerStatus s : statuses()) {
            Optional<String> waiting = waitingReason(s);
            if (waiting.isPresent()) {
                switch (waiting.get()) {
                    case "CrashLoopBackOff", "RunContainerError":
                        return Optional.of(CRASH);
                    case "CreateContainerConfigError", "CreateContainerError":
                        return Optional.of(CONFIG);
                    case "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull":
                        return Optional.of(PULL);
                    case "ContainerCreating":
                        if (lastEvent("FailedMount").isPresent()) {
                            return Optional.of(MOUNT);
                        }
                        break;
                    default:
                        break;
                }
            }
            var terminated = s.getState() == null ? null : s.getState().getTerminated();
            if (terminated != null && terminated.getExitCode() != null && terminated.getExitCode() != 0
                    && !"Never".equals(pod.getSpec().getRestartPolicy())) {
                // The moment between a crash and its back-off, or a container the OOM killer just took.
                return Optional.of(CRASH);
            }
        }
        for (ContainerStatus s : statuses()) {
            if (runningAgainAfterCrash(s)) {
                return Optional.of(CRASH);
            }
        }
        if ("Pending".equals(phase()) && condition("PodScheduled").filter(c -> "False".equals(c.getStatus())).isPresent()) {
            return Optional.of(PENDING);
        }
        boolean allRunning = !statuses().isEmpty() && statuses().stream().allMatch(s -> s.getState() != null && s.getState().getRunning() != null);
        if ("Running".equals(phase()) && allRunning && !ready()) {
            boolean probeFails = lastEvent("Unhealthy").filter(e -> e.getMessage() != null && e.getMessage().startsWith("Readiness probe failed")).isPresent();
            if (probeFails || unreadyFor().compareTo(observations.options().notReadyGrace()) >= 0) {
                return Optional.of(NOT_READY);
            }
        }
        return Optional.empty();
    }

    /**
     * A crash loop between two crashes: the container runs again, not yet Ready, after a run that ended with a
     * non-zero exit, and this is not its first restart or the kubelet already backed off restarting it.
     * {@code kubectl get pods} shows it as Running with its restarts climbing. A single restart without a
     * back-off is a start-up hiccup, and a container Ready again has recovered (a service that crashed while
     * NATS was down and connected on its next start): neither is a symptom.
     */
    private boolean runningAgainAfterCrash(ContainerStatus s) {
        if (s.getState() == null || s.getState().getRunning() == null || Boolean.TRUE.equals(s.getReady())
                || "Never".equals(pod.getSpec().getRestartPolicy())) {
            return false;
        }
        var last = s.getLastState() == null ? null : s.getLastState().getTerminated();
        if (last == null || last.getExitCode() == null || last.getExitCode() == 0) {
            return false;
        }
        int restarts = s.getRestartCount() == null ? 0 : s.getRestartCount();
        return restarts >= 2 || events().stream().anyMatch(e -> "BackOff".equals(e.getReason()) && e.getMessage() != null
                && e.getMessage().contains("restarting failed container " + s.getName() + " "));
    }

    public String phase() {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }

    private Duration unreadyFor() {
        return condition("Ready").map(PodCondition::getLastTransitionTime).map(t -> {
            try {
                return Duration.between(Instant.parse(t), observations.now());
            } catch (DateTimeParseException e) {
                return Duration.ZERO;
            }
        }).orElse(Duration.ZERO);
    }
}
