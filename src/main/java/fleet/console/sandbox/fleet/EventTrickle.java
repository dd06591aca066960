package fleet.console.sandbox.fleet;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The fleet's background traffic in the sandbox: a trickle of planning, context and orchestration
 * events on the real nats-server, so that consumer counts move during a demo; and what older versions
 * of the fleet left behind on the server (the {@code -v2} deliberation collector, a push durable with
 * nobody bound to it, whose unprocessed count only grows).
 */
public final class EventTrickle implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventTrickle.class.getName());

    /** A leftover of the fleet's second collector version: push, with a deliver group, no subscriber since. */
    public static final String LEFTOVER_DURABLE = "deliberation-collector-completed-v2";

    private static final List<String> SUBJECTS = List.of(
            "planning.story.transitioned", "context.updated", "orchestration.deliberation.completed",
            "planning.plan.approved", "agent.response.completed", "orchestration.task.dispatched",
            "planning.story.created", "context.milestone.reached");

    private final String url;
    private final Duration period;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-event-trickle");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong published = new AtomicLong();
    private volatile Connection connection;
    private volatile boolean leftoversDone;

    public EventTrickle(String url, Duration period) {
        this.url = url;
        this.period = period;
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many events were published so far. */
    public long published() {
        return published.get();
    }

    private void tick() {
        try {
            Connection c = connection();
            if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
                return;
            }
            JetStreamManagement jsm = c.jetStreamManagement();
            if (!leftoversDone) {
                leftoversDone = leaveOlderVersionsBehind(jsm);
            }
            long n = published.get();
            String subject = SUBJECTS.get((int) (n % SUBJECTS.size()));
            if (jsm.getStreamNames(subject).isEmpty()) {
                // No stream captures it (streams deleted for a reset): core NATS only, as the services would.
                c.publish(subject, payload(subject, n));
            } else {
                c.jetStream().publish(subject, payload(subject, n));
            }
            published.incrementAndGet();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            // NATS down or streams being reset: the next tick tries again, as the services' publishers do.
            LOG.log(Level.FINE, "Event trickle tick skipped", e);
        }
    }

    private boolean leaveOlderVersionsBehind(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        List<String> streams = jsm.getStreamNames("agent.response.completed");
        if (streams.isEmpty()) {
            return false;
        }
        String stream = streams.get(0);
        if (!jsm.getConsumerNames(stream).contains(LEFTOVER_DURABLE)) {
            jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder()
                    .durable(LEFTOVER_DURABLE)
                    .deliverSubject("_deliver.deliberation-collector.v2")
                    .deliverGroup("deliberation-collectors")
                    .filterSubject("agent.response.completed")
                    .deliverPolicy(DeliverPolicy.All)
                    .ackPolicy(AckPolicy.Explicit)
                    .build());
        }
        return true;
    }

    private Connection connection() {
        Connection c = connection;
        if (c != null) {
            return c;
        }
        try {
            c = Nats.connect(Options.builder().server(url).connectionName("sandbox-event-trickle")
                    .maxReconnects(-1).reconnectWait(Duration.ofMillis(250)).errorListener(new ErrorListener() { }).build());
            connection = c;
            return c;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static byte[] payload(String subject, long n) {
        String id = String.format("%s-%05d", subject.split("\\.")[0].substring(0, 4), n);
        String json = "{\"event_id\":\"" + id + "\",\"subject\":\"" + subject + "\",\"story_id\":\"story-" + (100 + n % 17)
                + "\",\"at\":\"" + Instant.now() + "\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
