package fleet.console.ui.nats;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.messaging.StreamRow;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.ui.common.Severity;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A port-forward that breaks mid-session: the NATS area reaches the fleet's NATS through a
 * port-forward to {@code nats-0}; the pod is deleted and its StatefulSet makes it again, which ends
 * the forward as the kubelet ends it. The area marks its data stale, keeps it, and comes back fresh
 * through a forward to the new pod, with no operator action.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsPortForwardBreakTest {

    private Sandbox sandbox;
    private ClusterSession session;
    private ScheduledExecutorService background;
    private ExecutorService ui;
    private NatsViewModel model;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withEventTrickle(false).withRegistry(false));
        Assumptions.assumeTrue(sandbox.natsUrl().isPresent(),
                "nats-server is not installed: sudo apt-get install -y nats-server (scripts/test installs it)");
        assertThat(sandbox.awaitFleetReady(Duration.ofSeconds(60))).isTrue();
        session = ClusterConnector.withDefaultTimeout().connect(sandbox.clientConfig(), Sandbox.CONTEXT_NAME, sandbox.namespace(), true);
        background = Executors.newScheduledThreadPool(4);
        ui = Executors.newSingleThreadExecutor();
        model = new NatsViewModel(FleetProfile::defaults, e -> { }, null, background, ui, Clock.systemUTC(), Duration.ofMillis(300));
    }

    @AfterAll
    void stop() throws Exception {
        if (model != null) {
            ui.submit(model::dispose).get(5, TimeUnit.SECONDS);
        }
        if (background != null) {
            background.shutdownNow();
            ui.shutdownNow();
        }
        if (session != null) {
            session.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static void await(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
    }

    /** Waits until the model's state satisfies the condition, judged on its UI thread where it changes that state step by step. */
    private void awaitModel(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> ui.submit(condition).get(5, TimeUnit.SECONDS));
    }

    private Pod nats() {
        return sandbox.client().pods().inNamespace(sandbox.namespace()).withName("nats-0").get();
    }

    @Test
    void aForwardToADeletedNatsPodIsMadeAgainToItsSuccessorAndTheDataComesBackFresh() throws Exception {
        ui.submit(() -> {
            model.setActive(true);
            model.connectTo(NatsSource.cluster(session));
        }).get(5, TimeUnit.SECONDS);
        awaitModel(20, () -> model.isLoaded() && model.isConnected() && model.stream("PLANNING_EVENTS").isPresent());
        StreamRow before = model.stream("PLANNING_EVENTS").orElseThrow();
        AtomicBoolean wentStale = new AtomicBoolean();
        ui.submit(() -> model.staleProperty().addListener((o, was, now) -> {
            if (now) {
                wentStale.set(true);
            }
        })).get(5, TimeUnit.SECONDS);
        String oldUid = nats().getMetadata().getUid();

        sandbox.client().pods().inNamespace(sandbox.namespace()).withName("nats-0").delete();

        await(20, wentStale::get);
        assertThat(model.stream("PLANNING_EVENTS")).as("the last data stays while stale").isPresent();
        await(30, () -> {
            Pod now = nats();
            return now != null && !now.getMetadata().getUid().equals(oldUid);
        });
        awaitModel(40, () -> model.isConnected() && !model.isStale() && model.reconnectsProperty().get() >= 1
                && model.connectionSeverityProperty().get() == Severity.OK);
        assertThat(model.connectionTextProperty().get()).contains("reconnected");
        // Fresh: a message published now shows in the count read through the new forward.
        long count = model.stream("PLANNING_EVENTS").orElseThrow().messages();
        try (io.nats.client.Connection direct = io.nats.client.Nats.connect(sandbox.natsUrl().orElseThrow())) {
            direct.jetStream().publish("planning.story.transitioned", "{\"story_id\":\"after-break\"}".getBytes());
        }
        awaitModel(20, () -> model.stream("PLANNING_EVENTS").orElseThrow().messages() >= count + 1);
        assertThat(model.stream("PLANNING_EVENTS").orElseThrow().name()).isEqualTo(before.name());
    }

    @Test
    void aForwardOrLinkWhoseClusterClientWasClosedEndsQuietlyInsteadOfReachingTheClosedClient() throws Exception {
        java.util.List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            // A forward whose client someone closed: the next local connection ends it.
            io.fabric8.kubernetes.client.KubernetesClient first =
                    new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build();
            io.fabric8.kubernetes.client.LocalPortForward forward =
                    fleet.console.cluster.PortForwards.open(first, sandbox.namespace(), "nats-0", 4222);
            first.close();
            try (java.net.Socket s = new java.net.Socket(forward.getLocalAddress(), forward.getLocalPort())) {
                await(10, () -> !forward.isAlive());
            }

            // A NATS link on such a client: when NATS reconnects, the link ends with its forward.
            io.fabric8.kubernetes.client.KubernetesClient forgetful =
                    new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build();
            fleet.console.messaging.NatsLink link = fleet.console.messaging.NatsLink.open(
                    fleet.console.messaging.NatsTarget.InCluster.fleet(sandbox.namespace()), forgetful, Duration.ofSeconds(5));
            forgetful.close();
            // The link may see its client closed and close its connection first: the end awaited below. jnats then
            // refuses a forced reconnect with RejectedExecutionException, or, while the close is under way, with a
            // NullPointerException from its executor already gone (seen on CI).
            if (link.connection().getStatus() != io.nats.client.Connection.Status.CLOSED) {
                try {
                    link.connection().forceReconnect();
                } catch (java.util.concurrent.RejectedExecutionException | NullPointerException closedMeanwhile) {
                    // Refused because the link is closing it: the wait below sees it closed.
                }
            }

            await(20, () -> link.connection().getStatus() == io.nats.client.Connection.Status.CLOSED && !link.state().connected());
            assertThat(uncaught).as("no thread met the closed client").isEmpty();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }
}
