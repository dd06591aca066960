package fleet.console.sandbox.api;

import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes while watches close: every write is answered for what it did (201), never 500 because a
 * watch that was shutting down was still handed the event.
 */
class ClosingWatchesTest {

    private static final String NS = "default";
    private static Sandbox sandbox;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withEmpty(true).withNats(false).withRegistry(false));
        // No retries: a 500 would be hidden by the client's retry (which then meets 409 "already exists").
        Config config = sandbox.clientConfig();
        config.setRequestRetryBackoffLimit(0);
        client = new KubernetesClientBuilder().withConfig(config).build();
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
    void theEmulatorKeepsItsWatchListWhereThisFixReachesIt() {
        assertTrue(ClosingWatches.of(new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher()).effective(),
                "fabric8's emulator moved its watch list or lock; ClosingWatches must follow it");
    }

    @Test
    void createsAnsweredWhileWatchesOpenAndCloseAreNeverServerErrors() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        int[] created = {0};
        Thread writer = new Thread(() -> {
            for (int i = 0; !done.get() && failures.isEmpty(); i++) {
                ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("cm-" + i).withNamespace(NS).endMetadata()
                        .addToData("i", Integer.toString(i)).build();
                try {
                    client.configMaps().inNamespace(NS).resource(cm).create();
                    created[0]++;
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
        }, "writer");
        writer.start();
        try {
            for (int w = 0; w < 150 && failures.isEmpty(); w++) {
                Watch watch = client.configMaps().inNamespace(NS).watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
                watch.close();
            }
        } finally {
            done.set(true);
            writer.join();
        }
        assertEquals(List.of(), failures.stream().map(Throwable::getMessage).toList(), "writes answered with an error while watches closed");
        assertTrue(created[0] > 0, "the writer wrote while the watches came and went");
    }
}
