package fleet.console.app;

import fleet.console.audit.AuditJournal;
import fleet.console.messaging.ConsumerHealth;
import fleet.console.messaging.ConsumerRow;
import fleet.console.messaging.ConsumerSamples;
import fleet.console.messaging.JetStreamInventory;
import fleet.console.messaging.NatsActions;
import fleet.console.messaging.NatsContexts;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsProblem;
import fleet.console.messaging.NatsTarget;
import fleet.console.messaging.StreamDrift;
import fleet.console.messaging.StreamRow;
import fleet.console.profile.FleetProfile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nats streams|consumers|drift|publish}: the fleet's JetStream, reached by port-forward to the
 * nats pod on a cluster (no kubectl, no DNS), or directly with {@code --server} or a natscli context.
 */
@Command(name = "nats", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The fleet's NATS JetStream: streams, consumers of every stream at once (stale ones flagged, with their",
                "owning service), drift from the profile's declared streams, and a test publish that says where the message went.",
                "On a cluster it port-forwards to the nats pod; --server URL or --nats-context NAME connect directly."},
        subcommands = {NatsCommand.Streams.class, NatsCommand.Consumers.class, NatsCommand.Drift.class, NatsCommand.Publish.class})
final class NatsCommand {

    /** How to reach NATS: direct, or through the cluster of the target options. */
    static final class Connection {
        @Option(names = "--server", paramLabel = "URL", description = "Connect to this NATS URL instead of port-forwarding.")
        String server;

        @Option(names = "--nats-context", paramLabel = "NAME", description = "Connect with this natscli context (~/.config/nats/context).")
        String natsContext;

        @Mixin
        TargetOptions target = new TargetOptions();
    }

    @FunctionalInterface
    interface Work {
        int run(NatsLink link, FleetProfile profile, String context, String namespace) throws Exception;
    }

    static int withLink(String command, Connection c, PrintWriter err, Work work) throws Exception {
        if (c.server != null || c.natsContext != null) {
            FleetProfile profile = c.target.fleet.loadProfileOrSay(err);
            if (profile == null) {
                return Cli.CANNOT;
            }
            try {
                NatsTarget target = c.server != null ? new NatsTarget.Url(c.server)
                        : new NatsTarget.Context(NatsContexts.forUser(System.getenv(), Path.of(System.getProperty("user.home"))).read(c.natsContext));
                try (NatsLink link = NatsLink.open(target, null, Duration.ofSeconds(5))) {
                    return work.run(link, profile, target.label(), profile.namespace());
                }
            } catch (NatsProblem e) {
                return say(err, e);
            }
        }
        return c.target.run("nats " + command, err, (session, profile) -> {
            try (NatsLink link = NatsLink.open(NatsTarget.InCluster.fleet(session.namespace()), session.client(), Duration.ofSeconds(5))) {
                return work.run(link, profile, session.contextName(), session.namespace());
            } catch (NatsProblem e) {
                return say(err, e);
            }
        });
    }

    static int say(PrintWriter err, NatsProblem e) {
        err.println("fleet-console: " + e.getMessage());
        err.println(e.whatToDo());
        return Cli.CANNOT;
    }

    @Command(name = "streams", mixinStandardHelpOptions = true, description = "Every stream: subjects, messages, bytes, consumers, limits.")
    static final class Streams implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            return withLink("streams", connection, spec.commandLine().getErr(), (link, profile, context, ns) -> {
                List<StreamRow> streams = new JetStreamInventory(link.management()).streams();
                out.printf("%-22s %-24s %10s %12s %9s  %s%n", "STREAM", "SUBJECTS", "MESSAGES", "BYTES", "CONSUMERS", "LIMITS");
                for (StreamRow s : streams) {
                    out.printf("%-22s %-24s %,10d %,12d %9d  age %s, msgs %s, %s/%s, discard %s%n", s.name(), String.join(",", s.subjects()),
                            s.messages(), s.bytes(), s.consumers(), s.maxAge().isZero() ? "none" : ConsumerHealth.human(s.maxAge()),
                            s.maxMsgs() < 0 ? "none" : String.format("%,d", s.maxMsgs()), s.storage(), s.retention(), s.discard());
                }
                if (streams.isEmpty()) {
                    out.println("No streams on " + link.label() + ". The nats-clean-slate runbook creates the declared ones.");
                }
                out.flush();
                return Cli.OK;
            });
        }
    }

    @Command(name = "consumers", mixinStandardHelpOptions = true,
            description = "Consumers of one stream, or of every stream with --all (default); --stale shows only the stale ones.")
    static final class Consumers implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "STREAM")
        String stream;
        @Option(names = "--all", description = "Every stream's consumers (the default when no stream is given).")
        boolean all;
        @Option(names = "--stale", description = "Only consumers judged stale (no interest for long, or work piling up unacknowledged).")
        boolean staleOnly;
        @Mixin
        Connection connection = new Connection();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            return withLink("consumers", connection, spec.commandLine().getErr(), (link, profile, context, ns) -> {
                JetStreamInventory inventory = new JetStreamInventory(link.management());
                List<ConsumerRow> consumers = stream != null && !all ? inventory.consumers(stream) : inventory.allConsumers(inventory.streams());
                Instant now = Instant.now();
                ConsumerSamples samples = ConsumerSamples.lastMinutes(5);
                samples.record(now, consumers);
                out.printf("%-18s %-40s %-5s %12s %10s %6s %-20s %s%n", "STREAM", "CONSUMER", "KIND", "UNPROCESSED", "ACK PEND", "REDEL",
                        "OWNER", "STATE");
                long stale = 0;
                for (ConsumerRow c : consumers) {
                    ConsumerHealth h = ConsumerHealth.judge(c, profile, samples, now);
                    if (h.stale()) {
                        stale++;
                    } else if (staleOnly) {
                        continue;
                    }
                    out.printf("%-18s %-40s %-5s %,12d %,10d %,6d %-20s %s%s%n", c.stream(), c.durable(), c.push() ? "push" : "pull",
                            c.unprocessed(), c.ackPending(), c.redelivered(), h.owner().orElse("-"), h.stale() ? "STALE: " : "", h.verdict());
                }
                out.println(consumers.size() + " consumers, " + stale + " stale.");
                out.flush();
                return stale == 0 ? Cli.OK : Cli.UNHEALTHY;
            });
        }
    }

    @Command(name = "drift", mixinStandardHelpOptions = true,
            description = "The profile's declared streams beside the server's: missing, extra, different subjects or limits.")
    static final class Drift implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            return withLink("drift", connection, spec.commandLine().getErr(), (link, profile, context, ns) -> {
                List<StreamDrift.Row> rows = StreamDrift.compare(profile, new JetStreamInventory(link.management()).streams());
                for (StreamDrift.Row r : rows) {
                    out.printf("%-22s %-9s %s%n", r.stream(), r.kind().name().toLowerCase(), r.kind() == StreamDrift.Kind.SAME ? "as declared"
                            : String.join("; ", r.differences()));
                }
                boolean drifted = StreamDrift.drifted(rows);
                out.println(drifted ? "The server differs from the profile." : "The server has exactly the declared streams.");
                out.flush();
                return drifted ? Cli.UNHEALTHY : Cli.OK;
            });
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publish a test message (the runbook's nats pub) and say which stream took it and which consumers moved.")
    static final class Publish implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SUBJECT")
        String subject;
        @Parameters(index = "1", paramLabel = "DATA")
        String data;
        @Mixin
        Connection connection = new Connection();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (Cli.refusedReadOnly(connection.target.readOnly, "publishing to " + subject, spec.commandLine().getErr())) {
                return Cli.CANNOT;
            }
            return withLink("publish", connection, spec.commandLine().getErr(), (link, profile, context, ns) -> {
                AuditJournal journal = new AuditJournal(AuditJournal.defaultFile(System.getenv(), Path.of(System.getProperty("user.home"))));
                NatsActions.PublishResult r = new NatsActions(link, context, ns, journal::append, Clock.systemUTC()).publish(subject, data);
                if (r.stream().isEmpty()) {
                    out.println("Published to " + subject + ": no stream captures it, so only live core subscribers got it.");
                } else {
                    out.println("Published to " + subject + ": stream " + r.stream().get() + ", sequence " + r.sequence() + ".");
                    out.println(r.consumersMoved().isEmpty() ? "No consumer's count moved (none filters on this subject)."
                            : "Consumers that got it: " + String.join(", ", r.consumersMoved()) + ".");
                }
                out.flush();
                return Cli.OK;
            });
        }
    }
}
