package fleet.console.ui.overview;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Informers on the Deployments, StatefulSets and Pods of one namespace, used only as a change signal:
 * whatever changes, {@code onChange} runs (on an informer thread). Informers rather than bare watches
 * because they re-list and resume by themselves after the API server drops a watch, which real
 * clusters do every few minutes.
 */
final class NamespaceChangeWatch implements AutoCloseable {

    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    private NamespaceChangeWatch() {
    }

    /**
     * Starts the informers; blocks for their first list, so call it off the FX thread. Each kind that
     * cannot be watched (RBAC) is reported to {@code onFailure} and the others still run.
     */
    static NamespaceChangeWatch start(KubernetesClient client, String namespace, Runnable onChange,
                                      Consumer<String> onFailure) {
        NamespaceChangeWatch watch = new NamespaceChangeWatch();
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
        watch.add("pods", () -> client.pods().inNamespace(namespace).inform(handler), onFailure);
        return watch;
    }

    private void add(String what, java.util.function.Supplier<SharedIndexInformer<?>> starter, Consumer<String> onFailure) {
        try {
            informers.add(starter.get());
        } catch (RuntimeException e) {
            onFailure.accept("Cannot watch " + what + ": " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }
}
