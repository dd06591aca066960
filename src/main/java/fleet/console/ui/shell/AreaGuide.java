package fleet.console.ui.shell;

import java.util.List;

/**
 * What each area is for, in three lines: what it shows, what an operator does there, and which part
 * of the runbook (kubectl, nats, grpcurl by hand) it replaces. The welcome view and the search read it.
 */
public final class AreaGuide {

    private AreaGuide() {
    }

    /** Exactly three lines for every area (a new area does not compile without its own). */
    public static List<String> lines(Area area) {
        return switch (area) {
            case OVERVIEW -> List.of(
                    "The fleet's workloads and their health: running, starting, or failing and why.",
                    "Problems come first, with the pod and the reason (CrashLoopBackOff, ImagePullBackOff...).",
                    "It follows the cluster by itself; F5 reads the health again.");
            case PODS -> List.of(
                    "Every pod of the namespace with its real status, restarts and the scheduler's words.",
                    "Follow logs, read the previous container's logs after a crash, describe, delete.",
                    "Replaces kubectl get pods, logs -f, logs --previous and describe.");
            case ROLLOUTS -> List.of(
                    "Each deployment's rollout history with the images of every revision.",
                    "Restart, scale, and undo to a chosen revision after a dry-run.",
                    "Replaces kubectl rollout history, restart, undo and scale.");
            case NATS -> List.of(
                    "JetStream streams and consumers beside the fleet's declared set.",
                    "Drift, lag, stale durables and push consumers bound twice, with their owners.",
                    "Purge, delete and recreate with the impact said first; replaces the nats CLI.");
            case COUNCILS -> List.of(
                    "The agent councils (DEV, QA, ARCHITECT, DEVOPS, DATA) of the orchestrator.",
                    "What each orchestrator replica reports, so replicas that disagree stand out.",
                    "Create and delete councils without calling the orchestrator's gRPC API by hand.");
            case RUNBOOKS -> List.of(
                    "The operations runbook as guided procedures: redeploy, reset NATS, full reset.",
                    "Each step says why and shows its kubectl equivalent; dry-run first, resume after a failure.",
                    "Every action is written to the audit journal.");
            case EVENTS -> List.of(
                    "The namespace's events, warnings first, counted as Kubernetes counts them.",
                    "Each event leads to the pod or workload it concerns.",
                    "Replaces kubectl get events --sort-by=.lastTimestamp.");
        };
    }
}
