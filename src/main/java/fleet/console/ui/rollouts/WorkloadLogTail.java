package fleet.console.ui.rollouts;

import fleet.console.cluster.logs.LogSource;
import fleet.console.cluster.logs.LogStream;
import fleet.console.cluster.logs.LogStreamStatus;
import fleet.console.cluster.rollouts.WorkloadStatus;
import fleet.console.ui.logs.LogViewModel;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log tail of a workload while it rolls: every pod the workload owns is followed from the moment
 * it appears (its last few lines first, then live), old and new template alike, so the operator sees the
 * old pods stop and the new ones start in one view. A pod that is deleted ends its stream with
 * "gone"; a new pod (the safe path's pods of the old template, a rolling update's surge) is picked up
 * by the informer on the workload's own selector and owner references, never by name.
 * <p>
 * Lines go to a {@link LogViewModel.Feed} from the streams' own threads; nothing here runs on the FX
 * thread. Start it off the FX thread: the informer's first list blocks.
 */
final class WorkloadLogTail implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WorkloadLogTail.class.getName());
    /** Lines of each pod's past shown when it is first followed. */
    static final int TAIL_LINES = 20;

    private final KubernetesClient client;
    private final String namespace;
    private final WorkloadStatus workload;
    private final LogViewModel.Feed feed;
    private final Map<String, LogStream> streams = new LinkedHashMap<>();
    private SharedIndexInformer<Pod> informer;
    private boolean closed;

    private WorkloadLogTail(KubernetesClient client, String namespace, WorkloadStatus workload, LogViewModel.Feed feed) {
        this.client = client;
        this.namespace = namespace;
        this.workload = workload;
        this.feed = feed;
    }

    /** Follows the workload's pods into the feed until closed. */
    static WorkloadLogTail start(KubernetesClient client, String namespace, WorkloadStatus workload, LogViewModel.Feed feed) {
        WorkloadLogTail tail = new WorkloadLogTail(client, namespace, workload, feed);
        feed.prefixLines();
        feed.status("Following the pods of " + workload.kubectlName() + " as they come and go.", false);
        var pods = client.pods().inNamespace(namespace);
        SharedIndexInformer<Pod> informer = (workload.selector().isEmpty() ? pods : pods.withLabels(workload.selector()))
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        tail.seen(pod);
                    }

                    @Override
                    public void onUpdate(Pod before, Pod after) {
                        tail.seen(after);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        tail.gone(pod);
                    }
                });
        synchronized (tail) {
            if (tail.closed) {
                informer.close();
            } else {
                tail.informer = informer;
            }
        }
        return tail;
    }

    /** The pods followed so far, in the order they were first seen. */
    synchronized List<String> pods() {
        return List.copyOf(streams.keySet());
    }

    private synchronized void seen(Pod pod) {
        String name = pod.getMetadata().getName();
        if (closed || streams.containsKey(name) || !workload.owns(pod) || pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        LogSource source = LogSource.ofPod(namespace, name, Optional.empty(), false, true, OptionalInt.of(TAIL_LINES));
        LogStream stream = LogStream.open(client, source,
                feed.sink(s -> s.pod() + ": " + s.message(), s -> LogStreamStatus.ERROR.equals(s.kind())));
        streams.put(name, stream);
    }

    private synchronized void gone(Pod pod) {
        // The stream itself says the pod is gone once its follow ends; it is closed when the tail is.
        LOG.log(Level.FINE, "Pod {0} of {1} deleted", new Object[] {pod.getMetadata().getName(), workload.kubectlName()});
    }

    @Override
    public void close() {
        SharedIndexInformer<Pod> toClose;
        List<LogStream> open;
        synchronized (this) {
            closed = true;
            toClose = informer;
            informer = null;
            open = List.copyOf(streams.values());
        }
        if (toClose != null) {
            toClose.close();
        }
        open.forEach(LogStream::close);
    }
}
