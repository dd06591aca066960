package fleet.console.runbook;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.Cancellation;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsProblem;
import fleet.console.profile.FleetProfile;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a step works with: the cluster and namespace, the profile, NATS (opened on first use), the
 * run's options, the values it recorded (saved at once, so a resumed run has them), its cancellation
 * and deadline, and where its log lines and progress go.
 */
public final class RunContext {

    /** Opens the NATS link a step needs (port-forward on a cluster, the sandbox's server otherwise). */
    @FunctionalInterface
    public interface NatsOpener {
        NatsLink open() throws NatsProblem;
    }

    private final KubernetesClient client;
    private final String contextName;
    private final String namespace;
    private final FleetProfile profile;
    private final RunOptions options;
    private final NatsOpener natsOpener;
    private final Consumer<AuditEntry> journal;
    private final Clock clock;
    private final Cancellation cancellation = new Cancellation();
    private final Map<String, String> values = new LinkedHashMap<>();
    private volatile Consumer<String> logSink = line -> { };
    private volatile Consumer<String> progressSink = line -> { };
    private volatile Runnable valuesChanged = () -> { };
    private volatile Instant deadline = Instant.MAX;
    private NatsLink nats;
    private volatile java.util.function.Supplier<fleet.console.image.ImageBuilder> images = () -> null;

    public RunContext(KubernetesClient client, String contextName, String namespace, FleetProfile profile, RunOptions options,
                      NatsOpener natsOpener, Consumer<AuditEntry> journal, Clock clock) {
        this.client = client;
        this.contextName = contextName;
        this.namespace = namespace;
        this.profile = profile;
        this.options = options;
        this.natsOpener = natsOpener;
        this.journal = journal;
        this.clock = clock;
    }

    /** How this run builds and pushes images (the CLI and the window set it up with the user's logins). */
    public RunContext withImages(java.util.function.Supplier<fleet.console.image.ImageBuilder> builder) {
        this.images = builder;
        return this;
    }

    /** The image builder, or empty when this console was not set up to build (then builds are refused, saying so). */
    public java.util.Optional<fleet.console.image.ImageBuilder> images() {
        return java.util.Optional.ofNullable(images.get());
    }

    public KubernetesClient client() {
        return client;
    }

    public String contextName() {
        return contextName;
    }

    public String namespace() {
        return namespace;
    }

    public FleetProfile profile() {
        return profile;
    }

    public RunOptions options() {
        return options;
    }

    public Clock clock() {
        return clock;
    }

    public Consumer<AuditEntry> journal() {
        return journal;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    /** How long to wait between two attempts to reach NATS while it is away (cancel wakes it). */
    static final Duration NATS_RETRY = Duration.ofMillis(500);

    /**
     * NATS for this run, opened once. Inside a step, NATS that is away (unreachable, its pod gone, a
     * broken port-forward, a link that lost its server) is waited for until the step's deadline: the
     * step goes on the moment NATS answers, and fails with the reason when its time is up (a run
     * resumed later tries again). Outside a step, and for problems waiting cannot fix (credentials,
     * JetStream off), it fails at once.
     */
    public NatsLink nats() throws StepFailure {
        NatsProblem last = null;
        Instant waitingSince = null;
        java.util.concurrent.Semaphore wake = null;
        NatsLink watched = null;
        while (true) {
            NatsLink link;
            synchronized (this) {
                link = nats;
                if (link == null) {
                    try {
                        nats = natsOpener.open();
                        return nats;
                    } catch (NatsProblem e) {
                        last = e;
                        if (!worthWaiting(e)) {
                            throw new StepFailure(e.getMessage(), e.whatToDo(), e);
                        }
                    }
                } else if (link.state().connected()) {
                    return link;
                }
            }
            if (waitingSince == null) {
                waitingSince = clock.instant();
                wake = new java.util.concurrent.Semaphore(0);
                cancellation.onCancel(wake::release);
            }
            if (link != null && link != watched) {
                watched = link;
                java.util.concurrent.Semaphore w = wake;
                link.onStateChange(state -> {
                    if (state.connected()) {
                        w.release();
                    }
                });
            }
            String why = last != null ? last.getMessage() : "NATS at " + link.label() + " does not answer (" + link.state().why() + ")";
            if (deadline.equals(Instant.MAX) || timeLeft().isZero() || cancellation.isCancelled()) {
                String what = last != null ? last.whatToDo() : "Check the nats pod in the Pods area; resume the run once NATS answers.";
                throw new StepFailure(why + (deadline.equals(Instant.MAX) ? ""
                        : " Waited " + Duration.between(waitingSince, clock.instant()).toSeconds() + " s for NATS within the step's time."),
                        what, last);
            }
            progress(why + "; waiting for NATS (" + timeLeft().toSeconds() + " s left)");
            Duration wait = timeLeft().compareTo(NATS_RETRY) < 0 ? timeLeft() : NATS_RETRY;
            try {
                wake.tryAcquire(Math.max(1, wait.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancellation.cancel();
            }
        }
    }

    private static boolean worthWaiting(NatsProblem e) {
        return switch (e.kind()) {
            case UNREACHABLE, NO_NATS_POD, PORT_FORWARD -> true;
            default -> false;
        };
    }

    /** Records a value the run needs later (and after a restart of the console): saved at once. */
    public void remember(String key, String value) {
        synchronized (values) {
            values.put(key, value);
        }
        valuesChanged.run();
    }

    public Optional<String> recall(String key) {
        synchronized (values) {
            return Optional.ofNullable(values.get(key));
        }
    }

    public Map<String, String> values() {
        synchronized (values) {
            return Map.copyOf(values);
        }
    }

    /** A line for the run's log tail. */
    public void log(String line) {
        logSink.accept(line);
    }

    /** What the step is doing right now. */
    public void progress(String message) {
        progressSink.accept(message);
    }

    /** Time left for the current step; waits use it as their timeout. */
    public Duration timeLeft() {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    void restore(Map<String, String> saved) {
        synchronized (values) {
            values.putAll(saved);
        }
    }

    void attach(Consumer<String> log, Consumer<String> progress, Runnable onValues) {
        this.logSink = log;
        this.progressSink = progress;
        this.valuesChanged = onValues;
    }

    void deadline(Instant at) {
        this.deadline = at;
    }

    /** Lets go of what the run opened (NATS); a later step opens it again. The engine calls it at the end of a run;
     * a plan that is never run is closed by whoever planned it. */
    public void close() {
        NatsLink n;
        synchronized (this) {
            n = nats;
            nats = null;
        }
        if (n != null) {
            n.close();
        }
    }
}
