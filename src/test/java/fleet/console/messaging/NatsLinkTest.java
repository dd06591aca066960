package fleet.console.messaging;

import fleet.console.sandbox.nats.NatsServerProcess;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The link says when it is stale and since when, reconnects by itself, and refuses clearly. */
class NatsLinkTest {

    @Test
    void serverKilledAndRestartedMarksStaleThenFreshWithoutReopening() throws Exception {
        NatsServerProcess server = RealNats.start();
        try (NatsLink link = NatsLink.open(new NatsTarget.Url(server.url()), null, Duration.ofSeconds(3))) {
            link.management().addStream(StreamConfiguration.builder().name("S").subjects("s.>").build());
            LinkedBlockingQueue<NatsLink.State> states = new LinkedBlockingQueue<>();
            link.onStateChange(states::add);

            server.pause();
            NatsLink.State stale = states.poll(10, TimeUnit.SECONDS);
            assertFalse(stale.connected());
            assertTrue(stale.staleSince().isPresent(), "stale since when");
            assertTrue(stale.why().contains("reconnecting"), stale.why());

            server.resume();
            NatsLink.State back = states.poll(15, TimeUnit.SECONDS);
            while (back != null && !back.connected()) {
                back = states.poll(15, TimeUnit.SECONDS);
            }
            assertTrue(back != null && back.connected(), "reconnected by itself");
            assertEquals(1, new JetStreamInventory(link.management()).streams().size(), "fresh data, same link");
        } finally {
            server.stop();
        }
    }

    @Test
    void aFirstConnectionCutBeforeTheGreetingIsTriedAgain() throws Exception {
        // As a port-forward whose first tunnel breaks (NatsLink.open tries again for in-cluster targets): the
        // relay closes every other connection at once and passes the others through to a real server.
        NatsServerProcess server = RealNats.start();
        java.net.URI target = java.net.URI.create(server.url());
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        try (ServerSocket relay = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!relay.isClosed()) {
                    try {
                        java.net.Socket in = relay.accept();
                        if (accepted.incrementAndGet() % 2 == 1) {
                            in.close();
                            continue;
                        }
                        java.net.Socket out = new java.net.Socket(target.getHost(), target.getPort());
                        pipe(in, out);
                        pipe(out, in);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            io.nats.client.Options options = io.nats.client.Options.builder().server("nats://127.0.0.1:" + relay.getLocalPort())
                    .connectionTimeout(Duration.ofSeconds(2)).errorListener(new io.nats.client.ErrorListener() { }).build();
            io.nats.client.Connection connection = NatsLink.connect(options, 2);
            try {
                assertEquals(io.nats.client.Connection.Status.CONNECTED, connection.getStatus());
                assertEquals(0, new JetStreamInventory(connection.jetStreamManagement()).streams().size());
            } finally {
                connection.close();
            }
            assertEquals(2, accepted.get(), "the cut connection, then the one that worked");
            // One attempt only: the cut attempt is the answer.
            assertThrows(IOException.class, () -> NatsLink.connect(options, 1));
            assertEquals(3, accepted.get());
        } finally {
            server.stop();
        }
    }

    private static void pipe(java.net.Socket from, java.net.Socket to) {
        Thread t = new Thread(() -> {
            try (from; to) {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException e) {
                // either side closed
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Test
    void unreachableServerIsRefusedQuicklyWithWhatToDo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        NatsProblem p = assertThrows(NatsProblem.class,
                () -> NatsLink.open(new NatsTarget.Url("nats://127.0.0.1:" + port), null, Duration.ofSeconds(2)));
        assertEquals(NatsProblem.Kind.UNREACHABLE, p.kind());
        assertTrue(p.getMessage().contains("nats://127.0.0.1:" + port), p.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000);
    }

    @Test
    void serverWithoutJetStreamIsRefusedSayingSo() throws Exception {
        var binary = NatsServerProcess.findBinary();
        org.junit.jupiter.api.Assumptions.assumeTrue(binary.isPresent(), "nats-server is not installed: sudo apt-get install -y nats-server");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process plain = new ProcessBuilder(binary.get().toString(), "-a", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            NatsProblem p = assertThrows(NatsProblem.class, () -> openWhenListening(port));
            assertEquals(NatsProblem.Kind.NO_JETSTREAM, p.kind(), p.describe());
            assertTrue(p.whatToDo().contains("JetStream"), p.whatToDo());
        } finally {
            plain.destroy();
            plain.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The plain server takes a moment to listen; connection refusals until then are not the point here. */
    private static NatsLink openWhenListening(int port) throws NatsProblem {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return NatsLink.open(new NatsTarget.Url("nats://127.0.0.1:" + port), null, Duration.ofSeconds(2));
            } catch (NatsProblem p) {
                if (p.kind() != NatsProblem.Kind.UNREACHABLE || System.nanoTime() > deadline) {
                    throw p;
                }
            }
        }
    }
}
