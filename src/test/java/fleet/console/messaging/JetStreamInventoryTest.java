package fleet.console.messaging;

import fleet.console.sandbox.nats.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consumers across every stream, with the numbers an operator acts on, checked against a scenario the
 * test drives on a real nats-server.
 */
class JetStreamInventoryTest {

    private static NatsServerProcess server;
    private static Connection nats;
    private static NatsLink link;

    @BeforeAll
    static void start() throws Exception {
        server = RealNats.start();
        nats = Nats.connect(server.url());
        link = NatsLink.open(new NatsTarget.Url(server.url()), null, Duration.ofSeconds(3));
        JetStreamManagement jsm = nats.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("PLANNING_EVENTS").subjects("planning.>").build());
        jsm.addStream(StreamConfiguration.builder().name("CONTEXT").subjects("context.>").build());
        jsm.addStream(StreamConfiguration.builder().name("EMPTY").subjects("empty.>").build());
        JetStream js = nats.jetStream();
        for (int i = 0; i < 10; i++) {
            js.publish("planning.story.transitioned", ("{\"story\":" + i + "}").getBytes());
        }
        for (int i = 0; i < 4; i++) {
            js.publish("context.updated", ("{\"n\":" + i + "}").getBytes());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (link != null) {
            link.close();
        }
        if (nats != null) {
            nats.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void pendingAckPendingRedeliveredAndBoundMatchWhatTheConsumersDid() throws Exception {
        JetStreamManagement jsm = nats.jetStreamManagement();
        JetStream js = nats.jetStream();
        // A pull durable that fetched 6, acked 4, nacked 1 (which came again and waits) and left 1 unacknowledged.
        jsm.addOrUpdateConsumer("PLANNING_EVENTS", ConsumerConfiguration.builder().durable("orch-planning-story-transitions")
                .filterSubject("planning.story.transitioned").ackPolicy(AckPolicy.Explicit).build());
        JetStreamSubscription pull = js.subscribe(null, PullSubscribeOptions.bind("PLANNING_EVENTS", "orch-planning-story-transitions"));
        List<Message> got = pull.fetch(6, Duration.ofSeconds(2));
        assertEquals(6, got.size());
        for (int i = 0; i < 4; i++) {
            got.get(i).ack();
        }
        got.get(4).nak();
        nats.flush(Duration.ofSeconds(1));
        // The server takes the nak in its own time: only once it is out of ack-pending is it the next to come again.
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (jsm.getConsumerInfo("PLANNING_EVENTS", "orch-planning-story-transitions").getNumAckPending() != 1
                && System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
        }
        assertEquals(1, pull.fetch(1, Duration.ofSeconds(2)).size(), "the nacked message is delivered again");
        // A push durable with a subscriber bound, and a leftover push durable nobody is bound to.
        var dispatcher = nats.createDispatcher();
        js.subscribe("context.updated", dispatcher, Message::ack, false,
                PushSubscribeOptions.builder().durable("context-push-live").build());
        jsm.addOrUpdateConsumer("CONTEXT", ConsumerConfiguration.builder().durable("context-push-v2").deliverSubject("_deliver.v2")
                .deliverGroup("collectors").filterSubject("context.updated").ackPolicy(AckPolicy.Explicit).build());
        nats.flush(Duration.ofSeconds(1));

        JetStreamInventory inventory = new JetStreamInventory(link.management());
        List<StreamRow> streams = inventory.streams();
        Map<String, ConsumerRow> all = inventory.allConsumers(streams).stream().collect(Collectors.toMap(ConsumerRow::durable, c -> c));

        assertEquals(List.of("CONTEXT", "EMPTY", "PLANNING_EVENTS"), streams.stream().map(StreamRow::name).toList());
        assertEquals(10, streams.get(2).messages());
        ConsumerRow orch = all.get("orch-planning-story-transitions");
        assertFalse(orch.push());
        assertEquals(4, orch.unprocessed(), "10 published, 6 delivered");
        assertEquals(2, orch.ackPending(), "one delivered and never acknowledged, one redelivered and waiting");
        assertEquals(1, orch.redelivered(), "the nacked one came again and is not acknowledged yet");
        assertEquals(List.of("planning.story.transitioned"), orch.filterSubjects());
        ConsumerRow live = all.get("context-push-live");
        assertTrue(live.push() && live.bound() && live.hasInterest());
        ConsumerRow leftover = all.get("context-push-v2");
        assertTrue(leftover.push() && !leftover.bound() && !leftover.hasInterest());
        assertEquals("collectors", leftover.deliverGroup());
        assertEquals(4, leftover.unprocessed());
        assertEquals(3, all.size(), "every consumer of every stream, and only those");
    }

    @Test
    void aMissingStreamIsEmptyRatherThanAnError() throws Exception {
        assertTrue(new JetStreamInventory(link.management()).stream("NOPE").isEmpty());
    }
}
