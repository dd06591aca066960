package fleet.console.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code nats} CLI equivalent of what the NATS area shows or does, so an operator can paste it into
 * a terminal and get the same answer. Each command names its connection ({@code --server URL} or
 * {@code --context NAME}); for a cluster's NATS the port-forward the console makes for itself comes
 * first, as a kubectl line. Arguments are quoted for a POSIX shell where they need to be.
 */
public final class NatsCliCommands {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9@%_+=:,./-]+");
    /** The local port the suggested port-forward listens on. */
    public static final int LOCAL_PORT = 4222;

    private final List<String> connection;
    private final Optional<String> prelude;

    private NatsCliCommands(List<String> connection, Optional<String> prelude) {
        this.connection = List.copyOf(connection);
        this.prelude = prelude;
    }

    /** Commands for the NATS a target names, as natscli would reach it. */
    public static NatsCliCommands forTarget(NatsTarget target) {
        if (target instanceof NatsTarget.Context c) {
            return new NatsCliCommands(List.of("--context", c.context().name()), Optional.empty());
        }
        if (target instanceof NatsTarget.InCluster in) {
            String forward = "kubectl port-forward -n " + quote(in.namespace()) + " svc/" + quote(in.service()) + " "
                    + LOCAL_PORT + ":" + in.port() + " &";
            return new NatsCliCommands(List.of("--server", "nats://127.0.0.1:" + LOCAL_PORT), Optional.of(forward));
        }
        return new NatsCliCommands(List.of("--server", ((NatsTarget.Url) target).url()), Optional.empty());
    }

    /** {@code nats stream report}: every stream with its messages, bytes and consumers. */
    public String streams() {
        return command("stream", "report");
    }

    /** {@code nats stream info STREAM}: configuration, limits and state of one stream. */
    public String streamInfo(String stream) {
        return command("stream", "info", stream);
    }

    /** {@code nats consumer report STREAM}: the consumers of one stream with their counts. */
    public String consumers(String stream) {
        return command("consumer", "report", stream);
    }

    /** {@code nats consumer info STREAM CONSUMER}. */
    public String consumerInfo(String stream, String consumer) {
        return command("consumer", "info", stream, consumer);
    }

    /** The runbook's {@code nats pub SUBJECT DATA}. */
    public String publish(String subject, String data) {
        return command("pub", subject, data);
    }

    /** {@code nats stream view STREAM N [--subject S]}: the stream's messages. */
    public String view(String stream, Optional<String> subject, int count) {
        List<String> args = new ArrayList<>(List.of("stream", "view", stream, String.valueOf(count)));
        subject.filter(s -> !s.isBlank()).ifPresent(s -> {
            args.add("--subject");
            args.add(s);
        });
        return command(args.toArray(String[]::new));
    }

    /** {@code nats stream purge STREAM --force}. */
    public String purge(String stream) {
        return command("stream", "purge", stream, "--force");
    }

    /** {@code nats stream rm STREAM --force}. */
    public String deleteStream(String stream) {
        return command("stream", "rm", stream, "--force");
    }

    /** {@code nats consumer rm STREAM CONSUMER --force}. */
    public String deleteConsumer(String stream, String consumer) {
        return command("consumer", "rm", stream, consumer, "--force");
    }

    /**
     * {@code nats stream add NAME --subjects ... --defaults}: a declared stream created as the profile
     * says (limits it leaves unset stay natscli's defaults, unlimited).
     */
    public String addStream(fleet.console.profile.StreamSpec s) {
        return command(addArgs(s));
    }

    /** Recreating the declared streams: {@code stream rm} for those that exist, then {@code stream add} for each, one per line. */
    public String recreate(List<fleet.console.profile.StreamSpec> declared, java.util.Set<String> existing) {
        List<String> lines = new ArrayList<>();
        for (fleet.console.profile.StreamSpec s : declared) {
            if (existing.contains(s.name())) {
                lines.add(line("stream", "rm", s.name(), "--force"));
            }
            lines.add(line(addArgs(s)));
        }
        String joined = String.join("\n", lines);
        return prelude.map(p -> p + "\n" + joined).orElse(joined);
    }

    private static String[] addArgs(fleet.console.profile.StreamSpec s) {
        List<String> args = new ArrayList<>(List.of("stream", "add", s.name(), "--subjects", String.join(",", s.subjects()),
                "--retention", s.retention().yamlName(), "--storage", s.storage().yamlName(),
                "--replicas", String.valueOf(s.replicas()), "--discard", s.discard().yamlName()));
        if (!s.maxAge().isZero()) {
            args.addAll(List.of("--max-age", s.maxAge().toSeconds() + "s"));
        }
        if (s.maxMsgs() >= 0) {
            args.addAll(List.of("--max-msgs", String.valueOf(s.maxMsgs())));
        }
        if (s.maxBytes() >= 0) {
            args.addAll(List.of("--max-bytes", String.valueOf(s.maxBytes())));
        }
        args.add("--defaults");
        return args.toArray(String[]::new);
    }

    private String command(String... args) {
        String line = line(args);
        return prelude.map(p -> p + "\n" + line).orElse(line);
    }

    private String line(String... args) {
        List<String> words = new ArrayList<>();
        words.add("nats");
        words.addAll(connection);
        words.addAll(List.of(args));
        return String.join(" ", words.stream().map(NatsCliCommands::quote).toList());
    }

    static String quote(String word) {
        if (!word.isEmpty() && SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
