package fleet.console.sandbox.fleet;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A simulated service's own connection to the sandbox's real NATS server. */
final class NatsSession implements AutoCloseable {

    private final Connection connection;
    private final List<JetStreamSubscription> pulls = new java.util.concurrent.CopyOnWriteArrayList<>();

    private NatsSession(Connection connection) {
        this.connection = connection;
    }

    static NatsSession connect(String url, String name) {
        try {
            Options options = Options.builder().server(url).connectionName(name)
                    .connectionTimeout(Duration.ofSeconds(2)).maxReconnects(0)
                    // A simulated pod's connection dies with its pod; that is not worth a SEVERE log line.
                    .errorListener(new ErrorListener() { })
                    .build();
            return new NatsSession(Nats.connect(options));
        } catch (IOException e) {
            throw new IllegalStateException("nats: no servers available for connection (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS", e);
        }
    }

    /** Creates (or keeps) a pull durable on whichever stream captures its subject; empty when none does. */
    Optional<String> ensurePullDurable(String durable, String subject) {
        try {
            JetStreamManagement jsm = connection.jetStreamManagement();
            List<String> streams = jsm.getStreamNames(subject);
            if (streams.isEmpty()) {
                return Optional.empty();
            }
            String stream = streams.get(0);
            jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder()
                    .durable(durable).filterSubject(subject).ackPolicy(AckPolicy.Explicit).build());
            return Optional.of(stream);
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Binds to a pull durable this service owns, to work off what it holds. */
    void bindPull(String stream, String durable) {
        try {
            pulls.add(connection.jetStream().subscribe(null, PullSubscribeOptions.bind(stream, durable)));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Fetches and acknowledges what waits on the service's pull durables, as its handlers would; returns
     * how many messages it handled.
     */
    int workOff() {
        int handled = 0;
        for (JetStreamSubscription sub : pulls) {
            for (Message m : sub.fetch(200, Duration.ofMillis(30))) {
                m.ack();
                handled++;
            }
        }
        return handled;
    }

    JetStreamManagement management() {
        try {
            return connection.jetStreamManagement();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    boolean connected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
