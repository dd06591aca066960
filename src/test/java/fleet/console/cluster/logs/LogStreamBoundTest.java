package fleet.console.cluster.logs;

import fleet.console.bench.FloodApiServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A follow whose view stops taking lines (a frozen or very slow consumer) while its pod floods: the
 * stream reads no further ahead than its bound, the rest stays with the server, and once the view takes
 * lines again every line arrives, in order, none twice. Against a real HTTP server serving the log as
 * the API does ({@link FloodApiServer}, the log benchmark's), through the real client.
 */
class LogStreamBoundTest {

    /** About 26 MB of log: far more than the connection's and the client's buffers hold. */
    private static final int LINES = 200_000;
    private static final int BOUND = 2_000;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The flood's first line's time; each next line is a microsecond later. */
    private static final Instant FIRST = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void aStuckViewHoldsTheStreamAtItsBoundAndOnceItTakesLinesAgainEveryLineArrivesOnceInOrder() throws Exception {
        try (FloodApiServer server = new FloodApiServer(LINES)) {
            server.prepare();
            Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url())
                    .withNamespace(FloodApiServer.NAMESPACE).withHttp2Disable(true).build();
            StuckSink sink = new StuckSink();
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
                 LogStream stream = LogStream.open(client, LogSource.ofPod(FloodApiServer.NAMESPACE, FloodApiServer.POD,
                         Optional.of(FloodApiServer.CONTAINER), false, true, OptionalInt.of(0)), sink, BOUND)) {
                assertTrue(sink.stuck.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the first lines reach the view");

                // The view is stuck in its first batch: the reader goes on until the bound, then waits.
                assertTrue(await(stream::readerWaiting), "the reader waits for room instead of reading on");
                assertTrue(stream.linesOnTheirWay() <= BOUND,
                        stream.linesOnTheirWay() + " lines read ahead of the view; the bound is " + BOUND);
                assertEquals(0, server.writtenAt(), "the rest of the log stays with the server while the view is stuck");

                sink.release();
                assertTrue(await(() -> sink.count() == LINES), "every line arrives once the view takes lines again: "
                        + sink.count() + " of " + LINES);
                List<LogLine> lines = sink.lines();
                for (int i = 0; i < lines.size(); i++) {
                    Instant expected = FIRST.plusNanos(1_000L * i);
                    if (!lines.get(i).time().equals(expected)) {
                        throw new AssertionError("line " + i + " is the one written at " + lines.get(i).time()
                                + ", not " + expected + ": a line missing, repeated or out of order");
                    }
                }
                assertTrue(sink.paces() > 0, "the readers ask the sink for their pace (the screen's frames go first)");
                assertEquals(0, stream.dropped(), "no line lost");
                assertEquals(0, stream.linesOnTheirWay(), "nothing left on its way");
            }
        }
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** A view that takes the first batch and then stops, inside the delivery's call, until released. */
    private static final class StuckSink implements LogStream.Sink {
        private final List<LogLine> lines = new ArrayList<>();
        private final CountDownLatch stuck = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        @Override
        public void lines(List<LogLine> batch) {
            synchronized (this) {
                lines.addAll(batch);
            }
            stuck.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private final java.util.concurrent.atomic.AtomicInteger paces = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void pace() {
            paces.incrementAndGet();
        }

        int paces() {
            return paces.get();
        }

        void release() {
            released.countDown();
        }

        synchronized int count() {
            return lines.size();
        }

        synchronized List<LogLine> lines() {
            return List.copyOf(lines);
        }
    }
}
