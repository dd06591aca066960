package fleet.console.messaging;

import fleet.console.audit.AuditEntry;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.nats.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Destructive actions say what they destroy in numbers first; the test publish says where it went. */
class NatsActionsTest {

    private static NatsServerProcess server;
    private static Connection nats;
    private static NatsLink link;
    private final List<AuditEntry> journal = new CopyOnWriteArrayList<>();
    private NatsActions actions;

    @BeforeAll
    static void start() throws Exception {
        server = RealNats.start();
        nats = Nats.connect(server.url());
        link = NatsLink.open(new NatsTarget.Url(server.url()), null, Duration.ofSeconds(3));
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

    @BeforeEach
    void freshStreams() throws Exception {
        JetStreamManagement jsm = nats.jetStreamManagement();
        for (String s : jsm.getStreamNames()) {
            jsm.deleteStream(s);
        }
        jsm.addStream(StreamConfiguration.builder().name("PLANNING_EVENTS").subjects("planning.>").build());
        jsm.addStream(StreamConfiguration.builder().name("LEGACY").subjects("legacy.>").build());
        JetStream js = nats.jetStream();
        for (int i = 0; i < 25; i++) {
            js.publish("planning.story.transitioned", ("{\"story_id\":\"s-" + i + "\"}").getBytes());
        }
        jsm.addOrUpdateConsumer("PLANNING_EVENTS", ConsumerConfiguration.builder().durable("context-planning-story-transitions")
                .filterSubject("planning.story.transitioned").ackPolicy(AckPolicy.Explicit).build());
        js.subscribe("planning.>", nats.createDispatcher(), m -> { }, false,
                PushSubscribeOptions.builder().durable("monitoring-dashboard").build());
        nats.flush(Duration.ofSeconds(1));
        actions = new NatsActions(link, "sandbox", "swe-ai-fleet", journal::add, Clock.systemUTC());
    }

    @Test
    void purgeSaysHowManyMessagesGoAndWhichConsumersAreBoundThenPurges() throws Exception {
        Impact impact = actions.purgeImpact("PLANNING_EVENTS");
        assertEquals(25, impact.messages());
        assertEquals(2, impact.consumers());
        assertEquals(List.of("monitoring-dashboard"), impact.bound());
        assertTrue(impact.summary().startsWith("Purging PLANNING_EVENTS destroys 25 messages ("), impact.summary());

        actions.purge("PLANNING_EVENTS");

        assertEquals(0, new JetStreamInventory(link.management()).stream("PLANNING_EVENTS").orElseThrow().messages());
        assertEquals("nats stream purge", journal.get(0).action());
        assertEquals("ok: 25 messages purged", journal.get(0).result());
    }

    @Test
    void deletingAStreamCountsItsMessagesAndConsumersAndAsksForTheNameTyped() throws Exception {
        Impact impact = actions.deleteStreamImpact("PLANNING_EVENTS");
        assertTrue(impact.summary().contains("destroys 25 messages") && impact.summary().contains("its 2 consumers")
                && impact.summary().contains("Type the stream's name"), impact.summary());
        actions.deleteStream("PLANNING_EVENTS");
        assertTrue(new JetStreamInventory(link.management()).stream("PLANNING_EVENTS").isEmpty());
    }

    @Test
    void recreateLeavesExactlyTheDeclaredStreamsAsDeclaredAndTouchesNoOther() throws Exception {
        FleetProfile profile = FleetProfile.defaults();
        List<Impact> impacts = actions.recreateImpact(profile);
        assertEquals(5, impacts.size());
        assertEquals(25, impacts.stream().filter(i -> i.target().equals("PLANNING_EVENTS")).findFirst().orElseThrow().messages());

        actions.recreateDeclared(profile);

        List<StreamRow> now = new JetStreamInventory(link.management()).streams();
        List<StreamDrift.Row> drift = StreamDrift.compare(profile, now);
        assertTrue(drift.stream().filter(r -> !r.stream().equals("LEGACY")).allMatch(r -> r.kind() == StreamDrift.Kind.SAME), drift.toString());
        assertEquals(StreamDrift.Kind.EXTRA, drift.stream().filter(r -> r.stream().equals("LEGACY")).findFirst().orElseThrow().kind());
        assertEquals(0, now.stream().filter(s -> s.name().equals("PLANNING_EVENTS")).findFirst().orElseThrow().messages());
    }

    @Test
    void testPublishSaysWhichStreamAndSequenceAndWhichConsumersMoved() throws Exception {
        NatsActions.PublishResult result = actions.publish("planning.story.transitioned", "{\"story_id\":\"test-001\"}");
        assertEquals(Optional.of("PLANNING_EVENTS"), result.stream());
        assertEquals(26, result.sequence());
        assertTrue(result.consumersMoved().contains("context-planning-story-transitions 25 -> 26"), result.consumersMoved().toString());

        List<StoredMessage> last = actions.lastMessages("PLANNING_EVENTS", Optional.empty(), 3);
        assertEquals(List.of(24L, 25L, 26L), last.stream().map(StoredMessage::sequence).toList());
        assertEquals("{\n  \"story_id\": \"test-001\"\n}", last.get(2).pretty());
    }

    @Test
    void publishToASubjectNoStreamCapturesSaysSo() throws Exception {
        NatsActions.PublishResult result = actions.publish("nobody.listens", "x");
        assertTrue(result.stream().isEmpty());
        assertEquals("ok: no stream captures it, core subscribers only", journal.get(0).result());
    }

    @Test
    void wildcardSubjectIsRefusedAndNothingIsSent() throws Exception {
        NatsProblem p = org.junit.jupiter.api.Assertions.assertThrows(NatsProblem.class, () -> actions.publish("planning.>", "x"));
        assertTrue(p.whatToDo().contains("without spaces or wildcards"));
        assertEquals(25, new JetStreamInventory(link.management()).stream("PLANNING_EVENTS").orElseThrow().messages());
        assertTrue(journal.isEmpty());
    }
}
