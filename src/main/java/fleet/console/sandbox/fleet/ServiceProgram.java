package fleet.console.sandbox.fleet;

import fleet.console.profile.ServiceSpec;
import fleet.console.sandbox.kubelet.ContainerProgram;
import fleet.console.sandbox.kubelet.ProgramContext;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One of the fleet's Python services: starts, connects to NATS and creates its durables when it has
 * consumers, prints its startup lines, becomes ready and keeps logging. Faults make it fail the way the
 * runbook's troubleshooting chapter describes: an import error after the src/ to core/ move, NATS not
 * reachable, a push durable already bound.
 */
final class ServiceProgram implements ContainerProgram {

    private static final Duration HEARTBEAT = Duration.ofSeconds(3);
    /** Readiness probes come every 10 s on a cluster; the sandbox keeps them at a demo's pace. */
    private static final Duration PROBE_PERIOD = Duration.ofSeconds(1);
    private static final int RECONNECT_ATTEMPTS = 4;

    private final FleetWorld world;
    private final ServiceSpec service;
    private final Subscriptions.Durable push;
    private final PythonLog log;
    private NatsSession nats;
    private boolean released;
    private String pushBinding;
    private int reconnects;
    private long handled;

    ServiceProgram(FleetWorld world, ServiceSpec service, Clock clock) {
        this.world = world;
        this.service = service;
        this.push = Subscriptions.pushDurableOf(service.name());
        this.log = new PythonLog(clock, service.name());
    }

    private String title() {
        StringBuilder out = new StringBuilder();
        for (String part : service.name().split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1)).append(' ');
        }
        return out.toString().trim();
    }

    private boolean usesNats(ProgramContext ctx) {
        return service.natsConsumers() || ctx.environment().containsKey("NATS_URL");
    }

    private String natsAddress(ProgramContext ctx) {
        return ctx.environment().getOrDefault("NATS_URL",
                "nats://nats." + ctx.pod().getMetadata().getNamespace() + ".svc.cluster.local:4222");
    }

    @Override
    public void start(ProgramContext ctx) {
        ctx.log(log.info("Starting " + title() + " Service (" + tagOf(ctx.container().getImage()) + ")"));
        if (world.crashing(service.name())) {
            ctx.after(Duration.ofMillis(250), () -> crashWithImportError(ctx));
            return;
        }
        Optional<FleetWorld.ImageFlaw> flaw = world.imageFlaw(ctx.container().getImage());
        if (flaw.isPresent()) {
            ctx.after(Duration.ofMillis(250), () -> {
                if (flaw.get() == FleetWorld.ImageFlaw.IMPORT_ERROR) {
                    crashWithCoreImportError(ctx);
                } else {
                    crashAsOldBuild(ctx);
                }
            });
            return;
        }
        if (!usesNats(ctx)) {
            ctx.after(Duration.ofMillis(150), () -> started(ctx, List.of()));
            return;
        }
        ctx.log(log.info("Connecting to NATS at " + natsAddress(ctx)));
        if (!world.natsReachable()) {
            ctx.after(Duration.ofMillis(300), () -> natsUnreachable(ctx));
            return;
        }
        java.util.concurrent.CompletableFuture<Void> streams = world.streamsCreated();
        if (!streams.isDone() && world.natsUrl().isPresent() && !world.profile().streams().isEmpty()) {
            // Deployed before the init-streams job finished (the sandbox seeds everything at once; the runbook
            // runs the job first): start once it has, or after STREAMS_WAIT as a service deployed without it.
            java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
            Runnable go = () -> {
                if (once.compareAndSet(false, true) && ctx.running()) {
                    connect(ctx);
                }
            };
            streams.thenRun(() -> ctx.after(Duration.ZERO, go));
            ctx.after(STREAMS_WAIT, go);
            return;
        }
        connect(ctx);
    }

    /** How long a service's first start waits for the init-streams job before it starts without the streams. */
    private static final Duration STREAMS_WAIT = Duration.ofSeconds(20);

    private void connect(ProgramContext ctx) {
        if (world.doubleBinding(service.name())) {
            // The push binding is kept by the sandbox per pod version (see FleetWorld.bindPush); the real
            // server still holds the pull durables below.
            String uid = ctx.pod().getMetadata().getUid();
            if (!world.bindPush(push.name(), version(ctx), uid)) {
                ctx.after(Duration.ofMillis(200), () -> alreadyBound(ctx));
                return;
            }
            pushBinding = uid;
        }
        Optional<String> url = world.natsUrl();
        String podName = ctx.pod().getMetadata().getName();
        if (url.isEmpty()) {
            // No real server installed: the sandbox simulates NATS as up.
            ctx.after(Duration.ofMillis(150), () -> started(ctx, List.of()));
            return;
        }
        ctx.blocking(() -> setUp(url.get(), podName), notes -> started(ctx, notes), error -> {
            String message = String.valueOf(error.getMessage());
            if (message.contains("SUB-90012") || message.toLowerCase().contains("already bound")) {
                alreadyBound(ctx);
            } else if (message.contains("no servers available")) {
                natsUnreachable(ctx);
            } else {
                ctx.log(log.error("NATS setup failed: " + message));
                ctx.exit(1, "Error");
            }
        });
    }

    /** Connects and creates (or binds) the service's consumers, as its NATS handler does at start. */
    /** The pod's version: its template hash (Deployment) or revision (StatefulSet). */
    private static String version(ProgramContext ctx) {
        java.util.Map<String, String> labels = ctx.pod().getMetadata().getLabels() == null ? java.util.Map.of() : ctx.pod().getMetadata().getLabels();
        return labels.getOrDefault("pod-template-hash", labels.getOrDefault("controller-revision-hash", "unversioned"));
    }

    private List<String> setUp(String url, String podName) {
        NatsSession session = NatsSession.connect(url, podName);
        List<String> notes = new ArrayList<>();
        try {
            for (Subscriptions.Durable d : Subscriptions.of(service.name())) {
                Optional<String> stream = session.ensurePullDurable(d.name(), d.subject());
                if (stream.isEmpty()) {
                    notes.add("No stream captures " + d.subject() + "; consumer " + d.name() + " not created");
                } else {
                    session.bindPull(stream.get(), d.name());
                }
            }
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        NatsSession previous;
        synchronized (this) {
            if (released) {
                session.close();
                throw new IllegalStateException("container stopped while connecting");
            }
            previous = nats;
            nats = session;
        }
        if (previous != null) {
            previous.close();
        }
        return notes;
    }

    private void started(ProgramContext ctx, List<String> warnings) {
        for (String w : warnings) {
            ctx.log(log.warning(w));
        }
        List<String> lines = service.startupLines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            ctx.after(Duration.ofMillis(60L * (i + 1)), () -> ctx.log(log.info(decorate(line))));
        }
        ctx.after(Duration.ofMillis(60L * (lines.size() + 1)), () -> {
            Optional<String> failing = failingReadinessPath(ctx);
            if (failing.isPresent()) {
                // The probe asks a path this service does not serve: it answers, just never "ready".
                Runnable probe = () -> {
                    ctx.log("INFO:     10.244.0.1:41872 - \"GET " + failing.get() + " HTTP/1.1\" 404 Not Found");
                    ctx.readinessFailed("HTTP probe failed with statuscode: 404");
                };
                probe.run();
                ctx.every(PROBE_PERIOD, probe);
            } else {
                ctx.ready(true);
            }
            ctx.every(HEARTBEAT, () -> heartbeat(ctx));
            if (world.outOfMemory(service.name())) {
                // The kernel kills the process without a word from it; the log just stops.
                ctx.after(Duration.ofMillis(500), () -> {
                    ctx.log(log.info("Loading deliberation history into memory (" + (2048 + handled) + " MiB so far)"));
                    ctx.exit(137, "OOMKilled");
                });
            }
        });
    }

    /** The runbook quotes the orchestrator's lines with check marks and a rocket; keep that look. */
    private static String decorate(String line) {
        if (line.contains("listening on port")) {
            return "\uD83D\uDE80 " + line;
        }
        return "\u2713 " + line;
    }

    private void heartbeat(ProgramContext ctx) {
        if (usesNats(ctx) && !world.natsReachable()) {
            reconnects++;
            ctx.log(log.warning("NATS connection lost: [Errno 111] Connection refused; reconnecting ("
                    + reconnects + "/" + RECONNECT_ATTEMPTS + ")"));
            if (reconnects >= RECONNECT_ATTEMPTS) {
                ctx.log(log.error("Giving up on NATS after " + RECONNECT_ATTEMPTS + " attempts"));
                ctx.log("nats.errors.NoServersError: nats: no servers available for connection");
                ctx.exit(1, "Error");
            }
            return;
        }
        handled += 1;
        NatsSession session = nats;
        Optional<String> url = world.natsUrl();
        if (usesNats(ctx) && url.isPresent() && (session == null || !session.connected())) {
            // The connection died with the server; nats.py reconnects and re-subscribes, so does this.
            String podName = ctx.pod().getMetadata().getName();
            ctx.blocking(() -> setUp(url.get(), podName), notes -> {
                ctx.log(log.info("Reconnected to NATS at " + natsAddress(ctx)));
                notes.forEach(n -> ctx.log(log.warning(n)));
                reconnects = 0;
            }, error -> ctx.log(log.warning("Reconnecting to NATS failed: " + error.getMessage())));
            return;
        }
        if (reconnects > 0) {
            ctx.log(log.info("Reconnected to NATS at " + natsAddress(ctx)));
            reconnects = 0;
        }
        if (session == null || world.stalled(ctx.pod().getMetadata().getUid())) {
            // A stalled pod looks as healthy as any from its log: its consumer loop died without a word.
            ctx.log(log.info("Health check OK (" + handled + " checks, " + (service.natsConsumers() ? "consumers active" : "idle") + ")"));
            return;
        }
        ctx.blocking(session::workOff,
                n -> ctx.log(log.info("Health check OK (" + handled + " checks, " + n + " events handled since the last)")),
                error -> ctx.log(log.warning("Handling events failed: " + error.getMessage())));
    }

    private void crashWithImportError(ProgramContext ctx) {
        String module = service.name().replace('-', '_');
        ctx.log("Traceback (most recent call last):");
        ctx.log("  File \"/app/services/" + module + "/server.py\", line 14, in <module>");
        ctx.log("    from src." + module + ".application import " + title().replace(" ", "") + "Service");
        ctx.log("ModuleNotFoundError: No module named 'src'");
        ctx.exit(1, "Error");
    }

    /** The image's code after the src/ to core/ move, with one import still pointing at the old layout. */
    private void crashWithCoreImportError(ProgramContext ctx) {
        String module = service.name().replace('-', '_');
        ctx.log("Traceback (most recent call last):");
        ctx.log("  File \"/app/services/" + module + "/server.py\", line 22, in <module>");
        ctx.log("    from core." + module + ".infrastructure.nats_handler import NatsHandler");
        ctx.log("  File \"/app/core/" + module + "/infrastructure/nats_handler.py\", line 9, in <module>");
        ctx.log("    from src.shared.events import EventEnvelope");
        ctx.log("ModuleNotFoundError: No module named 'src.shared'");
        ctx.exit(1, "Error");
    }

    /** An older build reads the config file of its day, which the current manifests no longer mount. */
    private void crashAsOldBuild(ProgramContext ctx) {
        String module = service.name().replace('-', '_');
        ctx.log(log.info("Loading configuration from /app/config/" + module + ".yaml"));
        ctx.log("Traceback (most recent call last):");
        ctx.log("  File \"/app/services/" + module + "/server.py\", line 41, in main");
        ctx.log("    settings = Settings.from_file(\"/app/config/" + module + ".yaml\")");
        ctx.log("FileNotFoundError: [Errno 2] No such file or directory: '/app/config/" + module + ".yaml'");
        ctx.exit(1, "Error");
    }

    /** The path of an HTTP readiness probe the services do not serve, if the container has one. */
    private Optional<String> failingReadinessPath(ProgramContext ctx) {
        var probe = ctx.container().getReadinessProbe();
        if (probe == null || probe.getHttpGet() == null) {
            return Optional.empty();
        }
        String path = probe.getHttpGet().getPath();
        return world.probePathFails(path) ? Optional.of(path) : Optional.empty();
    }

    private static String tagOf(String image) {
        if (image == null) {
            return "latest";
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
    }

    private void natsUnreachable(ProgramContext ctx) {
        ctx.log(log.error("Failed to connect to NATS at " + natsAddress(ctx) + ": [Errno 111] Connection refused"));
        ctx.log("Traceback (most recent call last):");
        ctx.log("  File \"/app/services/" + service.name().replace('-', '_') + "/server.py\", line 88, in main");
        ctx.log("    await nats_handler.connect()");
        ctx.log("nats.errors.NoServersError: nats: no servers available for connection");
        ctx.exit(1, "Error");
    }

    private void alreadyBound(ProgramContext ctx) {
        boolean collector = push.equals(Subscriptions.PUSH_COLLECTOR);
        String module = service.name().replace('-', '_');
        ctx.log(log.error("Failed to start " + (collector ? "DeliberationResultCollector" : "NATS event consumer")
                + ": consumer is already bound to a subscription"));
        ctx.log("Traceback (most recent call last):");
        ctx.log("  File \"/app/services/" + module + "/infrastructure/"
                + (collector ? "deliberation_collector.py" : "nats_consumer.py") + "\", line 61, in start");
        ctx.log("    await self._js.subscribe(\"" + push.subject() + "\", durable=\""
                + push.name() + "\", cb=self._on_message)");
        ctx.log("nats.js.errors.Error: nats: consumer is already bound to a subscription");
        ctx.exit(1, "Error");
    }

    @Override
    public void stop(ProgramContext ctx) {
        ctx.log(log.info("Received SIGTERM, shutting down gracefully"));
        if (nats != null || pushBinding != null) {
            ctx.log(log.info("NATS connection closed"));
        }
    }

    @Override
    public void released() {
        NatsSession session;
        synchronized (this) {
            released = true;
            session = nats;
            nats = null;
        }
        if (pushBinding != null) {
            world.releasePush(push.name(), pushBinding);
        }
        if (session != null) {
            // Closing releases the push binding at once, as a real pod's exit does.
            session.close();
        }
    }
}
