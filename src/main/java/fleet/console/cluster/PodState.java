package fleet.console.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The status an operator should see for a pod, with the real reason (CrashLoopBackOff, ImagePullBackOff,
 * OOMKilled, Pending with the scheduler's words...) rather than the bare phase, as kubectl's STATUS
 * column does it.
 */
public record PodState(String status, boolean problem, int ready, int total, int restarts, Optional<String> detail) {

    public static PodState of(Pod pod) {
        List<ContainerStatus> statuses = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? List.of() : pod.getStatus().getContainerStatuses();
        int total = pod.getSpec() == null || pod.getSpec().getContainers() == null ? statuses.size()
                : pod.getSpec().getContainers().size();
        int ready = (int) statuses.stream().filter(s -> Boolean.TRUE.equals(s.getReady())).count();
        int restarts = statuses.stream().mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();

        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return new PodState("Terminating", false, ready, total, restarts, Optional.empty());
        }
        if (pod.getStatus() != null && pod.getStatus().getReason() != null) {
            return new PodState(pod.getStatus().getReason(), true, ready, total, restarts,
                    Optional.ofNullable(pod.getStatus().getMessage()));
        }
        Optional<PodState> initializing = initializing(pod, ready, total, restarts);
        if (initializing.isPresent()) {
            return initializing.get();
        }
        String reason = null;
        String message = null;
        for (int i = statuses.size() - 1; i >= 0; i--) {
            ContainerStatus s = statuses.get(i);
            if (s.getState() == null) {
                continue;
            }
            if (s.getState().getWaiting() != null && s.getState().getWaiting().getReason() != null) {
                reason = s.getState().getWaiting().getReason();
                message = s.getState().getWaiting().getMessage();
                if ("CrashLoopBackOff".equals(reason)) {
                    // The back-off message only says how long to wait; why the container died (OOMKilled,
                    // Error with its exit code) is in the last termination, and that is what to act on.
                    message = lastExit(s).orElse(message);
                }
                if (!"ContainerCreating".equals(reason) && !"PodInitializing".equals(reason)) {
                    break;
                }
            } else if (s.getState().getTerminated() != null) {
                var t = s.getState().getTerminated();
                if (t.getReason() != null) {
                    reason = t.getReason();
                } else if (t.getSignal() != null && t.getSignal() != 0) {
                    reason = "Signal:" + t.getSignal();
                } else {
                    reason = "ExitCode:" + t.getExitCode();
                }
                message = t.getMessage();
            }
        }
        if ("Succeeded".equals(phase)) {
            return new PodState("Completed", false, ready, total, restarts, Optional.empty());
        }
        if (reason != null && !"Completed".equals(reason)) {
            boolean transient_ = "ContainerCreating".equals(reason) || "PodInitializing".equals(reason);
            return new PodState(reason, !transient_, ready, total, restarts, Optional.ofNullable(message));
        }
        if ("Pending".equals(phase)) {
            Optional<PodCondition> unschedulable = condition(pod, "PodScheduled")
                    .filter(c -> "False".equals(c.getStatus()));
            if (unschedulable.isPresent()) {
                return new PodState("Pending", true, ready, total, restarts,
                        Optional.ofNullable(unschedulable.get().getMessage()));
            }
            return new PodState("Pending", false, ready, total, restarts, Optional.empty());
        }
        if ("Failed".equals(phase)) {
            return new PodState(reason != null ? reason : "Failed", true, ready, total, restarts, Optional.ofNullable(message));
        }
        if ("Running".equals(phase) && ready < total) {
            return new PodState("Running", true, ready, total, restarts, Optional.of(notReadyDetail(statuses)));
        }
        if ("Unknown".equals(phase)) {
            return new PodState("Unknown", true, ready, total, restarts, Optional.empty());
        }
        return new PodState(phase, false, ready, total, restarts, Optional.empty());
    }

    /**
     * {@code OOMKilled (exit code 137)}: how a container's previous run ended, the reason behind a
     * CrashLoopBackOff.
     */
    public static Optional<String> lastExit(ContainerStatus s) {
        if (s.getLastState() == null || s.getLastState().getTerminated() == null) {
            return Optional.empty();
        }
        var t = s.getLastState().getTerminated();
        String why = t.getReason() != null ? t.getReason()
                : t.getSignal() != null && t.getSignal() != 0 ? "Signal:" + t.getSignal() : "Error";
        return Optional.of(why + " (exit code " + (t.getExitCode() == null ? "?" : t.getExitCode()) + ")");
    }

    /**
     * While init containers run the app containers have not started: kubectl shows {@code Init:1/2}, or
     * {@code Init:CrashLoopBackOff} when one of them fails, and so does the console.
     */
    private static Optional<PodState> initializing(Pod pod, int ready, int total, int restarts) {
        List<ContainerStatus> inits = pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null
                ? List.of() : pod.getStatus().getInitContainerStatuses();
        for (int i = 0; i < inits.size(); i++) {
            ContainerStatus s = inits.get(i);
            var state = s.getState();
            if (state == null) {
                continue;
            }
            var t = state.getTerminated();
            if (t != null && t.getExitCode() != null && t.getExitCode() == 0) {
                continue;
            }
            // Sidecars (restartPolicy Always) keep running beside the app containers: not initializing.
            if (state.getRunning() != null && s.getStarted() != null && s.getStarted() && isSidecar(pod, s.getName())) {
                continue;
            }
            if (t != null) {
                String reason = t.getReason() != null ? t.getReason()
                        : t.getSignal() != null && t.getSignal() != 0 ? "Signal:" + t.getSignal() : "ExitCode:" + t.getExitCode();
                return Optional.of(new PodState("Init:" + reason, true, ready, total, restarts,
                        Optional.of("init container " + s.getName() + " failed").map(m -> t.getMessage() == null ? m : m + ": " + t.getMessage())));
            }
            var w = state.getWaiting();
            if (w != null && w.getReason() != null && !"PodInitializing".equals(w.getReason())) {
                boolean problem = !"ContainerCreating".equals(w.getReason());
                String detail = "CrashLoopBackOff".equals(w.getReason()) ? lastExit(s).orElse(w.getMessage()) : w.getMessage();
                return Optional.of(new PodState("Init:" + w.getReason(), problem, ready, total, restarts,
                        Optional.of("init container " + s.getName() + (detail == null ? "" : ": " + detail))));
            }
            return Optional.of(new PodState("Init:" + i + "/" + inits.size(), false, ready, total, restarts, Optional.empty()));
        }
        return Optional.empty();
    }

    private static boolean isSidecar(Pod pod, String name) {
        return pod.getSpec() != null && pod.getSpec().getInitContainers() != null && pod.getSpec().getInitContainers().stream()
                .anyMatch(c -> name.equals(c.getName()) && "Always".equals(c.getRestartPolicy()));
    }

    /** {@code 1/2} as kubectl prints readiness. */
    public String readyText() {
        return ready + "/" + total;
    }

    static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static String notReadyDetail(List<ContainerStatus> statuses) {
        List<String> names = new ArrayList<>();
        for (ContainerStatus s : statuses) {
            if (!Boolean.TRUE.equals(s.getReady())) {
                names.add(s.getName());
            }
        }
        return "not ready: " + String.join(", ", names);
    }
}
