package fleet.console.sandbox.api;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexedEmulatorTest {

    private static final String[] NAMESPACES = {"swe-ai-fleet", "bench"};
    private static final String[] NAMES = {"orchestrator-0", "context-0", "nats-0", "ray-executor-0", "neo4j-0"};
    private static final String[] KINDS = {"pods", "services", "configmaps"};

    @Test
    void findsObjectsByNameWithTheSameAnswersAsTheEmulatorScanningAll() {
        IndexedEmulator indexed = new IndexedEmulator();
        assertTrue(indexed.indexed(), "fabric8's emulator keeps its store where the sandbox expects (else lookups scan)");
        KubernetesCrudDispatcher plain = new KubernetesCrudDispatcher();
        Random random = new Random(11);
        List<String> log = new ArrayList<>();
        int found = 0;
        int missing = 0;
        for (int step = 0; step < 3_000; step++) {
            String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
            String kind = KINDS[random.nextInt(KINDS.length)];
            String name = NAMES[random.nextInt(NAMES.length)];
            String collection = "/api/v1/namespaces/" + ns + "/" + kind;
            String one = collection + "/" + name;
            int op = random.nextInt(10);
            String what;
            HttpMethod method;
            String path;
            String body = null;
            if (op < 3) {
                what = "create " + one;
                method = HttpMethod.POST;
                path = collection;
                body = object(kind, ns, name, "v" + step);
            } else if (op < 5) {
                what = "replace " + one;
                method = HttpMethod.PUT;
                path = one;
                body = object(kind, ns, name, "r" + step);
            } else if (op < 6) {
                what = "delete " + one;
                method = HttpMethod.DELETE;
                path = one;
            } else if (op < 9) {
                what = "get " + one;
                method = HttpMethod.GET;
                path = one;
            } else {
                what = "list " + collection;
                method = HttpMethod.GET;
                path = collection;
            }
            MockResponse expected = plain.dispatch(request(method, path, body));
            MockResponse actual = indexed.dispatch(request(method, path, body));
            log.add(what + " -> " + expected.code());
            assertEquals(expected.code(), actual.code(), () -> "answer to " + what + " after " + String.join("\n", tail(log)));
            assertEquals(comparable(expected), comparable(actual), () -> "body for " + what);
            if (what.startsWith("get")) {
                if (expected.code() == 200) {
                    found++;
                } else {
                    missing++;
                }
            }
        }
        // The sequence exercised both answers a named read can have.
        assertTrue(found > 100 && missing > 100, "found " + found + ", missing " + missing);

        indexed.reset();
        plain.reset();
        MockResponse afterReset = indexed.dispatch(request(HttpMethod.GET, "/api/v1/namespaces/bench/pods/nats-0", null));
        assertEquals(404, afterReset.code(), "a reset emulator has nothing under any name");
    }

    @Test
    void aStoredObjectsVersionIsReadOnceAndAgainAfterItChanges() {
        IndexedEmulator emulator = new IndexedEmulator();
        String pods = "/api/v1/namespaces/bench/pods";
        emulator.dispatch(request(HttpMethod.POST, pods, object("pods", "bench", "nats-0", "a")));
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.ToLongFunction<String> read = json -> {
            reads.incrementAndGet();
            return ResumedWatches.version(json);
        };
        Map.Entry<io.fabric8.mockwebserver.crud.AttributeSet, String> stored = emulator.getMap().entrySet().iterator().next();
        long first = emulator.versionOf(stored.getKey(), stored.getValue(), read);
        assertEquals(first, emulator.versionOf(stored.getKey(), stored.getValue(), read));
        assertEquals(1, reads.get(), "the same stored text is read once");

        emulator.dispatch(request(HttpMethod.PUT, pods + "/nats-0", object("pods", "bench", "nats-0", "b")));
        Map.Entry<io.fabric8.mockwebserver.crud.AttributeSet, String> changed = emulator.getMap().entrySet().iterator().next();
        long second = emulator.versionOf(changed.getKey(), changed.getValue(), read);
        assertTrue(second > first, "the changed object's version " + second + " after " + first);
        assertEquals(2, reads.get());
    }

    private static List<String> tail(List<String> log) {
        return log.subList(Math.max(0, log.size() - 8), log.size());
    }

    private static String object(String kind, String ns, String name, String mark) {
        HasMetadata object = switch (kind) {
            case "pods" -> new PodBuilder().withNewMetadata().withName(name).withNamespace(ns)
                    .addToLabels("mark", mark).endMetadata().withNewSpec().addNewContainer().withName("app").withImage("img:" + mark)
                    .endContainer().endSpec().build();
            case "services" -> new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns)
                    .addToLabels("mark", mark).endMetadata().withNewSpec().addNewPort().withPort(4222).endPort().endSpec().build();
            default -> new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns)
                    .addToLabels("mark", mark).endMetadata().addToData("mark", mark).build();
        };
        return Serialization.asJson(object);
    }

    /** What must agree: the kind, namespace, name, labels, version and content; not the random uid or clock. */
    @SuppressWarnings("unchecked")
    private static String comparable(MockResponse response) {
        if (response.getBody() == null) {
            return "";
        }
        String body = response.getBody().readUtf8();
        Map<String, Object> tree = Serialization.unmarshal(body, Map.class);
        strip(tree);
        return String.valueOf(tree);
    }

    @SuppressWarnings("unchecked")
    private static void strip(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> m = (Map<String, Object>) map;
            m.remove("uid");
            m.remove("creationTimestamp");
            m.remove("deletionTimestamp");
            m.values().forEach(IndexedEmulatorTest::strip);
        } else if (node instanceof List<?> list) {
            list.forEach(IndexedEmulatorTest::strip);
        }
    }

    private static RecordedRequest request(HttpMethod method, String path, String body) {
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        return new RecordedRequest("HTTP/1.1", method, path, headers,
                new Buffer(body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
    }
}
