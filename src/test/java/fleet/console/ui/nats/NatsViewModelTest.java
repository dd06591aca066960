package fleet.console.ui.nats;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.messaging.ConsumerSamples;
import fleet.console.ui.events.ObjectNavigator;
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
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * Waits until the condition holds, judged on the model's UI thread: the model changes its lists and titles there
     * one after the other, so a condition read from the test's thread could see a list already changed and a title not yet.
     */
    private void await(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> ui.submit(condition).get(5, TimeUnit.SECONDS));
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

    // ---- the consumer chart, go to pod, recreate, read-only ---------------------------------------

    /** A clock the test moves: the readings it stamps are minutes apart without waiting minutes. */
    private static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.systemDefault();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    private static final String PULL_KEY = "PLANNING_EVENTS > " + PULL;

    @Test
    void theSelectedConsumersChartKeepsItsReadingsOfTheLastTenMinutesAndFollowsItsCounts() throws Exception {
        TestClock clock = new TestClock();
        Instant t0 = clock.instant();
        model.dispose();
        model = new NatsViewModel(FleetProfile::defaults, journal::add, null, background, ui, clock, Duration.ofMillis(300));
        connect();
        assertThat(model.chartTitleProperty().get()).startsWith("Choose a consumer");

        onUi(() -> model.selectedConsumerProperty().set(PULL_KEY));
        await(10, () -> !model.selectedSamples().isEmpty());
        assertThat(model.selectedSamples()).allSatisfy(x -> {
            assertThat(x.time()).isEqualTo(t0);
            assertThat(x.unprocessed()).isEqualTo(25);
            assertThat(x.ackPending()).isZero();
        });

        // Four minutes later, two more messages and one delivered but not yet acknowledged.
        try (Connection nats = Nats.connect(server.url())) {
            nats.jetStream().publish("planning.story.transitioned", "{}".getBytes());
            nats.jetStream().publish("planning.story.transitioned", "{}".getBytes());
            var sub = nats.jetStream().subscribe("planning.story.transitioned",
                    io.nats.client.PullSubscribeOptions.bind("PLANNING_EVENTS", PULL));
            assertThat(sub.fetch(1, Duration.ofSeconds(5))).hasSize(1);
            clock.advance(Duration.ofMinutes(4));
            onUi(model::refresh);
            await(10, () -> last(model.selectedSamples()).time().equals(t0.plus(Duration.ofMinutes(4)))
                    && last(model.selectedSamples()).ackPending() == 1);
        }
        ConsumerSamples.Sample at4 = last(model.selectedSamples());
        assertThat(at4.unprocessed()).isEqualTo(26);
        assertThat(model.selectedSamples().get(0).time()).as("the first readings are still within the window").isEqualTo(t0);
        assertThat(model.chartTitleProperty().get()).startsWith(PULL_KEY + ": 26 unprocessed, 1 ack pending; ")
                .contains("over the last 4m");

        // Eleven minutes after the first reading: those readings are older than the chart's 10 minutes.
        clock.advance(Duration.ofMinutes(7));
        onUi(model::refresh);
        await(10, () -> last(model.selectedSamples()).time().equals(t0.plus(Duration.ofMinutes(11))));
        assertThat(model.selectedSamples()).extracting(ConsumerSamples.Sample::time).doesNotContain(t0)
                .contains(t0.plus(Duration.ofMinutes(4)));
        assertThat(model.selectedSamples()).hasSizeLessThanOrEqualTo(ConsumerSamples.DEFAULT_CAPACITY);

        // Another consumer chosen: its own readings, not the first one's.
        onUi(() -> model.selectedConsumerProperty().set("PLANNING_EVENTS > " + LEFTOVER));
        assertThat(model.selectedSamples()).isNotEmpty().allSatisfy(x -> assertThat(x.ackPending()).isZero());
        assertThat(model.chartTitleProperty().get()).startsWith("PLANNING_EVENTS > " + LEFTOVER + ": 27 unprocessed");

        // A consumer deleted on the server is forgotten with its readings.
        try (Connection nats = Nats.connect(server.url())) {
            nats.jetStreamManagement().deleteConsumer("PLANNING_EVENTS", LEFTOVER);
        }
        onUi(model::refresh);
        await(10, () -> model.selectedSamples().isEmpty());
        assertThat(model.chartTitleProperty().get()).contains("no readings yet");
    }

    private static ConsumerSamples.Sample last(List<ConsumerSamples.Sample> series) {
        return series.isEmpty() ? new ConsumerSamples.Sample(Instant.EPOCH, -1, -1, -1) : series.get(series.size() - 1);
    }

    @Test
    void goToPodLeadsToTheWorkloadThatOwnsTheConsumerAndSaysWhyNotForAnUnownedOne() throws Exception {
        List<String> shown = new CopyOnWriteArrayList<>();
        model.setNavigator(new ObjectNavigator() {
            @Override
            public boolean show(String kind, String name) {
                shown.add(kind + "/" + name);
                return true;
            }

            @Override
            public boolean canShow(String kind) {
                return true;
            }
        });
        connect();
        try (Connection nats = Nats.connect(server.url())) {
            nats.jetStreamManagement().addOrUpdateConsumer("LEGACY", ConsumerConfiguration.builder().durable("nobodys-durable")
                    .ackPolicy(AckPolicy.Explicit).build());
        }
        onUi(model::refresh);
        await(10, () -> model.consumer("LEGACY > nobodys-durable").isPresent());

        assertThat(model.ownerWorkload(consumer(PULL))).contains(new WorkloadRef("Deployment", "context"));
        assertThat(ui.submit(() -> model.goToOwner(consumer(LEFTOVER))).get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(shown).containsExactly("Deployment/orchestrator");

        assertThat(ui.submit(() -> model.goToOwner(model.consumer("LEGACY > nobodys-durable").orElseThrow())).get(5, TimeUnit.SECONDS))
                .isFalse();
        assertThat(shown).hasSize(1);
        assertThat(model.actionSeverityProperty().get()).isEqualTo(Severity.WARNING);
        assertThat(model.actionResultProperty().get()).startsWith("No service of the profile owns LEGACY > nobodys-durable");
    }

    @Test
    void recreatingTheDeclaredStreamsSaysWhatItDestroysThenLeavesExactlyTheDeclaredSet() throws Exception {
        FleetProfile profile = FleetProfile.defaults();
        try (Connection nats = Nats.connect(server.url())) {
            // Declared, but drifted: other subjects and a limit the profile does not have.
            nats.jetStreamManagement().addStream(StreamConfiguration.builder().name("AGENT_REQUESTS").subjects("agent.wrong.>")
                    .maxMessages(10).build());
            nats.jetStream().publish("agent.wrong.x", "{}".getBytes());
        }
        connect();
        await(10, () -> model.stream("AGENT_REQUESTS").isPresent());
        assertThat(model.drift()).filteredOn(r -> r.stream().equals("AGENT_REQUESTS")).extracting(StreamDrift.Row::kind)
                .containsExactly(StreamDrift.Kind.DIFFERENT);
        List<Double> progress = new CopyOnWriteArrayList<>();
        onUi(() -> model.actionProgressProperty().addListener((o, old, now) -> progress.add(now.doubleValue())));

        onUi(model::requestRecreate);
        await(10, () -> model.getPendingConfirmation() != null);
        Confirmation c = model.getPendingConfirmation();
        assertThat(c.kind()).isEqualTo(Confirmation.Kind.RECREATE_DECLARED);
        assertThat(c.parts()).hasSize(profile.streams().size());
        assertThat(c.impact().messages()).isEqualTo(26);
        assertThat(c.impact().consumers()).isEqualTo(2);
        assertThat(c.numbers())
                .contains("Streams deleted and created again: 2 (PLANNING_EVENTS, AGENT_REQUESTS)")
                .contains("Streams created (missing now): 3 (AGENT_RESPONSES, CONTEXT, ORCHESTRATOR_EVENTS)")
                .contains("Messages: 26").contains("Consumers: 2 (deleted with their streams)");
        assertThat(c.impact().summary()).startsWith("Recreating the 5 declared streams deletes 2 of them (PLANNING_EVENTS, AGENT_REQUESTS) "
                + "with 26 messages").contains("Streams the profile does not declare are left alone.");
        assertThat(c.typeBack()).contains(Confirmation.RECREATE_WORD);
        assertThat(c.command()).contains("nats --server " + server.url() + " stream rm PLANNING_EVENTS --force")
                .contains("stream add CONTEXT --subjects").doesNotContain("stream rm CONTEXT");
        assertThat(journal).as("nothing done before the yes").isEmpty();

        assertThat(ui.submit(() -> model.confirm("yes")).get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(model.confirmationProblemProperty().get()).isEqualTo("Type recreate exactly to recreate the streams; nothing was changed.");
        assertThat(ui.submit(() -> model.confirm("recreate")).get(5, TimeUnit.SECONDS)).isTrue();
        await(15, () -> model.actionResultProperty().get().startsWith("Recreated"));

        assertThat(model.actionResultProperty().get()).startsWith("Recreated the declared streams: 5 created as declared (")
                .contains("26 messages and 2 consumers were destroyed with the 2 that existed").endsWith("Recorded in the audit journal.");
        assertThat(model.actionProgressProperty().get()).as("the progress bar goes away").isEqualTo(-1);
        assertThat(progress).as("progress was shown between start and end").anySatisfy(p -> assertThat(p).isGreaterThan(0).isLessThan(1));
        try (Connection nats = Nats.connect(server.url())) {
            JetStreamManagement jsm = nats.jetStreamManagement();
            Set<String> declared = new java.util.TreeSet<>(profile.streams().stream().map(fleet.console.profile.StreamSpec::name).toList());
            Set<String> expected = new java.util.TreeSet<>(declared);
            expected.add("LEGACY");
            assertThat(new java.util.TreeSet<>(jsm.getStreamNames())).as("the declared set, and the undeclared stream left alone")
                    .isEqualTo(expected);
            List<StreamRow> rows = new fleet.console.messaging.JetStreamInventory(jsm).streams();
            assertThat(StreamDrift.compare(profile, rows)).filteredOn(r -> declared.contains(r.stream()))
                    .allSatisfy(r -> assertThat(r.kind()).as(r.stream() + " " + r.differences()).isEqualTo(StreamDrift.Kind.SAME))
                    .hasSize(declared.size());
            for (String name : declared) {
                assertThat(jsm.getStreamInfo(name).getStreamState().getMsgCount()).as(name + " is empty").isZero();
                assertThat(jsm.getConsumerNames(name)).as(name + " has no consumers").isEmpty();
            }
            assertThat(jsm.getStreamInfo("LEGACY").getConfiguration().getSubjects()).containsExactly("legacy.>");
        }
        await(10, () -> !model.driftedProperty().get() || model.drift().stream()
                .filter(r -> r.kind() != StreamDrift.Kind.SAME).allMatch(r -> r.stream().equals("LEGACY")));
        assertThat(journal).filteredOn(e -> e.action().equals("nats stream rm")).extracting(AuditEntry::target)
                .containsExactlyInAnyOrder("AGENT_REQUESTS", "PLANNING_EVENTS");
        assertThat(journal).filteredOn(e -> e.action().equals("nats stream add")).extracting(AuditEntry::target)
                .containsExactlyInAnyOrderElementsOf(declared(profile));
    }

    private static List<String> declared(FleetProfile profile) {
        return profile.streams().stream().map(fleet.console.profile.StreamSpec::name).toList();
    }

    @Test
    void inReadOnlyModeEveryNatsChangeIsRefusedWithTheReasonAndNothingIsChanged() throws Exception {
        ClusterSession readOnly = new ClusterSession(null, "prod", "swe-ai-fleet", "https://prod:6443", "v1.30", false, true);
        ClusterSession writable = new ClusterSession(null, "prod", "swe-ai-fleet", "https://prod:6443", "v1.30", false, false);
        onUi(() -> model.useUrl(server.url()));
        await(10, () -> model.isLoaded() && model.stream("PLANNING_EVENTS").isPresent());
        assertThat(NatsPermits.ACTIONS).allSatisfy(a -> assertThat(model.permits().refusalNow(a)).as(a).isNull());

        onUi(() -> model.show(readOnly));
        assertThat(NatsPermits.ACTIONS).allSatisfy(a -> assertThat(model.permits().refusalNow(a)).as(a).isEqualTo(NatsPermits.READ_ONLY));
        assertThat(NatsPermits.READ_ONLY).contains("read-only mode is on");
        assertThat(model.permits().summaryProperty().get()).isEqualTo(NatsPermits.SUMMARY);
        assertThat(model.sourceLabelProperty().get()).as("the URL chosen stays the source").isEqualTo(server.url());

        onUi(model::publish);
        assertThat(model.publishResultProperty().get()).isEqualTo("Not published. " + NatsPermits.READ_ONLY);
        assertThat(model.publishSeverityProperty().get()).isEqualTo(Severity.PROBLEM);
        onUi(() -> model.requestPurge("PLANNING_EVENTS"));
        onUi(() -> model.requestDeleteStream("PLANNING_EVENTS"));
        onUi(() -> model.requestDeleteConsumer("PLANNING_EVENTS", PULL));
        onUi(model::requestRecreate);
        assertThat(model.getPendingConfirmation()).as("nothing is even asked").isNull();
        assertThat(model.actionResultProperty().get()).isEqualTo(NatsPermits.READ_ONLY);
        onUi(model::refresh);
        await(5, () -> model.stream("PLANNING_EVENTS").orElseThrow().messages() == 25);
        assertThat(consumer(PULL).consumer().unprocessed()).isEqualTo(25);
        assertThat(journal).isEmpty();

        // Writable again: the purge is offered with its numbers (and not done before the yes).
        onUi(() -> model.show(writable));
        assertThat(NatsPermits.ACTIONS).allSatisfy(a -> assertThat(model.permits().refusalNow(a)).as(a).isNull());
        assertThat(model.permits().summaryProperty().get()).isNull();
        onUi(() -> model.requestPurge("PLANNING_EVENTS"));
        await(10, () -> model.getPendingConfirmation() != null);
        // Read-only mode switched on while the dialog is open: the yes does nothing.
        onUi(() -> model.show(readOnly));
        assertThat(ui.submit(() -> model.confirm("")).get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(model.getPendingConfirmation()).isNull();
        onUi(model::refresh);
        await(5, () -> model.stream("PLANNING_EVENTS").orElseThrow().messages() == 25);
        assertThat(journal).isEmpty();
    }
}
