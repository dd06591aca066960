package fleet.console.ui.nats;

import fleet.console.audit.AuditEntry;
import fleet.console.messaging.ConsumerHealth;
import fleet.console.messaging.NatsTarget;
import fleet.console.messaging.StreamDrift;
import fleet.console.messaging.StreamRow;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.nats.NatsServerProcess;
import fleet.console.ui.common.Severity;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testfx.util.WaitForAsyncUtils;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NATS area's view-model against a real nats-server: what an operator reads (streams, consumers
 * with the stale ones judged, drift), what the actions say before and after, and the connection going
 * stale and coming back. Its clock runs 2 minutes ahead of the server's, so a leftover durable made
 * by the test has been ignored long enough to be judged, while the working one has not been idle long.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsViewModelTest {

    private static final String LEFTOVER = "deliberation-collector-completed-v2";
    private static final String PULL = "context-planning-story-transitions";

    private NatsServerProcess server;
    private ScheduledExecutorService background;
    private ExecutorService ui;
    private final List<AuditEntry> journal = new CopyOnWriteArrayList<>();
    private NatsViewModel model;

    @BeforeAll
    void startServer() {
        Assumptions.assumeTrue(NatsServerProcess.findBinary().isPresent(),
                "nats-server is not installed: sudo apt-get install -y nats-server (scripts/test installs it)");
        server = new NatsServerProcess();
        server.start();
        background = Executors.newScheduledThreadPool(4);
        // One thread, like the FX thread: results are applied one at a time, in order.
        ui = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    void stopServer() throws InterruptedException {
        if (background != null) {
            background.shutdownNow();
            ui.shutdownNow();
            background.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void scenario() throws Exception {
        try (Connection nats = Nats.connect(server.url())) {
            JetStreamManagement jsm = nats.jetStreamManagement();
            for (String s : jsm.getStreamNames()) {
                jsm.deleteStream(s);
            }
            jsm.addStream(StreamConfiguration.builder().name("PLANNING_EVENTS").subjects("planning.>").maxAge(Duration.ofDays(7))
                    .maxMessages(1_000_000).build());
            jsm.addStream(StreamConfiguration.builder().name("LEGACY").subjects("legacy.>").build());
            JetStream js = nats.jetStream();
            for (int i = 0; i < 25; i++) {
                js.publish("planning.story.transitioned", ("{\"story_id\":\"s-" + i + "\"}").getBytes());
            }
            jsm.addOrUpdateConsumer("PLANNING_EVENTS", ConsumerConfiguration.builder().durable(PULL)
                    .filterSubject("planning.story.transitioned").ackPolicy(AckPolicy.Explicit).build());
            // An older version's push durable: a deliver subject nobody listens on any more.
            jsm.addOrUpdateConsumer("PLANNING_EVENTS", ConsumerConfiguration.builder().durable(LEFTOVER)
                    .deliverSubject("_deliver.deliberation-collector.v2").deliverGroup("collectors").ackPolicy(AckPolicy.Explicit).build());
        }
        journal.clear();
        model = new NatsViewModel(FleetProfile::defaults, journal::add, null, background, ui,
                Clock.offset(Clock.systemDefaultZone(), Duration.ofMinutes(2)), Duration.ofMillis(300));
    }

    @AfterEach
    void disposeModel() {
        model.dispose();
    }

    private NatsSource source() {
        return new NatsSource(new NatsTarget.Url(server.url()), null, "test", "swe-ai-fleet");
    }

    private void connect() throws Exception {
        onUi(() -> model.connectTo(source()));
        await(10, () -> model.isLoaded() && model.stream("PLANNING_EVENTS").isPresent());
    }

    private void onUi(Runnable r) throws Exception {
        ui.submit(r).get(5, TimeUnit.SECONDS);
    }

    private static void await(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
    }

    private ConsumerHealth consumer(String durable) {
        return model.allConsumers().stream().filter(c -> c.consumer().durable().equals(durable)).findFirst().orElseThrow();
    }

    @Test
    void listsStreamsWithTheirNumbersAndEveryConsumerFlaggingTheLeftoverDurableAsStaleWithItsOwner() throws Exception {
        connect();

        assertThat(model.connectionSeverityProperty().get()).isEqualTo(Severity.OK);
        assertThat(model.connectionTextProperty().get()).isEqualTo("Connected to NATS at " + server.url());
        assertThat(model.streams()).extracting(StreamRow::name).containsExactly("LEGACY", "PLANNING_EVENTS");
        StreamRow planning = model.stream("PLANNING_EVENTS").orElseThrow();
        assertThat(planning.messages()).isEqualTo(25);
        assertThat(planning.consumers()).isEqualTo(2);
        assertThat(model.summaryProperty().get()).startsWith("2 streams, 25 messages, 2 consumers (1 stale)");

        ConsumerHealth leftover = consumer(LEFTOVER);
        assertThat(leftover.stale()).isTrue();
        assertThat(leftover.owner()).contains("orchestrator");
        assertThat(leftover.verdict()).isEqualTo("25 unprocessed, never delivered to anyone since it was created 2m ago");
        ConsumerHealth pull = consumer(PULL);
        assertThat(pull.stale()).isFalse();
        assertThat(pull.owner()).contains("context");
        assertThat(pull.consumer().unprocessed()).isEqualTo(25);

        // Filters: streams by name or subject; consumers by text and "stale only".
        onUi(() -> model.streamFilterProperty().set("legacy.>"));
        assertThat(model.streams()).extracting(StreamRow::name).containsExactly("LEGACY");
        onUi(() -> {
            model.streamFilterProperty().set("");
            model.staleOnlyProperty().set(true);
        });
        assertThat(model.allConsumers()).extracting(c -> c.consumer().durable()).containsExactly(LEFTOVER);
        assertThat(model.consumersSummaryProperty().get()).contains("1 stale");

        // The consumers of one stream.
        onUi(() -> model.selectedStreamProperty().set("LEGACY"));
        assertThat(model.streamConsumers()).isEmpty();
        onUi(() -> model.selectedStreamProperty().set("PLANNING_EVENTS"));
        assertThat(model.streamConsumers()).extracting(c -> c.consumer().durable()).containsExactlyInAnyOrder(PULL, LEFTOVER);
    }

    @Test
    void driftShowsTheDeclaredStreamsThatAreMissingAndTheExtraOne() throws Exception {
        connect();

        assertThat(model.driftedProperty().get()).isTrue();
        assertThat(model.drift()).filteredOn(r -> r.stream().equals("PLANNING_EVENTS")).extracting(StreamDrift.Row::kind)
                .containsExactly(StreamDrift.Kind.SAME);
        assertThat(model.drift()).filteredOn(r -> r.stream().equals("LEGACY")).extracting(StreamDrift.Row::kind)
                .containsExactly(StreamDrift.Kind.EXTRA);
        assertThat(model.drift()).filteredOn(r -> r.kind() == StreamDrift.Kind.MISSING).extracting(StreamDrift.Row::stream)
                .containsExactlyInAnyOrder("AGENT_REQUESTS", "AGENT_RESPONSES", "CONTEXT", "ORCHESTRATOR_EVENTS");
        assertThat(model.driftSummaryProperty().get()).isEqualTo("5 of 6 streams differ from the profile's declared streams.");
    }

    @Test
    void testPublishSaysWhereTheMessageWentAndTheStreamsCountGoesUp() throws Exception {
        connect();
        onUi(() -> {
            model.publishSubjectProperty().set("planning.story.transitioned");
            model.publishDataProperty().set("{\"story_id\":\"test-001\"}");
        });
        assertThat(model.publishCommand()).isEqualTo("nats --server " + server.url()
                + " pub planning.story.transitioned '{\"story_id\":\"test-001\"}'");

        onUi(model::publish);
        await(10, () -> !model.publishResultProperty().get().isEmpty());

        assertThat(model.publishSeverityProperty().get()).isEqualTo(Severity.OK);
        assertThat(model.publishResultProperty().get())
                .startsWith("Published to planning.story.transitioned: stream PLANNING_EVENTS, sequence 26.")
                .contains(PULL + " 25 -> 26");
        await(10, () -> model.stream("PLANNING_EVENTS").orElseThrow().messages() == 26);
        assertThat(journal).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("nats publish");
            assertThat(e.result()).isEqualTo("ok: PLANNING_EVENTS sequence 26");
        });
    }

    @Test
    void purgeFirstStatesWhatItDestroysInNumbersThenPurgesAndJournals() throws Exception {
        connect();

        onUi(() -> model.requestPurge("PLANNING_EVENTS"));
        await(10, () -> model.getPendingConfirmation() != null);
        Confirmation c = model.getPendingConfirmation();
        assertThat(c.impact().messages()).isEqualTo(25);
        assertThat(c.impact().consumers()).isEqualTo(2);
        assertThat(c.typeBack()).isEmpty();
        assertThat(c.numbers()).contains("Messages: 25", "Consumers: 2 (kept");
        assertThat(c.numbers()).containsPattern("Bytes: [\\d.]+ (B|KiB) \\([\\d,]+ B\\)");
        assertThat(c.command()).isEqualTo("nats --server " + server.url() + " stream purge PLANNING_EVENTS --force");
        assertThat(model.stream("PLANNING_EVENTS").orElseThrow().messages()).as("nothing done before the yes").isEqualTo(25);

        boolean started = ui.submit(() -> model.confirm("")).get(5, TimeUnit.SECONDS);
        assertThat(started).isTrue();
        await(10, () -> model.actionResultProperty().get().startsWith("Purged"));
        assertThat(model.actionResultProperty().get()).startsWith("Purged PLANNING_EVENTS: 25 messages");
        assertThat(model.actionSeverityProperty().get()).isEqualTo(Severity.OK);
        await(10, () -> model.stream("PLANNING_EVENTS").orElseThrow().messages() == 0);
        assertThat(journal).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("nats stream purge");
            assertThat(e.target()).isEqualTo("PLANNING_EVENTS");
            assertThat(e.result()).isEqualTo("ok: 25 messages purged");
        });
    }

    @Test
    void deletingAStreamNeedsItsNameTypedBackExactly() throws Exception {
        connect();

        onUi(() -> model.requestDeleteStream("PLANNING_EVENTS"));
        await(10, () -> model.getPendingConfirmation() != null);
        Confirmation c = model.getPendingConfirmation();
        assertThat(c.typeBack()).contains("PLANNING_EVENTS");
        assertThat(c.numbers()).contains("Messages: 25", "Consumers: 2 (deleted with the stream)");

        boolean started = ui.submit(() -> model.confirm("planning_events")).get(5, TimeUnit.SECONDS);
        assertThat(started).isFalse();
        assertThat(model.confirmationProblemProperty().get()).isEqualTo("Type PLANNING_EVENTS exactly to delete it; nothing was deleted.");
        assertThat(model.getPendingConfirmation()).isSameAs(c);
        onUi(model::refresh);
        await(5, () -> model.stream("PLANNING_EVENTS").isPresent());

        started = ui.submit(() -> model.confirm("PLANNING_EVENTS")).get(5, TimeUnit.SECONDS);
        assertThat(started).isTrue();
        await(10, () -> model.stream("PLANNING_EVENTS").isEmpty());
        assertThat(model.actionResultProperty().get()).startsWith("Deleted stream PLANNING_EVENTS with 25 messages");
        assertThat(journal).anySatisfy(e -> assertThat(e.action()).isEqualTo("nats stream rm"));
    }

    @Test
    void lastMessagesOfAStreamAreReadNewestLastWithoutCreatingAConsumer() throws Exception {
        connect();
        onUi(() -> model.selectedStreamProperty().set("PLANNING_EVENTS"));

        onUi(model::showLastMessages);
        await(10, () -> model.messages().size() == NatsViewModel.LAST_MESSAGES);

        assertThat(model.messages().get(model.messages().size() - 1).sequence()).isEqualTo(25);
        assertThat(model.messages().get(0).sequence()).isEqualTo(6);
        assertThat(model.messages().get(0).pretty()).contains("\"story_id\"").contains("s-5");
        assertThat(model.messagesTitleProperty().get()).startsWith("The last 20 messages of PLANNING_EVENTS");
        assertThat(model.lastMessagesCommand()).isEqualTo("nats --server " + server.url() + " stream view PLANNING_EVENTS 20");
        await(5, () -> model.stream("PLANNING_EVENTS").orElseThrow().consumers() == 2);
    }

    @Test
    void serverGoneMarksTheDataStaleSinceWhenAndItComesBackFreshByItself() throws Exception {
        connect();
        StreamRow before = model.stream("PLANNING_EVENTS").orElseThrow();

        server.pause();
        try {
            await(15, model::isStale);
            assertThat(model.staleSinceProperty().get()).isNotNull();
            assertThat(model.connectionSeverityProperty().get()).isEqualTo(Severity.WARNING);
            assertThat(model.connectionTextProperty().get()).startsWith("Stale since ");
            assertThat(model.adviceProperty().get()).isNotEmpty();
            assertThat(model.stream("PLANNING_EVENTS")).as("the last data stays, marked stale").contains(before);
        } finally {
            server.resume();
        }

        await(30, () -> !model.isStale() && model.isConnected());
        assertThat(model.reconnectsProperty().get()).isGreaterThanOrEqualTo(1);
        assertThat(model.connectionSeverityProperty().get()).isEqualTo(Severity.OK);
        assertThat(model.connectionTextProperty().get()).startsWith("Connected to NATS at " + server.url() + ", reconnected ");
        assertThat(model.stream("PLANNING_EVENTS").orElseThrow().messages()).isEqualTo(25);
    }

    @Test
    void anUnreachableServerIsSaidWithWhatToDoAndNothingIsShownAsIfRead() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "nats://127.0.0.1:" + port;
        onUi(() -> model.connectTo(new NatsSource(new NatsTarget.Url(url), null, "test", "swe-ai-fleet")));

        await(15, () -> model.connectionSeverityProperty().get() == Severity.PROBLEM);
        assertThat(model.connectionTextProperty().get()).startsWith("Cannot reach NATS at " + url);
        assertThat(model.adviceProperty().get()).contains("Trying again every");
        assertThat(model.isLoaded()).isFalse();
        assertThat(model.streams()).isEmpty();
        assertThat(model.summaryProperty().get()).isEqualTo("Nothing read yet from " + url + ".");
    }
}
