package fleet.console.messaging;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The console's connection to NATS: checked before it is handed out (the server answers, the
 * credentials are accepted, JetStream is on), reconnecting by itself when the server or the
 * port-forward goes away, and saying since when what it shows is stale.
 */
public final class NatsLink implements AutoCloseable {

    /** Connected, or stale since a moment, for the reason given. */
    public record State(boolean connected, Optional<Instant> staleSince, String why) {
    }

    private final Connection connection;
    private final LocalPortForward forward;
    /** The client carrying {@link #forward}; null without one. */
    /** Attempts at an in-cluster link's first connection (see {@link #connect(Options, int)}). */
    static final int IN_CLUSTER_ATTEMPTS = 3;

    private volatile KubernetesClient kubernetes;
    private final String label;
    private final Clock clock;
    private final List<Consumer<State>> listeners = new CopyOnWriteArrayList<>();
    private volatile State state;

    private NatsLink(Connection connection, LocalPortForward forward, String label, Clock clock, State state) {
        this.connection = connection;
        this.forward = forward;
        this.label = label;
        this.clock = clock;
        this.state = state;
    }

    /**
     * Opens a link. {@code kubernetes} is needed only for {@link NatsTarget.InCluster}.
     *
     * @throws NatsProblem unreachable, refused, no JetStream, no NATS pod: with what to do
     */
    public static NatsLink open(NatsTarget target, KubernetesClient kubernetes, Duration timeout) throws NatsProblem {
        Clock clock = Clock.systemUTC();
        LocalPortForward forward = null;
        Options.Builder options = Options.builder()
                .connectionName("fleet-console")
                .connectionTimeout(timeout)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500))
                .errorListener(new ErrorListener() { });
        String url;
        if (target instanceof NatsTarget.Context c) {
            url = c.context().url();
            applyContext(options, c.context());
        } else if (target instanceof NatsTarget.InCluster in) {
            forward = portForward(kubernetes, in);
            url = "nats://127.0.0.1:" + forward.getLocalPort();
        } else {
            url = ((NatsTarget.Url) target).url();
        }
        Holder holder = new Holder();
        options.server(url).connectionListener((conn, event) -> holder.event(event));
        Connection connection;
        try {
            // Through a port-forward the first tunnel can break while the API server is busy: tried again, each
            // attempt a new tunnel. A URL or context fails at once, so a mistyped address is said without waiting.
            connection = connect(options.build(), target instanceof NatsTarget.InCluster ? IN_CLUSTER_ATTEMPTS : 1);
        } catch (IOException e) {
            closeQuietly(forward);
            String message = String.valueOf(e.getMessage());
            if (refusedCredentials(e)) {
                throw new NatsProblem(NatsProblem.Kind.UNAUTHORIZED, "NATS at " + target.label() + " refused the credentials: " + message + ".",
                        "Check the user, token or creds file (nats context edit), or ask for an account with JetStream access.", e);
            }
            throw new NatsProblem(NatsProblem.Kind.UNREACHABLE, "Cannot reach NATS at " + target.label() + ": " + message + ".",
                    target instanceof NatsTarget.InCluster ? "Check that the nats pod is Ready (the Pods area shows why not)."
                            : "Check that the server runs and the URL is right; on a cluster, use the port-forward instead of a URL.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(forward);
            throw new NatsProblem(NatsProblem.Kind.UNREACHABLE, "Connecting to NATS was interrupted.", "Try again.", e);
        }
        try {
            JetStreamManagement jsm = connection.jetStreamManagement();
            jsm.getAccountStatistics();
        } catch (IOException | JetStreamApiException e) {
            closeQuietly(connection);
            closeQuietly(forward);
            throw new NatsProblem(NatsProblem.Kind.NO_JETSTREAM, "NATS at " + target.label() + " answers, but JetStream is not available: "
                    + e.getMessage() + ".", "Start nats-server with JetStream (-js), or use an account that has JetStream enabled.", e);
        }
        NatsLink link = new NatsLink(connection, forward, target.label(), clock, new State(true, Optional.empty(), "connected"));
        link.kubernetes = forward == null ? null : kubernetes;
        holder.link = link;
        return link;
    }

    /** Routes connection events to the link once it exists (the listener is set before the link is built). */
    private static final class Holder {
        volatile NatsLink link;

        void event(ConnectionListener.Events event) {
            NatsLink l = link;
            if (l != null) {
                l.onEvent(event);
            }
        }
    }

    private void onEvent(ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> {
                if (forwardOutlivedItsClient()) {
                    // Whoever closed the Kubernetes client forgot this link: a reconnect through the
                    // forward would reach a closed client. The forward and the link end here.
                    update(new State(false, Optional.of(clock.instant()), "the cluster connection carrying " + label + " was closed"));
                    closeQuietly(forward);
                    java.util.concurrent.CompletableFuture.runAsync(this::close);
                    return;
                }
                update(new State(false, Optional.of(clock.instant()), "lost the connection to " + label + "; reconnecting"));
            }
            case RECONNECTED, RESUBSCRIBED -> update(new State(true, Optional.empty(), "reconnected to " + label));
            case CLOSED -> update(new State(false, state.staleSince().or(() -> Optional.of(clock.instant())), "connection closed"));
            default -> {
            }
        }
    }

    private void update(State next) {
        if (state.connected() == next.connected() && state.why().equals(next.why())) {
            return;
        }
        if (!next.connected() && state.staleSince().isPresent()) {
            next = new State(false, state.staleSince(), next.why());
        }
        state = next;
        for (Consumer<State> l : listeners) {
            l.accept(next);
        }
    }

    private static LocalPortForward portForward(KubernetesClient kubernetes, NatsTarget.InCluster in) throws NatsProblem {
        if (kubernetes == null) {
            throw new IllegalArgumentException("A port-forward needs a Kubernetes client");
        }
        try {
            Service service = kubernetes.services().inNamespace(in.namespace()).withName(in.service()).get();
            Map<String, String> selector = service == null || service.getSpec().getSelector() == null ? Map.of("app", in.service())
                    : service.getSpec().getSelector();
            Optional<Pod> pod = kubernetes.pods().inNamespace(in.namespace()).withLabels(selector).list().getItems().stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                    .findFirst();
            if (pod.isEmpty()) {
                throw new NatsProblem(NatsProblem.Kind.NO_NATS_POD, "No running NATS pod behind service " + in.service() + " in namespace "
                        + in.namespace() + ".", "Look at the nats pods in the Pods area (kubectl get pods -n " + in.namespace()
                        + " -l app=nats); the initial deployment runbook creates them.");
            }
            return fleet.console.cluster.PortForwards.open(kubernetes, in.namespace(), pod.get().getMetadata().getName(), in.port());
        } catch (KubernetesClientException e) {
            throw new NatsProblem(NatsProblem.Kind.PORT_FORWARD, "Cannot port-forward to NATS in " + in.namespace() + ": " + e.getMessage(),
                    "Check the connection to the cluster, and that your account may create pods/portforward.", e);
        }
    }

    /** The server said no to the user, token or creds file: asking again would not change its answer. */
    private static boolean refusedCredentials(IOException e) {
        return String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("authorization");
    }

    /**
     * Connects in at most {@code attempts} attempts, one after the other: each waits for the server's
     * greeting within the connection timeout, so no pause is added between them. Refused credentials are
     * not tried again.
     */
    static Connection connect(Options options, int attempts) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return Nats.connect(options);
            } catch (IOException e) {
                if (refusedCredentials(e) || attempt >= attempts) {
                    throw e;
                }
            }
        }
    }

    private static void applyContext(Options.Builder options, NatsContext c) throws NatsProblem {
        try {
            if (c.creds().isPresent()) {
                options.authHandler(Nats.credentials(c.creds().get().toString()));
            } else if (c.nkey().isPresent()) {
                options.authHandler(Nats.staticCredentials(null, java.nio.file.Files.readString(c.nkey().get()).trim().toCharArray()));
            } else if (c.token().isPresent()) {
                options.token(c.token().get().toCharArray());
            } else if (c.user().isPresent()) {
                options.userInfo(c.user().get().toCharArray(), c.password().orElse("").toCharArray());
            }
            if (c.ca().isPresent() || c.cert().isPresent()) {
                options.sslContext(Tls.context(c));
            }
        } catch (IOException | RuntimeException e) {
            throw new NatsProblem(NatsProblem.Kind.BAD_CONTEXT, "The natscli context '" + c.name() + "' cannot be used: " + e.getMessage(),
                    "Check its credential and TLS files (nats context info " + c.name() + ").", e);
        }
    }

    public Connection connection() {
        return connection;
    }

    public State state() {
        return state;
    }

    public String label() {
        return label;
    }

    /** Told of every change of {@link #state()}, on jnats' thread. */
    public void onStateChange(Consumer<State> listener) {
        listeners.add(listener);
    }

    public JetStreamManagement management() throws NatsProblem {
        try {
            return connection.jetStreamManagement();
        } catch (IOException e) {
            throw new NatsProblem(NatsProblem.Kind.NO_JETSTREAM, "JetStream is not available: " + e.getMessage(), "Reconnect.", e);
        }
    }

    private boolean forwardOutlivedItsClient() {
        return forward != null && kubernetes != null && kubernetes.getHttpClient().isClosed();
    }

    @Override
    public void close() {
        closeQuietly(connection);
        closeQuietly(forward);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(LocalPortForward f) {
        if (f != null) {
            try {
                f.close();
            } catch (IOException e) {
                // The tunnel is going away either way.
            }
        }
    }
}
