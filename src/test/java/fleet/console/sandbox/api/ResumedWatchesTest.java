package fleet.console.sandbox.api;

import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A watch from a resourceVersion opens with what changed after it, as on a real API server (an informer
 * has just listed the rest); a watch from no version opens with every object.
 */
class ResumedWatchesTest {

    private static final String NS = "default";
    private static Sandbox sandbox;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withEmpty(true).withNats(false).withRegistry(false));
        client = new KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void theEmulatorKeepsItsWatchWhereThisFixReachesIt() {
        assertTrue(ResumedWatches.of(new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher()).effective(),
                "fabric8's emulator changed its watch; ResumedWatches must follow it");
    }

    @Test
    void aWatchFromTheListsVersionOpensWithWhatChangedSinceOnly() throws Exception {
        for (String name : List.of("resume-a", "resume-b", "resume-c")) {
            create(name, "1");
        }
        String listed = client.configMaps().inNamespace(NS).list().getMetadata().getResourceVersion();
        client.configMaps().inNamespace(NS).resource(configMap("resume-b", "2")).update();

        List<String> fromList = eventsUntil(listed, "resume-d");
        assertEquals(List.of("ADDED resume-b 2", "ADDED resume-d 1"), fromList);

        List<String> fromNothing = eventsUntil(null, "resume-e");
        assertTrue(fromNothing.containsAll(List.of("ADDED resume-a 1", "ADDED resume-b 2", "ADDED resume-c 1", "ADDED resume-d 1")),
                fromNothing.toString());
        assertEquals("ADDED resume-e 1", fromNothing.get(fromNothing.size() - 1));
    }

    @Test
    void theVersionAskedForAndTheObjectsVersionAreReadFromTheRequestAndTheStoredObject() {
        assertEquals(OptionalLong.of(42), ResumedWatches.resourceVersion("/api/v1/namespaces/x/pods?resourceVersion=42&watch=true"));
        assertEquals(OptionalLong.empty(), ResumedWatches.resourceVersion("/api/v1/namespaces/x/pods?resourceVersion=0&watch=true"));
        assertEquals(OptionalLong.empty(), ResumedWatches.resourceVersion("/api/v1/namespaces/x/pods?watch=true"));
        assertEquals(OptionalLong.empty(), ResumedWatches.resourceVersion("/api/v1/namespaces/x/pods?resourceVersion=abc&watch=true"));
        String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{\"resourceVersion\":\"99\"},"
                + "\"labels\":{\"a\":\"b\"},\"name\":\"p\",\"resourceVersion\":\"7\"},\"spec\":{\"resourceVersion\":\"99\"}}";
        assertTrue(ResumedWatches.changedAfter(pod, 6));
        assertFalse(ResumedWatches.changedAfter(pod, 7));
        assertTrue(ResumedWatches.changedAfter("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}", 7), "no version: sent");
        assertTrue(ResumedWatches.changedAfter("not json", 7), "unreadable: sent");
    }

    /** The events of a watch from {@code version} until the creation of {@code marker} is seen (all before it). */
    private static List<String> eventsUntil(String version, String marker) throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Watcher<ConfigMap> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
                events.add(action + " " + cm.getMetadata().getName() + " " + cm.getData().get("v"));
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
        List<String> seen = new ArrayList<>();
        try (Watch watch = client.configMaps().inNamespace(NS).watch(new ListOptionsBuilder().withResourceVersion(version).build(), watcher)) {
            assertNotNull(watch);
            create(marker, "1");
            while (true) {
                String event = events.poll(30, TimeUnit.SECONDS);
                assertNotNull(event, "the marker's event did not come; seen " + seen);
                seen.add(event);
                if (event.startsWith("ADDED " + marker + " ")) {
                    return seen;
                }
            }
        }
    }

    private static void create(String name, String v) {
        client.configMaps().inNamespace(NS).resource(configMap(name, v)).create();
    }

    private static ConfigMap configMap(String name, String v) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata().addToData("v", v).build();
    }
}
