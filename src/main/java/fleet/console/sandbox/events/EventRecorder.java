package fleet.console.sandbox.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes core/v1 Events the way Kubernetes components do: one object per (object, reason, message),
 * whose count and lastTimestamp grow when it happens again ({@code BackOff} x 12). Writes go through a
 * thread of their own so a controller or the kubelet never waits on them.
 */
public final class EventRecorder implements AutoCloseable {

    /** Who reports: the component and host that real events carry. */
    public record Source(String component, String host) {
        public static final Source KUBELET = new Source("kubelet", "sandbox-node-1");
        public static final Source SCHEDULER = new Source("default-scheduler", null);
        public static final Source DEPLOYMENT = new Source("deployment-controller", null);
        public static final Source REPLICASET = new Source("replicaset-controller", null);
        public static final Source STATEFULSET = new Source("statefulset-controller", null);
        public static final Source JOB = new Source("job-controller", null);

        public static Source kubelet(String node) {
            return new Source("kubelet", node);
        }
    }

    private record Key(String uid, String fieldPath, String reason, String message) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sandbox-events");
        t.setDaemon(true);
        return t;
    });
    private final Map<Key, String> names = new HashMap<>();

    private final Runnable written;

    /** {@code written} runs after each event is stored, so that waits on events wake up. */
    public EventRecorder(KubernetesClient client, Clock clock, Runnable written) {
        this.client = client;
        this.clock = clock;
        this.written = written;
    }

    public void normal(HasMetadata object, Source source, String reason, String message) {
        record(object, null, source, "Normal", reason, message);
    }

    public void warning(HasMetadata object, Source source, String reason, String message) {
        record(object, null, source, "Warning", reason, message);
    }

    /** An event about one container of a pod ({@code spec.containers{name}}), as the kubelet reports them. */
    public void container(HasMetadata pod, String container, String type, String reason, String message, String node) {
        record(pod, "spec.containers{" + container + "}", Source.kubelet(node), type, reason, message);
    }

    public void record(HasMetadata object, String fieldPath, Source source, String type, String reason, String message) {
        ObjectReference ref = new ObjectReferenceBuilder()
                .withApiVersion(object.getApiVersion())
                .withKind(object.getKind())
                .withName(object.getMetadata().getName())
                .withNamespace(object.getMetadata().getNamespace())
                .withUid(object.getMetadata().getUid())
                .withResourceVersion(object.getMetadata().getResourceVersion())
                .withFieldPath(fieldPath)
                .build();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        writer.execute(() -> {
            write(ref, source, type, reason, message, now);
            written.run();
        });
    }

    private void write(ObjectReference ref, Source source, String type, String reason, String message, Instant now) {
        String namespace = ref.getNamespace() == null ? "default" : ref.getNamespace();
        Key key = new Key(ref.getUid(), ref.getFieldPath(), reason, message);
        try {
            String existing = names.get(key);
            if (existing != null) {
                Event updated = client.v1().events().inNamespace(namespace).withName(existing).edit(e -> {
                    e.setCount(e.getCount() == null ? 2 : e.getCount() + 1);
                    e.setLastTimestamp(now.toString());
                    return e;
                });
                if (updated != null) {
                    return;
                }
            }
            String name = ref.getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
            Event event = new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .withInvolvedObject(ref)
                    .withReason(reason)
                    .withMessage(message)
                    .withType(type)
                    .withNewSource().withComponent(source.component()).withHost(source.host()).endSource()
                    .withReportingComponent(source.component())
                    .withReportingInstance(source.host() == null ? source.component() : source.host())
                    .withFirstTimestamp(now.toString())
                    .withLastTimestamp(now.toString())
                    .withCount(1)
                    .build();
            client.v1().events().inNamespace(namespace).resource(event).create();
            names.put(key, name);
        } catch (KubernetesClientException e) {
            // An event about an object whose namespace is being deleted is lost, as on a real cluster.
            names.remove(key);
        } catch (IllegalStateException e) {
            // The sandbox is closing and its client with it: an event still queued is dropped.
            names.remove(key);
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
