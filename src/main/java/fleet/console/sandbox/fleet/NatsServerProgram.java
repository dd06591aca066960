package fleet.console.sandbox.fleet;

import fleet.console.sandbox.kubelet.ContainerProgram;
import fleet.console.sandbox.kubelet.ProgramContext;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code nats} container: its readiness follows the sandbox's real nats-server process, so that
 * stopping that process (the nats-down fault) makes {@code nats-0} not Ready as on a real cluster.
 */
final class NatsServerProgram implements ContainerProgram {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final FleetWorld world;
    private final Clock clock;
    /** The probe runs every 5 s on the manifest; the sandbox checks every 300 ms and reports every 5th. */
    private static final int PROBES_PER_EVENT = 5;
    private boolean wasReachable;
    private int failedProbes;

    NatsServerProgram(FleetWorld world, Clock clock) {
        this.world = world;
        this.clock = clock;
    }

    private String line(String level, String message) {
        return "[1] " + TIME.format(clock.instant()) + " [" + level + "] " + message;
    }

    @Override
    public void start(ProgramContext ctx) {
        ctx.log(line("INF", "Starting nats-server"));
        ctx.log(line("INF", "  Version:  2.10.22"));
        ctx.log(line("INF", "  Git:      [240e9a4]"));
        ctx.log(line("INF", "  Name:     " + ctx.pod().getMetadata().getName()));
        ctx.log(line("INF", "Starting JetStream"));
        ctx.log(line("INF", "  Max Memory:      1.00 GB"));
        ctx.log(line("INF", "  Max Storage:     10.00 GB"));
        ctx.log(line("INF", "  Store Directory: \"/data/jetstream\""));
        if (!world.natsInstalled()) {
            ctx.log(line("WRN", "Sandbox: nats-server is not installed on this machine; NATS is simulated "
                    + "(install it with: sudo apt-get install -y nats-server)"));
        }
        ctx.after(Duration.ofMillis(120), () -> {
            ctx.log(line("INF", "Listening for client connections on 0.0.0.0:4222"));
            ctx.log(line("INF", "Server is ready"));
            wasReachable = true;
            follow(ctx);
            ctx.every(Duration.ofMillis(300), () -> follow(ctx));
        });
    }

    private void follow(ProgramContext ctx) {
        boolean reachable = world.natsReachable();
        if (reachable != wasReachable) {
            ctx.log(reachable ? line("INF", "Server is ready") : line("WRN", "JetStream is not current with the meta leader; health check failing"));
            wasReachable = reachable;
        }
        if (reachable) {
            ctx.ready(true);
        } else if (failedProbes++ % PROBES_PER_EVENT == 0) {
            // The readiness probe (/healthz on 8222) fails as long as the server does not answer.
            ctx.readinessFailed("Get \"http://" + podIp(ctx) + ":8222/healthz?js-enabled-only=true\": dial tcp " + podIp(ctx)
                    + ":8222: connect: connection refused");
        } else {
            ctx.ready(false);
        }
    }

    private static String podIp(ProgramContext ctx) {
        var status = ctx.pod().getStatus();
        return status == null || status.getPodIP() == null ? "10.244.0.2" : status.getPodIP();
    }

    @Override
    public void stop(ProgramContext ctx) {
        ctx.log(line("INF", "Initiating Shutdown..."));
        ctx.log(line("INF", "Server Exiting.."));
    }
}
