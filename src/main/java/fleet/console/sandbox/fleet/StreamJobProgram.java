package fleet.console.sandbox.fleet;

import fleet.console.messaging.DeclaredStreams;
import fleet.console.profile.StreamSpec;
import fleet.console.sandbox.kubelet.ContainerProgram;
import fleet.console.sandbox.kubelet.ProgramContext;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fleet's stream jobs ({@code nats-init-streams}, {@code nats-delete-streams}) against the sandbox's
 * real NATS server: they create the profile's streams or delete every stream, and print the summary
 * lines the runbook greps for ({@code Created: 5 (...)}, {@code Deleted: 5 (...)}).
 */
final class StreamJobProgram implements ContainerProgram {

    enum Mode { CREATE, DELETE }

    private final FleetWorld world;
    private final Mode mode;

    StreamJobProgram(FleetWorld world, Mode mode) {
        this.world = world;
        this.mode = mode;
    }

    @Override
    public void start(ProgramContext ctx) {
        ctx.log(mode == Mode.CREATE ? "\uD83D\uDE80 Initializing NATS JetStream streams..." : "\uD83D\uDDD1\uFE0F Deleting NATS JetStream streams...");
        if (!world.natsReachable()) {
            ctx.after(Duration.ofMillis(200), () -> {
                ctx.log("\u274C Cannot connect to NATS: nats: no servers available for connection");
                ctx.exit(1, "Error");
            });
            return;
        }
        Optional<String> url = world.natsUrl();
        if (url.isEmpty()) {
            ctx.after(Duration.ofMillis(150), () -> {
                ctx.log("\u26A0\uFE0F NATS is simulated in this sandbox (nats-server not installed): no streams changed");
                ctx.exit(0, "Completed");
            });
            return;
        }
        ctx.blocking(() -> run(url.get(), ctx.pod().getMetadata().getName()), lines -> {
            lines.forEach(ctx::log);
            ctx.exit(0, "Completed");
        }, error -> {
            ctx.log("\u274C " + error.getMessage());
            ctx.exit(1, "Error");
        });
    }

    private List<String> run(String url, String name) {
        List<String> out = new ArrayList<>();
        try (NatsSession session = NatsSession.connect(url, name)) {
            JetStreamManagement jsm = session.management();
            List<String> done = new ArrayList<>();
            if (mode == Mode.CREATE) {
                for (StreamSpec s : world.profile().streams()) {
                    if (jsm.getStreamNames().contains(s.name())) {
                        out.add("\u2139\uFE0F Stream " + s.name() + " already exists");
                        continue;
                    }
                    jsm.addStream(DeclaredStreams.configOf(s));
                    out.add("\u2705 Created stream " + s.name() + " (" + String.join(", ", s.subjects()) + ")");
                    done.add(s.name());
                }
                out.add("\u2705 Created: " + done.size() + " (" + String.join(", ", done) + ")");
                world.markStreamsCreated();
            } else {
                for (String stream : jsm.getStreamNames()) {
                    jsm.deleteStream(stream);
                    out.add("\uD83D\uDDD1\uFE0F Deleted stream " + stream);
                    done.add(stream);
                }
                out.add("\u2705 Deleted: " + done.size() + " (" + String.join(", ", done) + ")");
            }
            return out;
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
