package fleet.console.sandbox.fleet;

import fleet.console.messaging.DeclaredStreams;
import fleet.console.profile.StreamSpec;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What the NATS faults do to the sandbox's real server, as an operator's or an old version's mistake
 * would: a durable deleted, a durable recreated on another subject, a stream deleted (and put back).
 */
public final class NatsSurgery {

    private final FleetWorld world;

    public NatsSurgery(FleetWorld world) {
        this.world = world;
    }

    /** The stream that captures a subject on the server now, if any. */
    public Optional<String> streamOf(String subject) {
        return withNats(jsm -> {
            List<String> names = jsm.getStreamNames(subject);
            return names.isEmpty() ? Optional.<String>empty() : Optional.of(names.get(0));
        });
    }

    public void deleteConsumer(String stream, String durable) {
        withNats(jsm -> jsm.deleteConsumer(stream, durable));
    }

    /** Deletes the durable and creates it again filtering on {@code filter}: nothing it should get reaches it. */
    public void refilter(String stream, String durable, String filter) {
        withNats(jsm -> {
            if (jsm.getConsumerNames(stream).contains(durable)) {
                jsm.deleteConsumer(stream, durable);
            }
            return jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder()
                    .durable(durable).filterSubject(filter).ackPolicy(AckPolicy.Explicit).build());
        });
    }

    /** The subject a durable filters on now; empty when it does not exist (or filters on nothing). */
    public Optional<String> filterOf(String stream, String durable) {
        return withNats(jsm -> jsm.getConsumerNames(stream).contains(durable)
                ? Optional.ofNullable(jsm.getConsumerInfo(stream, durable).getConsumerConfiguration().getFilterSubject())
                : Optional.<String>empty());
    }

    public void deleteStream(String stream) {
        withNats(jsm -> jsm.deleteStream(stream));
    }

    /** Creates a declared stream again (empty), as the init-streams job would. */
    public void recreate(StreamSpec stream) {
        withNats(jsm -> {
            if (!jsm.getStreamNames().contains(stream.name())) {
                jsm.addStream(DeclaredStreams.configOf(stream));
            }
            return null;
        });
    }

    private interface Work<T> {
        T run(JetStreamManagement jsm) throws IOException, JetStreamApiException;
    }

    private <T> T withNats(Work<T> work) {
        String url = world.natsUrl().orElseThrow(() -> new IllegalArgumentException(
                "This fault needs the sandbox's real nats-server, which is not running (sudo apt-get install -y nats-server)."));
        try (NatsSession session = NatsSession.connect(url, "sandbox-fault")) {
            return work.run(session.management());
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("NATS refused the fault's change: " + e.getMessage(), e);
        }
    }
}
