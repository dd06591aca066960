package fleet.console.runbook;

import fleet.console.cluster.ClusterWait;
import fleet.console.messaging.JetStreamInventory;
import fleet.console.messaging.NatsProblem;
import fleet.console.messaging.StreamRow;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runbook's "Emergency: complete system reset": offers a backup first, deletes the namespace (all
 * data in Neo4j, Valkey and NATS), waits until it is really gone, then the initial deployment. Says in
 * numbers what it destroys and needs the namespace's name typed back.
 */
final class SystemReset {

    private SystemReset() {
    }

    static Runbook plan(RunContext run) throws StepFailure {
        String ns = run.namespace();
        Namespace existing = run.client().namespaces().withName(ns).get();
        Runbook deploy = DeployAll.plan(run);
        List<Step> steps = new ArrayList<>();
        if (existing != null) {
            steps.addAll(Backup.steps(run));
        }
        steps.add(SimpleStep.of("delete-namespace", "Delete the namespace " + ns,
                "Complete cleanup: everything in the namespace goes, data included.",
                "Deletes the namespace; Kubernetes removes every object in it.",
                List.of("kubectl delete namespace " + ns), Duration.ofSeconds(30), r -> {
                    try {
                        if (r.client().namespaces().withName(ns).get() != null) {
                            r.client().namespaces().withName(ns).delete();
                            r.log("namespace/" + ns + " deleted");
                        } else {
                            r.log("namespace/" + ns + " is already gone");
                        }
                    } catch (KubernetesClientException e) {
                        throw new StepFailure("Could not delete namespace " + ns + ": " + e.getMessage(),
                                "Check that your account may delete namespaces, then resume.", e);
                    }
                }));
        steps.add(SimpleStep.of("await-namespace-gone", "Wait until " + ns + " is gone",
                "A namespace is Terminating until everything in it is deleted; nothing can be created in it meanwhile.",
                "Waits on a watch until the namespace no longer exists.",
                List.of("kubectl wait --for=delete namespace/" + ns + " --timeout=300s"), Duration.ofMinutes(5), r -> {
                    ClusterWait.Outcome o = ClusterWait.until(r.client().namespaces(), () -> r.client().namespaces().list().getItems(),
                            list -> list.stream().noneMatch(n -> ns.equals(n.getMetadata().getName())), r.timeLeft(), r.cancellation());
                    if (o == ClusterWait.Outcome.TIMED_OUT) {
                        Namespace n = r.client().namespaces().withName(ns).get();
                        throw new StepFailure("Namespace " + ns + " is still " + (n == null || n.getStatus() == null ? "there" : n.getStatus().getPhase())
                                + " after waiting for it to go.",
                                "Look for finalizers that hold it: kubectl get namespace " + ns + " -o yaml; then resume.");
                    }
                    r.log("namespace/" + ns + " is gone");
                }));
        steps.addAll(deploy.steps());
        String destroys = existing == null ? "nothing: namespace " + ns + " does not exist yet (the run deploys it from scratch)"
                : destroys(run);
        return new Runbook("system-reset", "Complete system reset",
                "Backs up the data stores, deletes " + ns + " and deploys everything again. " + deploy.description(), steps,
                Optional.of(destroys), existing == null ? Optional.empty() : Optional.of(ns), Optional.empty());
    }

    /** Everything the namespace holds, counted. */
    private static String destroys(RunContext run) {
        String ns = run.namespace();
        var c = run.client();
        int pods = c.pods().inNamespace(ns).list().getItems().size();
        int deployments = c.apps().deployments().inNamespace(ns).list().getItems().size();
        int statefulSets = c.apps().statefulSets().inNamespace(ns).list().getItems().size();
        int configMaps = c.configMaps().inNamespace(ns).list().getItems().size();
        int secrets = c.secrets().inNamespace(ns).list().getItems().size();
        List<PersistentVolumeClaim> claims = c.persistentVolumeClaims().inNamespace(ns).list().getItems();
        List<String> volumes = claims.stream().map(p -> p.getMetadata().getName() + " " + size(p)).toList();
        String nats;
        try {
            List<StreamRow> streams = new JetStreamInventory(run.nats().management()).streams();
            nats = String.format("%,d messages in %d streams", streams.stream().mapToLong(StreamRow::messages).sum(), streams.size());
        } catch (StepFailure | NatsProblem e) {
            nats = "every NATS stream (NATS did not answer to count them)";
        }
        return String.format("namespace %s: %d pods, %d deployments, %d statefulsets, %d configmaps, %d secrets, %d volumes with their data%s; %s",
                ns, pods, deployments, statefulSets, configMaps, secrets, claims.size(),
                volumes.isEmpty() ? "" : " (" + String.join(", ", volumes) + ")", nats);
    }

    private static String size(PersistentVolumeClaim p) {
        if (p.getSpec() == null || p.getSpec().getResources() == null || p.getSpec().getResources().getRequests() == null) {
            return "";
        }
        Quantity q = p.getSpec().getResources().getRequests().get("storage");
        return q == null ? "" : q.toString();
    }
}
