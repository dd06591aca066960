package fleet.console.bench;

import fleet.console.messaging.ConsumerRow;
import fleet.console.messaging.JetStreamInventory;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.messaging.StreamRow;
import fleet.console.sandbox.nats.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How fast the NATS area lists a large server: 1,000 streams with 5 consumers each, every consumer's
 * details; and one stream's consumers refreshed. Printed as {@code name value unit (target)}.
 */
public final class NatsInventoryBenchmark {

    private NatsInventoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int streams = 1000;
        int perStream = 5;
        if (NatsServerProcess.findBinary().isEmpty()) {
            System.out.println("nats.list_1000x5 skipped: nats-server is not installed (sudo apt-get install -y nats-server)");
            return;
        }
        try (NatsServerProcess server = new NatsServerProcess()) {
            server.start();
            try (Connection c = Nats.connect(server.url())) {
                fill(c.jetStreamManagement(), streams, perStream);
            }
            try (NatsLink link = NatsLink.open(new NatsTarget.Url(server.url()), null, Duration.ofSeconds(5))) {
                JetStreamInventory inventory = new JetStreamInventory(link.management());
                // One warm-up pass: the console lists many times while open; the first pass pays class loading.
                inventory.allConsumers(inventory.streams());
                long best = Long.MAX_VALUE;
                int count = 0;
                for (int i = 0; i < 3; i++) {
                    long t0 = System.nanoTime();
                    List<StreamRow> rows = inventory.streams();
                    List<ConsumerRow> consumers = inventory.allConsumers(rows);
                    best = Math.min(best, (System.nanoTime() - t0) / 1_000_000);
                    count = consumers.size();
                }
                System.out.printf("nats.list_%dx%d %d ms (target < 2000) [%d consumers]%n", streams, perStream, best, count);
                long refresh = Long.MAX_VALUE;
                for (int i = 0; i < 20; i++) {
                    long t0 = System.nanoTime();
                    inventory.consumers("S0500");
                    refresh = Math.min(refresh, (System.nanoTime() - t0) / 1_000);
                }
                System.out.printf("nats.refresh_one_stream %.1f ms (target < 100)%n", refresh / 1000.0);
            }
        }
    }

    private static void fill(JetStreamManagement jsm, int streams, int perStream) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Void>> work = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                String name = String.format("S%04d", i);
                work.add(CompletableFuture.runAsync(() -> {
                    try {
                        jsm.addStream(StreamConfiguration.builder().name(name).subjects("bench." + name + ".>")
                                .storageType(StorageType.Memory).build());
                        for (int k = 0; k < perStream; k++) {
                            jsm.addOrUpdateConsumer(name, ConsumerConfiguration.builder().durable("d" + k)
                                    .filterSubject("bench." + name + "." + k).ackPolicy(AckPolicy.Explicit).build());
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            CompletableFuture.allOf(work.toArray(new CompletableFuture[0])).join();
        } finally {
            pool.shutdownNow();
        }
    }
}
