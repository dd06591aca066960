package fleet.console.diagnosis;

import fleet.console.messaging.NatsActions;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsProblem;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;
import fleet.console.profile.SubjectFilters;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The runbook's test publish ({@code nats pub planning.story.transitioned '{"story_id":"test-001"}'} and
 * "check if received"), done so it proves something: the message is published through the console's
 * audited NATS actions, and each durable that should take it is watched for its acknowledgement of that
 * very message. Who took it, after how long, and who did not within the time given is the evidence.
 */
public final class NatsPathProbe {

    /** What one durable did with the test message. */
    public record Outcome(String service, String durable, Optional<String> stream, Optional<Duration> tookAfter, String note) {
        public boolean took() {
            return tookAfter.isPresent();
        }
    }

    /** Where the test message went and who took it. */
    public record Result(String subject, Optional<String> stream, long sequence, List<String> consumersMoved, List<Outcome> outcomes,
                         Duration waited) {
        public Result {
            consumersMoved = List.copyOf(consumersMoved);
            outcomes = List.copyOf(outcomes);
        }

        public Optional<Outcome> of(String durable) {
            return outcomes.stream().filter(o -> o.durable().equals(durable)).findFirst();
        }

        /** The result as a diagnosis's evidence. */
        public List<Evidence> evidence() {
            List<Evidence> out = new ArrayList<>();
            out.add(new Evidence("test publish", stream.map(s -> "a test message to " + subject + " was stored in " + s + " as #" + sequence)
                    .orElse("a test message to " + subject + " was stored nowhere: no stream captures " + subject),
                    new EvidenceSource.NatsPublish(subject, stream.orElse(""), sequence)));
            for (Outcome o : outcomes) {
                out.add(new Evidence("test publish", o.durable() + " (" + o.service() + ") " + o.note(),
                        new EvidenceSource.NatsConsumer(o.stream().orElse(stream.orElse("")), o.durable())));
            }
            return out;
        }
    }

    private NatsPathProbe() {
    }

    /**
     * Publishes a test message on {@code subject} and waits, at most {@code timeout}, until every durable
     * of the profile's services that subscribes to it has acknowledged it.
     */
    public static Result prove(NatsLink link, NatsActions actions, FleetProfile profile, String subject, Duration timeout, Clock clock)
            throws NatsProblem, InterruptedException {
        record Expected(ServiceSpec service, String durable, String filter) {
        }
        List<Expected> expected = new ArrayList<>();
        for (ServiceSpec s : profile.services()) {
            s.subscriptions().forEach((durable, filter) -> {
                if (SubjectFilters.overlap(filter, subject)) {
                    expected.add(new Expected(s, durable, filter));
                }
            });
        }
        Optional<String> stream;
        try {
            List<String> names = link.management().getStreamNames(subject);
            stream = names.isEmpty() ? Optional.empty() : Optional.of(names.get(0));
        } catch (IOException | JetStreamApiException e) {
            throw new NatsProblem(NatsProblem.Kind.UNREACHABLE, "Could not ask NATS which stream captures " + subject + ": " + e.getMessage(),
                    "Check that NATS is Ready, then try again.", e);
        }
        Map<String, String> notes = new ConcurrentHashMap<>();
        Map<String, ConsumerInfo> present = new ConcurrentHashMap<>();
        for (Expected e : expected) {
            if (stream.isEmpty()) {
                notes.put(e.durable, "cannot take it: no stream keeps messages on " + subject);
                continue;
            }
            try {
                ConsumerInfo info = link.management().getConsumerInfo(stream.get(), e.durable);
                String filter = info.getConsumerConfiguration().getFilterSubject();
                if (filter != null && !filter.isEmpty() && !SubjectFilters.overlap(filter, subject)) {
                    notes.put(e.durable, "cannot take it: it filters on " + filter);
                } else {
                    present.put(e.durable, info);
                }
            } catch (JetStreamApiException ex) {
                notes.put(e.durable, "cannot take it: " + stream.get() + " has no durable " + e.durable);
            } catch (IOException ex) {
                notes.put(e.durable, "could not be asked: " + ex.getMessage());
            }
        }
        // Every acknowledgement names the stream sequence it acknowledges ($JS.ACK.<stream>.<durable>.<n>.<sseq>...):
        // listened to before the publish, so none is missed.
        Map<String, Instant> acked = new ConcurrentHashMap<>();
        Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        long[] sequence = {-1};
        CountDownLatch all = new CountDownLatch(present.size());
        Dispatcher dispatcher = link.connection().createDispatcher(m -> {
            String[] t = m.getSubject().split("\\.");
            // Nine tokens in the classic form; the newer one adds a domain and an account hash before the stream.
            int at = t.length == 9 ? 2 : 4;
            if (t.length <= at + 3) {
                return;
            }
            String durable = t[at + 1];
            long sseq;
            try {
                sseq = Long.parseLong(t[at + 3]);
            } catch (NumberFormatException e) {
                return;
            }
            synchronized (sequence) {
                if (sequence[0] < 0) {
                    seen.computeIfAbsent(durable, k -> new ArrayList<>()).add(sseq);
                    return;
                }
                if (sseq == sequence[0] && acked.putIfAbsent(durable, clock.instant()) == null) {
                    all.countDown();
                }
            }
        });
        try {
            if (stream.isPresent()) {
                for (String durable : present.keySet()) {
                    dispatcher.subscribe("$JS.ACK." + stream.get() + "." + durable + ".>");
                    dispatcher.subscribe("$JS.ACK.*.*." + stream.get() + "." + durable + ".>");
                }
                link.connection().flush(Duration.ofSeconds(2));
            }
            Instant sent = clock.instant();
            NatsActions.PublishResult published = actions.publish(subject, "{\"probe\":\"fleet-console diagnosis\",\"sent_at\":\"" + sent + "\"}");
            synchronized (sequence) {
                sequence[0] = published.sequence();
                seen.forEach((durable, seqs) -> {
                    if (seqs.contains(published.sequence()) && present.containsKey(durable) && acked.putIfAbsent(durable, clock.instant()) == null) {
                        all.countDown();
                    }
                });
            }
            if (published.stream().isPresent()) {
                all.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            Duration waited = Duration.between(sent, clock.instant());
            List<Outcome> outcomes = new ArrayList<>();
            for (Expected e : expected) {
                Optional<Instant> when = Optional.ofNullable(acked.get(e.durable));
                String note = notes.getOrDefault(e.durable, when.map(t -> "took it after " + millis(Duration.between(sent, t)))
                        .orElse("did not take it within " + millis(timeout)));
                outcomes.add(new Outcome(e.service.name(), e.durable, stream, when.map(t -> Duration.between(sent, t)), note));
            }
            return new Result(subject, published.stream(), published.sequence(), published.consumersMoved(), outcomes, waited);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new NatsProblem(NatsProblem.Kind.UNREACHABLE, "NATS did not confirm the subscriptions in time.", "Try again.", e);
        } finally {
            link.connection().closeDispatcher(dispatcher);
        }
    }

    /**
     * Waits until a durable has no undelivered message left, woken by each of its acknowledgements (not by
     * a timer): after a fix, proof that it takes its backlog again. False when it still has some at the
     * timeout.
     */
    public static boolean awaitBacklogTaken(NatsLink link, String stream, String durable, Duration timeout)
            throws NatsProblem, InterruptedException {
        java.util.concurrent.Semaphore acks = new java.util.concurrent.Semaphore(0);
        Dispatcher dispatcher = link.connection().createDispatcher(m -> acks.release());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            dispatcher.subscribe("$JS.ACK." + stream + "." + durable + ".>");
            dispatcher.subscribe("$JS.ACK.*.*." + stream + "." + durable + ".>");
            link.connection().flush(Duration.ofSeconds(2));
            while (true) {
                // Looked at after subscribing: an acknowledgement in between is not missed.
                if (link.management().getConsumerInfo(stream, durable).getNumPending() == 0) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !acks.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    return link.management().getConsumerInfo(stream, durable).getNumPending() == 0;
                }
                acks.drainPermits();
            }
        } catch (IOException | JetStreamApiException | java.util.concurrent.TimeoutException e) {
            throw new NatsProblem(NatsProblem.Kind.UNREACHABLE, "Could not follow " + durable + " on " + stream + ": " + e.getMessage(),
                    "Check that NATS is Ready and the durable exists.", e);
        } finally {
            link.connection().closeDispatcher(dispatcher);
        }
    }

    private static String millis(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
