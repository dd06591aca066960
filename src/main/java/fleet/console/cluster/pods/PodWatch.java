package fleet.console.cluster.pods;

import fleet.console.cluster.events.KeptMetadata;
import fleet.console.cluster.events.LiveRows;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The namespace's pods as table rows, kept current by an informer (no polling). A second informer keeps
 * the ReplicaSets, so that a pod's Deployment is found through its ReplicaSet's owner without a GET per
 * pod. Both are listed at once; the pods' first rows are handed on once the ReplicaSets are in (or could
 * not be read), so they already name their Deployments.
 */
public final class PodWatch implements AutoCloseable {

    public interface Listener {
        /** On the informer's thread: rows added or changed, and uids removed. First call = initial list. */
        void changed(List<PodRow> upserted, List<String> removedUids);

        /** The watch lost the API server (stale = true, since when, why) or got it back (stale = false). */
        default void connection(boolean stale, Instant since, String why) {
        }
    }

    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final LiveRows<Pod, PodRow> pods;
    private final AtomicBoolean podsStarted = new AtomicBoolean();
    private final java.util.concurrent.CompletableFuture<Void> ownersRead = new java.util.concurrent.CompletableFuture<>();
    private final String namespace;

    private PodWatch(KubernetesClient client, String namespace, Listener listener) {
        this.namespace = namespace;
        this.replicaSets = client.apps().replicaSets().inNamespace(namespace).runnableInformer(0);
        // The informer's cache keeps only each pod's metadata (KeptMetadata); a row is made from the whole pod
        // as it arrives, and made again from its row and owners when a ReplicaSet names another Deployment.
        this.pods = new LiveRows<>(client.pods().inNamespace(namespace).runnableInformer(0).itemStore(new KeptMetadata<>(Pod::new)),
                pod -> PodRows.of(pod, this::workloadOf), new LiveRows.Listener<>() {
                    @Override
                    public void changed(List<PodRow> upserted, List<String> removedUids) {
                        listener.changed(upserted, removedUids);
                    }

                    @Override
                    public void connection(boolean stale, Instant since, String why) {
                        listener.connection(stale, since, why);
                    }
                }, Clock.systemUTC()).computeAgainWith((row, pod) -> row.withWorkload(PodRows.workload(pod, this::workloadOf)))
                .follow(fleet.console.cluster.ApiReachability.of(client)).firstListAfter(ownersRead);
        replicaSets.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ReplicaSet rs) {
                ownersChanged(rs);
            }

            @Override
            public void onUpdate(ReplicaSet before, ReplicaSet after) {
                if (!PodRows.workloadOfReplicaSet(before).equals(PodRows.workloadOfReplicaSet(after))) {
                    ownersChanged(after);
                }
            }

            @Override
            public void onDelete(ReplicaSet rs, boolean finalStateUnknown) {
                ownersChanged(rs);
            }
        });
        replicaSets.exceptionHandler((started, error) -> {
            // Pods matter more than their workload's name: without ReplicaSets (not allowed to list them,
            // or the server is away) the pods still come, showing the ReplicaSet as their owner.
            ownersRead.complete(null);
            return true;
        });
    }

    public static PodWatch start(KubernetesClient client, String namespace, Listener listener) {
        PodWatch watch = new PodWatch(client, namespace, listener);
        watch.replicaSets.start().whenComplete((ok, error) -> watch.ownersRead.complete(null));
        watch.startPods();
        return watch;
    }

    /** The rows as they are now (empty until the first list is in). */
    public List<PodRow> snapshot() {
        return pods.snapshot();
    }

    @Override
    public void close() {
        pods.close();
        replicaSets.close();
    }

    private void startPods() {
        if (podsStarted.compareAndSet(false, true)) {
            pods.start();
        }
    }

    private Optional<WorkloadRef> workloadOf(OwnerReference owner) {
        if (!"ReplicaSet".equals(owner.getKind())) {
            return Optional.empty();
        }
        // The cache is keyed namespace/name; the uid check keeps a ReplicaSet recreated under the same name
        // from answering for the old one.
        return Optional.ofNullable(replicaSets.getStore().getByKey(namespace + "/" + owner.getName()))
                .filter(rs -> owner.getUid() == null || owner.getUid().equals(rs.getMetadata().getUid()))
                .map(PodRows::workloadOfReplicaSet);
    }

    private void ownersChanged(ReplicaSet rs) {
        if (podsStarted.get()) {
            pods.refresh(pod -> PodRows.controller(pod).filter(o -> "ReplicaSet".equals(o.getKind())
                    && rs.getMetadata().getName().equals(o.getName())).isPresent());
        }
    }
}
