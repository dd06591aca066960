package fleet.console.messaging;

import fleet.console.audit.AuditEntry;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.StreamSpec;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the console does to NATS: a test publish that says where the message went, reading the last
 * messages of a stream, and the destructive actions (purge, delete consumer, delete stream, recreate
 * the declared streams), each with an {@link Impact} to show first and an audit journal entry after.
 */
public final class NatsActions {

    /** Where a test message went: its stream and sequence, and which consumers' counts moved. */
    public record PublishResult(String subject, Optional<String> stream, long sequence, List<String> consumersMoved) {
        public PublishResult {
            consumersMoved = List.copyOf(consumersMoved);
        }
    }

    private final NatsLink link;
    private final String context;
    private final String namespace;
    private final Consumer<AuditEntry> journal;
    private final Clock clock;

    public NatsActions(NatsLink link, String context, String namespace, Consumer<AuditEntry> journal, Clock clock) {
        this.link = link;
        this.context = context;
        this.namespace = namespace;
        this.journal = journal;
        this.clock = clock;
    }

    private JetStreamManagement jsm() throws NatsProblem {
        return link.management();
    }

    /** The runbook's {@code nats pub planning.story.transitioned '{"story_id":"test-001"}'}, with its path shown. */
    public PublishResult publish(String subject, String data) throws NatsProblem {
        if (subject == null || subject.isBlank() || subject.contains(" ") || subject.contains("*") || subject.contains(">")) {
            throw new NatsProblem(NatsProblem.Kind.REFUSED, "'" + subject + "' is not a subject a message can be published to.",
                    "Give a concrete subject without spaces or wildcards, for example planning.story.transitioned.");
        }
        Connection c = link.connection();
        JetStreamInventory inventory = new JetStreamInventory(jsm());
        try {
            List<String> streams = jsm().getStreamNames(subject);
            if (streams.isEmpty()) {
                c.publish(subject, data.getBytes(StandardCharsets.UTF_8));
                c.flush(java.time.Duration.ofSeconds(2));
                audit("nats publish", subject, "ok: no stream captures it, core subscribers only");
                return new PublishResult(subject, Optional.empty(), 0, List.of());
            }
            String stream = streams.get(0);
            Map<String, Long> before = pending(inventory.consumers(stream));
            PublishAck ack = c.jetStream().publish(subject, data.getBytes(StandardCharsets.UTF_8));
            Map<String, Long> after = pending(inventory.consumers(stream));
            List<String> moved = new ArrayList<>();
            after.forEach((name, n) -> {
                long was = before.getOrDefault(name, 0L);
                if (n != was) {
                    moved.add(name + " " + was + " -> " + n);
                }
            });
            audit("nats publish", subject, "ok: " + ack.getStream() + " sequence " + ack.getSeqno());
            return new PublishResult(subject, Optional.of(ack.getStream()), ack.getSeqno(), moved);
        } catch (IOException | JetStreamApiException | java.util.concurrent.TimeoutException e) {
            audit("nats publish", subject, "failed: " + e.getMessage());
            throw JetStreamInventory.failed("publish to " + subject, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JetStreamInventory.failed("publish to " + subject, e);
        }
    }

    private static Map<String, Long> pending(List<ConsumerRow> consumers) {
        Map<String, Long> out = new LinkedHashMap<>();
        consumers.forEach(c -> out.put(c.durable(), c.unprocessed()));
        return out;
    }

    /**
     * The last {@code count} messages of a stream (of one subject when given), newest last, read by
     * sequence with direct gets: no consumer, no state left on the server.
     */
    public List<StoredMessage> lastMessages(String stream, Optional<String> subject, int count) throws NatsProblem {
        StreamRow row = new JetStreamInventory(jsm()).stream(stream).orElseThrow(() -> new NatsProblem(NatsProblem.Kind.NOT_FOUND,
                "There is no stream '" + stream + "'.", "Choose one from the list of streams."));
        List<StoredMessage> out = new ArrayList<>();
        // A subject filter may need to look further back; a bounded look keeps a huge stream from being read whole.
        long floor = Math.max(row.firstSequence(), row.lastSequence() - (long) count * (subject.isPresent() ? 200 : 1) + 1);
        try {
            for (long seq = row.lastSequence(); seq >= floor && out.size() < count && seq > 0; seq--) {
                MessageInfo m;
                try {
                    m = jsm().getMessage(stream, seq);
                } catch (JetStreamApiException e) {
                    continue;   // deleted or purged sequence
                }
                if (subject.isPresent() && !subject.get().equals(m.getSubject())) {
                    continue;
                }
                out.add(0, new StoredMessage(stream, m.getSeq(), m.getSubject(), m.getTime() == null ? Instant.EPOCH : m.getTime().toInstant(),
                        headers(m.getHeaders()), m.getData() == null ? new byte[0] : m.getData()));
            }
            return out;
        } catch (IOException e) {
            throw JetStreamInventory.failed("read messages of " + stream, e);
        }
    }

    private static Map<String, List<String>> headers(Headers h) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (h != null) {
            h.keySet().forEach(k -> out.put(k, List.copyOf(h.get(k))));
        }
        return out;
    }

    public Impact purgeImpact(String stream) throws NatsProblem {
        StreamRow s = existing(stream);
        List<ConsumerRow> consumers = new JetStreamInventory(jsm()).consumers(stream);
        List<String> bound = bound(consumers);
        return new Impact("purge", stream, s.messages(), s.bytes(), consumers.size(), bound,
                String.format("Purging %s destroys %,d messages (%s). Its %d consumers stay%s.", stream, s.messages(),
                        Impact.bytes(s.bytes()), consumers.size(), bound.isEmpty() ? "" : "; bound now: " + String.join(", ", bound)));
    }

    public void purge(String stream) throws NatsProblem {
        Impact impact = purgeImpact(stream);
        run("nats stream purge", stream, () -> jsm().purgeStream(stream), "ok: " + impact.messages() + " messages purged");
    }

    public Impact deleteStreamImpact(String stream) throws NatsProblem {
        StreamRow s = existing(stream);
        List<ConsumerRow> consumers = new JetStreamInventory(jsm()).consumers(stream);
        List<String> bound = bound(consumers);
        return new Impact("delete stream", stream, s.messages(), s.bytes(), consumers.size(), bound,
                String.format("Deleting stream %s destroys %,d messages (%s) and its %d consumers%s. Type the stream's name to confirm.",
                        stream, s.messages(), Impact.bytes(s.bytes()), consumers.size(),
                        bound.isEmpty() ? "" : ", of which bound now: " + String.join(", ", bound)));
    }

    public void deleteStream(String stream) throws NatsProblem {
        Impact impact = deleteStreamImpact(stream);
        run("nats stream rm", stream, () -> jsm().deleteStream(stream),
                "ok: " + impact.messages() + " messages and " + impact.consumers() + " consumers deleted");
    }

    public Impact deleteConsumerImpact(String stream, String consumer) throws NatsProblem {
        ConsumerRow c = new JetStreamInventory(jsm()).consumers(stream).stream().filter(x -> x.durable().equals(consumer)).findFirst()
                .orElseThrow(() -> new NatsProblem(NatsProblem.Kind.NOT_FOUND, "Stream " + stream + " has no consumer '" + consumer + "'.",
                        "Refresh the consumers; it may have been deleted already."));
        List<String> bound = c.hasInterest() ? List.of(c.durable()) : List.of();
        return new Impact("delete consumer", c.key(), c.unprocessed(), 0, 1, bound,
                String.format("Deleting consumer %s forgets its position: %,d unprocessed and %,d unacknowledged messages stay in the "
                        + "stream but no longer count for it.%s", c.key(), c.unprocessed(), c.ackPending(),
                        bound.isEmpty() ? "" : " It is in use right now; the service using it will fail until it recreates it."));
    }

    public void deleteConsumer(String stream, String consumer) throws NatsProblem {
        deleteConsumerImpact(stream, consumer);
        run("nats consumer rm", stream + " > " + consumer, () -> jsm().deleteConsumer(stream, consumer), "ok");
    }

    /** Recreating the declared streams: each one that exists is deleted with its messages and consumers, then created as declared. */
    public List<Impact> recreateImpact(FleetProfile profile) throws NatsProblem {
        JetStreamInventory inventory = new JetStreamInventory(jsm());
        List<Impact> out = new ArrayList<>();
        for (StreamSpec s : profile.streams()) {
            Optional<StreamRow> row = inventory.stream(s.name());
            if (row.isPresent()) {
                out.add(deleteStreamImpact(s.name()));
            } else {
                out.add(new Impact("create stream", s.name(), 0, 0, 0, List.of(), "Stream " + s.name() + " does not exist; it is created as declared."));
            }
        }
        return out;
    }

    /** Deletes and creates the profile's streams, exactly as declared; other streams are left alone. */
    public List<String> recreateDeclared(FleetProfile profile) throws NatsProblem {
        return recreateDeclared(profile, (done, total, what) -> { });
    }

    /** How far a recreate is: {@code done} of {@code total} steps (a deletion or a creation each), and what comes next. */
    @FunctionalInterface
    public interface Progress {
        void step(int done, int total, String what);
    }

    /** {@link #recreateDeclared(FleetProfile)}, saying before each deletion and creation how far it is. */
    public List<String> recreateDeclared(FleetProfile profile, Progress progress) throws NatsProblem {
        List<StreamSpec> declared = profile.streams();
        JetStreamInventory inventory = new JetStreamInventory(jsm());
        List<Boolean> exists = new ArrayList<>();
        for (StreamSpec s : declared) {
            exists.add(inventory.stream(s.name()).isPresent());
        }
        int total = declared.size() + (int) exists.stream().filter(b -> b).count();
        int done = 0;
        List<String> created = new ArrayList<>();
        for (int i = 0; i < declared.size(); i++) {
            StreamSpec s = declared.get(i);
            if (exists.get(i)) {
                progress.step(done, total, "deleting " + s.name());
                // Gone meanwhile (someone else deleted it): nothing to delete, it is created all the same.
                if (new JetStreamInventory(jsm()).stream(s.name()).isPresent()) {
                    deleteStream(s.name());
                }
                done++;
            }
            progress.step(done, total, "creating " + s.name());
            run("nats stream add", s.name(), () -> jsm().addStream(DeclaredStreams.configOf(s)), "ok: created as declared");
            done++;
            created.add(s.name());
        }
        progress.step(done, total, "done");
        return created;
    }

    private StreamRow existing(String stream) throws NatsProblem {
        return new JetStreamInventory(jsm()).stream(stream).orElseThrow(() -> new NatsProblem(NatsProblem.Kind.NOT_FOUND,
                "There is no stream '" + stream + "'.", "Refresh the streams; it may have been deleted already."));
    }

    private static List<String> bound(List<ConsumerRow> consumers) {
        return consumers.stream().filter(ConsumerRow::hasInterest).map(ConsumerRow::durable).toList();
    }

    /** A server call that may fail with the API's exceptions. */
    @FunctionalInterface
    private interface Call {
        Object run() throws IOException, JetStreamApiException, NatsProblem;
    }

    private void run(String action, String target, Call call, String okResult) throws NatsProblem {
        try {
            call.run();
            audit(action, target, okResult);
        } catch (IOException | JetStreamApiException e) {
            audit(action, target, "failed: " + e.getMessage());
            throw JetStreamInventory.failed(action + " " + target, e);
        } catch (NatsProblem e) {
            audit(action, target, "failed: " + e.getMessage());
            throw e;
        }
    }

    private void audit(String action, String target, String result) {
        journal.accept(new AuditEntry(clock.instant(), context, namespace, action, target, result));
    }
}
