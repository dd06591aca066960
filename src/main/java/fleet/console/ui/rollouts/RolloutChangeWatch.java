package fleet.console.ui.rollouts;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Informers on what a rollout changes: Deployments and StatefulSets (their counts, revision, pause),
 * ReplicaSets and ControllerRevisions (the history and each revision's pods). Used as a change signal
 * only; informers re-list and resume by themselves after the API server drops a watch.
 */
final class RolloutChangeWatch implements AutoCloseable {

    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    private RolloutChangeWatch() {
    }

    /** Starts the informers (blocks for their first list: never on the FX thread). */
    static RolloutChangeWatch start(KubernetesClient client, String namespace, Runnable onChange, Consumer<String> onFailure) {
        RolloutChangeWatch watch = new RolloutChangeWatch();
        ResourceEventHandler<Object> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Object obj) {
                onChange.run();
            }

            @Override
            public void onUpdate(Object oldObj, Object newObj) {
                onChange.run();
            }

            @Override
            public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
                onChange.run();
            }
        };
        watch.add("deployments", () -> client.apps().deployments().inNamespace(namespace).inform(handler), onFailure);
        watch.add("statefulsets", () -> client.apps().statefulSets().inNamespace(namespace).inform(handler), onFailure);
        watch.add("replicasets", () -> client.apps().replicaSets().inNamespace(namespace).inform(handler), onFailure);
        watch.add("controllerrevisions", () -> client.apps().controllerRevisions().inNamespace(namespace).inform(handler), onFailure);
        return watch;
    }

    private void add(String what, Supplier<SharedIndexInformer<?>> starter, Consumer<String> onFailure) {
        try {
            informers.add(starter.get());
        } catch (RuntimeException e) {
            onFailure.accept("Cannot watch " + what + ": " + RolloutsViewModel.rootMessage(e));
        }
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }
}
