package fleet.console.sandbox.controllers;

import io.fabric8.kubernetes.api.model.Pod;

/** The few questions controllers ask about a pod, answered as Kubernetes answers them. */
public final class PodFacts {

    private PodFacts() {
    }

    /** Counts toward a controller's replicas: not being deleted and not finished. */
    public static boolean isActive(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String phase = phase(pod);
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    public static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    public static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }

    public static boolean isScheduled(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getNodeName() != null;
    }

    /** Which pod a controller removes first when scaling down: unscheduled, pending, not ready, then newest. */
    public static int deletionRank(Pod pod) {
        if (!isScheduled(pod)) {
            return 0;
        }
        if ("Pending".equals(phase(pod))) {
            return 1;
        }
        if (!isReady(pod)) {
            return 2;
        }
        return 3;
    }
}
