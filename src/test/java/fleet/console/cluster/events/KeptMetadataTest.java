package fleet.console.cluster.events;

import fleet.console.sandbox.api.EmulatedApi;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the pods' and events' informers keep ({@link KeptMetadata}): each object's name, namespace, uid,
 * version and owners, nothing else; and the events' rows stay whole through changes all the same.
 */
class KeptMetadataTest {

    private static final String NS = "kept";
    private static final String EVENT = "worker-1.17a";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aKeptObjectHasItsNameNamespaceUidVersionAndOwnersAndNothingElse() {
        Pod full = new PodBuilder().withNewMetadata().withName("worker-1").withNamespace(NS).withUid("worker-1-uid").withResourceVersion("7")
                .addToLabels("app", "worker").addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("worker-5f")
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("worker").withImage("registry.local/worker:1.0").endContainer()
                .endSpec().withNewStatus().withPhase("Running").endStatus().build();
        KeptMetadata<Pod> pods = new KeptMetadata<>(Pod::new);

        assertNull(pods.put(pods.getKey(full), full));
        Pod kept = pods.get(NS + "/worker-1");

        assertEquals("worker-1", kept.getMetadata().getName());
        assertEquals(NS, kept.getMetadata().getNamespace());
        assertEquals("worker-1-uid", kept.getMetadata().getUid());
        assertEquals("7", kept.getMetadata().getResourceVersion());
        assertEquals("worker-5f", kept.getMetadata().getOwnerReferences().get(0).getName());
        assertNull(kept.getSpec(), "no spec kept");
        assertNull(kept.getStatus(), "no status kept");
        assertTrue(kept.getMetadata().getLabels() == null || kept.getMetadata().getLabels().isEmpty(), "no labels kept");
        assertFalse(pods.isFullState(), "the informer must hand listed objects on whole, not read them back from here");
        assertEquals(kept, pods.put(NS + "/worker-1", full), "a put returns what was kept before");
        assertEquals(List.of(NS + "/worker-1"), pods.keySet().toList());

        KeptMetadata<Event> events = new KeptMetadata<>(Event::new);
        Event event = event(1, "Back-off restarting failed container");
        events.put(events.getKey(event), event);
        Event keptEvent = events.get(NS + "/" + EVENT);
        assertEquals(EVENT + "-uid", keptEvent.getMetadata().getUid());
        assertNull(keptEvent.getMessage(), "no message kept");
        assertNull(keptEvent.getInvolvedObject(), "no object kept");
        assertEquals(1, events.values().count());
        assertEquals(EVENT, events.remove(NS + "/" + EVENT).getMetadata().getName());
        assertEquals(0, events.size());
    }

    @Test
    void anEventsRowShowsTheWholeEventAndFollowsItsChangesThoughOnlyItsMetadataIsKept() throws Exception {
        try (EmulatedApi api = EmulatedApi.withNamespace(NS)) {
            KubernetesClient client = api.client();
            client.v1().events().inNamespace(NS).resource(event(1, "Back-off restarting failed container")).create();
            Rows rows = new Rows();
            try (EventWatch watch = EventWatch.start(client, NS, rows::changed)) {
                assertTrue(rows.await(r -> r.size() == 1, WAIT), "the event's row arrives");
                EventRow first = rows.rows().get(0);
                assertEquals("BackOff", first.reason());
                assertTrue(first.warning());
                assertEquals("Pod", first.objectKind());
                assertEquals("worker-1", first.objectName());
                assertEquals("Back-off restarting failed container", first.message());
                assertEquals(1, first.count());

                // The kubelet counts the same event again: the row follows, whole.
                Event again = client.v1().events().inNamespace(NS).withName(EVENT).get();
                again.setCount(5);
                again.setMessage("Back-off restarting failed container worker in pod worker-1");
                again.setLastTimestamp("2026-01-15T09:12:00Z");
                client.v1().events().inNamespace(NS).resource(again).update();
                assertTrue(rows.await(r -> r.size() == 1 && r.get(0).count() == 5, WAIT), "the new count shows: " + rows.rows());
                EventRow counted = rows.rows().get(0);
                assertEquals("Back-off restarting failed container worker in pod worker-1", counted.message());
                assertEquals("worker-1", counted.objectName());
                assertEquals(first.firstSeen(), counted.firstSeen());
                assertEquals(Instant.parse("2026-01-15T09:12:00Z"), counted.lastSeen());
                assertEquals(rows.rows(), watch.snapshot());

                client.v1().events().inNamespace(NS).withName(EVENT).delete();
                assertTrue(rows.await(List::isEmpty, WAIT), "a deleted event's row goes: " + rows.rows());
            }
        }
    }

    private static Event event(int count, String message) {
        return new EventBuilder().withNewMetadata().withName(EVENT).withNamespace(NS).withUid(EVENT + "-uid").endMetadata()
                .withType("Warning").withReason("BackOff").withMessage(message).withCount(count)
                .withNewInvolvedObject().withKind("Pod").withName("worker-1").withNamespace(NS).endInvolvedObject()
                .withFirstTimestamp("2026-01-15T09:10:00Z").withLastTimestamp("2026-01-15T09:10:00Z").build();
    }

    /** The rows as the watch hands them on: upserted by uid, removed by uid. */
    private static final class Rows {
        private final Map<String, EventRow> rows = new LinkedHashMap<>();

        synchronized void changed(List<EventRow> upserted, List<String> removedUids) {
            upserted.forEach(r -> rows.put(r.uid(), r));
            removedUids.forEach(rows::remove);
            notifyAll();
        }

        synchronized List<EventRow> rows() {
            return List.copyOf(rows.values());
        }

        synchronized boolean await(Predicate<List<EventRow>> condition, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.test(List.copyOf(rows.values()))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
