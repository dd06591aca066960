package fleet.console.diagnosis;

import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.messaging.ConsumerRow;
import fleet.console.messaging.StreamRow;
import fleet.console.profile.ServiceSpec;
import fleet.console.profile.StreamSpec;
import fleet.console.profile.SubjectFilters;
import fleet.console.profile.WorkloadKind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service that runs and is Ready but does not get its messages (the runbook's Issue E): the stream
 * that should hold them is missing, its durable is missing, its durable filters on another subject, or
 * messages wait on its durable and nobody takes them. Checked against the subscriptions the profile
 * says each service binds.
 */
final class NatsRules {

    static final String SYMPTOM = "not receiving NATS messages";

    private NatsRules() {
    }

    /** A subscription of the service and what the server has for it. */
    private record Sub(String durable, String subject, Optional<StreamRow> stream, Optional<ConsumerRow> consumer) {
    }

    /** The services to check: with subscriptions, deployed, and at least one pod Ready (else the pod rules speak). */
    private static List<ServiceSpec> serving(Observations o) {
        List<ServiceSpec> out = new ArrayList<>();
        if (!o.wholeNamespace()) {
            return out;
        }
        for (ServiceSpec s : o.profile().services()) {
            if (!s.natsConsumers() || s.subscriptions().isEmpty()) {
                continue;
            }
            List<PodView> pods = pods(o, s);
            if (pods.stream().anyMatch(PodView::ready)) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<PodView> pods(Observations o, ServiceSpec s) {
        return o.pods().stream().filter(p -> p.service().filter(x -> x.name().equals(s.name())).isPresent()).toList();
    }

    private static List<Sub> subs(NatsFacts facts, ServiceSpec s) {
        List<Sub> out = new ArrayList<>();
        for (Map.Entry<String, String> e : s.subscriptions().entrySet()) {
            out.add(new Sub(e.getKey(), e.getValue(), facts.streamCapturing(e.getValue()), facts.consumer(e.getKey())));
        }
        return out;
    }

    private static Subject subject(Observations o, ServiceSpec s) {
        String kind = s.kind() == WorkloadKind.STATEFULSET ? "StatefulSet" : "Deployment";
        return Subject.workload(o.namespace(), new WorkloadRef(kind, s.name()), Optional.of(s.name()));
    }

    private static Optional<NatsFacts> facts(Observations o) {
        NatsFacts facts = o.nats();
        return facts.available() ? Optional.of(facts) : Optional.empty();
    }

    static List<Finding> streamMissing(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (ServiceSpec s : serving(o)) {
            Optional<NatsFacts> facts = facts(o);
            if (facts.isEmpty()) {
                return out;
            }
            List<Sub> missing = subs(facts.get(), s).stream().filter(x -> x.stream.isEmpty()).toList();
            if (missing.isEmpty()) {
                continue;
            }
            List<String> subjects = missing.stream().map(Sub::subject).distinct().toList();
            List<String> declared = o.profile().streams().stream()
                    .filter(st -> subjects.stream().anyMatch(st::captures)).map(st -> st.name() + " (" + String.join(", ", st.subjects()) + ")").toList();
            Finding f = Finding.of(subject(o, s), SYMPTOM + " on " + String.join(", ", subjects), "No stream on the server captures "
                    + String.join(", ", subjects) + (declared.isEmpty() ? "" : "; the profile declares " + String.join(", ", declared)
                    + ", which the server does not have") + ". Messages published there are kept nowhere and " + s.name() + "'s durables "
                    + String.join(", ", missing.stream().map(Sub::durable).toList()) + " cannot exist.")
                    .path(new NatsPath(s.name(), missing.get(0).durable, missing.get(0).subject));
            String streamName = o.profile().streams().stream().filter(st -> st.captures(missing.get(0).subject)).map(StreamSpec::name)
                    .findFirst().orElse("");
            f.evidence("NATS streams", "the server has: " + String.join(", ", facts.get().streams().stream().map(StreamRow::name).toList()),
                    new EvidenceSource.NatsStreams(streamName));
            for (StreamSpec st : o.profile().streams()) {
                if (subjects.stream().anyMatch(st::captures)) {
                    f.evidence("profile", "declared stream " + st.name() + ": " + String.join(", ", st.subjects()),
                            new EvidenceSource.Profile(s.name(), "streams[" + st.name() + "]"));
                }
            }
            f.fix(Fixes.natsCleanSlate("Recreate the declared streams: the NATS clean slate stops the services with NATS consumers,"
                    + " deletes and recreates the streams, and starts the services again, which create their durables. The streams'"
                    + " messages are lost."));
            out.add(f);
        }
        return out;
    }

    static List<Finding> durableMissing(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (ServiceSpec s : serving(o)) {
            Optional<NatsFacts> facts = facts(o);
            if (facts.isEmpty()) {
                return out;
            }
            List<Sub> missing = subs(facts.get(), s).stream().filter(x -> x.stream.isPresent() && x.consumer.isEmpty()).toList();
            if (missing.isEmpty()) {
                continue;
            }
            Finding f = Finding.of(subject(o, s), SYMPTOM + " on " + String.join(", ", missing.stream().map(Sub::subject).distinct().toList()),
                    s.name() + " runs, but the server has no durable " + String.join(", ", missing.stream().map(Sub::durable).toList())
                            + ": messages on " + String.join(", ", missing.stream().map(Sub::subject).distinct().toList())
                            + " are stored and nobody takes them. " + s.name() + " creates its durables only when it starts.")
                    .cause("Durable consumer missing")
                    .path(new NatsPath(s.name(), missing.get(0).durable, missing.get(0).subject));
            for (Sub m : missing) {
                List<String> there = facts.get().consumers().stream().filter(c -> c.stream().equals(m.stream.get().name()) && !c.ephemeral())
                        .map(ConsumerRow::durable).toList();
                f.evidence("NATS consumers", m.stream.get().name() + " has no consumer " + m.durable + " (it has: "
                        + (there.isEmpty() ? "none" : String.join(", ", there)) + ")", new EvidenceSource.NatsConsumer(m.stream.get().name(), m.durable));
            }
            serviceLog(o, s, missing.stream().map(Sub::durable).toList(), f);
            f.fix(Fixes.redeploy(s, runningTag(o, s), "Restart " + s.name() + " by the safe path (scale to 0, then back): at start it creates"
                    + " its durables again."));
            out.add(f);
        }
        return out;
    }

    static List<Finding> wrongFilter(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (ServiceSpec s : serving(o)) {
            Optional<NatsFacts> facts = facts(o);
            if (facts.isEmpty()) {
                return out;
            }
            List<Sub> wrong = subs(facts.get(), s).stream().filter(x -> x.consumer.isPresent() && !x.consumer.get().filterSubjects().isEmpty()
                    && x.consumer.get().filterSubjects().stream().noneMatch(f -> SubjectFilters.overlap(f, x.subject))).toList();
            if (wrong.isEmpty()) {
                continue;
            }
            Sub first = wrong.get(0);
            Finding f = Finding.of(subject(o, s), SYMPTOM + " on " + String.join(", ", wrong.stream().map(Sub::subject).distinct().toList()),
                    String.join("; ", wrong.stream().map(w -> w.durable + " filters on " + String.join(", ", w.consumer.get().filterSubjects())
                            + ", not " + w.subject).toList()) + ": messages on " + first.subject + " never reach " + s.name() + ".")
                    .cause("Durable filters on another subject")
                    .path(new NatsPath(s.name(), first.durable, first.subject));
            for (Sub w : wrong) {
                f.evidence("NATS consumer", w.durable + " on " + w.consumer.get().stream() + " filters on "
                        + String.join(", ", w.consumer.get().filterSubjects()), new EvidenceSource.NatsConsumer(w.consumer.get().stream(), w.durable));
                f.evidence("profile", w.durable + " should filter on " + w.subject, new EvidenceSource.Profile(s.name(), "subscriptions[" + w.durable + "]"));
            }
            f.fix(Fixes.natsCleanSlate("The runbook's cure for Issue E: the NATS clean slate deletes the streams with their consumers and"
                    + " starts the services again, which create their durables with the right filters (the streams' messages are lost)."
                    + " Lighter, by hand: nats consumer rm " + first.consumer.get().stream() + " " + first.durable
                    + " -f, then the safe redeploy of " + s.name() + "."));
            out.add(f);
        }
        return out;
    }

    static List<Finding> notConsuming(Observations o) {
        List<Finding> out = new ArrayList<>();
        Duration idle = o.options().idleConsumer();
        for (ServiceSpec s : serving(o)) {
            Optional<NatsFacts> facts = facts(o);
            if (facts.isEmpty()) {
                return out;
            }
            Instant now = facts.get().readAt();
            List<Sub> stuck = subs(facts.get(), s).stream().filter(x -> x.consumer.isPresent()
                    && x.consumer.get().filterSubjects().stream().anyMatch(f -> SubjectFilters.overlap(f, x.subject))
                    && idle(x.consumer.get(), facts.get(), now, idle)).toList();
            if (stuck.isEmpty()) {
                continue;
            }
            Sub first = stuck.get(0);
            long waiting = stuck.stream().mapToLong(x -> x.consumer.get().unprocessed()).sum();
            long ready = pods(o, s).stream().filter(PodView::ready).count();
            Finding f = Finding.of(subject(o, s), SYMPTOM + " on " + String.join(", ", stuck.stream().map(Sub::subject).distinct().toList()),
                    waiting + " message(s) wait on " + String.join(", ", stuck.stream().map(Sub::durable).toList()) + " and nobody has taken any for over "
                            + idle.toSeconds() + " s, while " + ready + " pod(s) of " + s.name() + " are Running and Ready: they no longer pull.")
                    .cause("Nobody takes the durable's messages")
                    .confidence(Confidence.LIKELY)
                    .path(new NatsPath(s.name(), first.durable, first.subject));
            for (Sub x : stuck) {
                ConsumerRow c = x.consumer.get();
                Optional<Instant> oldest = facts.get().oldestWaiting(c);
                f.evidence("NATS consumer", x.durable + ": " + c.unprocessed() + " not delivered, " + c.ackPending() + " not acknowledged"
                                + oldest.map(t -> ", the oldest waiting since " + t + " (" + Duration.between(t, now).toSeconds() + " s)").orElse("")
                                + ", last activity " + c.lastActive().map(t -> Duration.between(t, now).toSeconds() + " s ago").orElse("never")
                                + (c.push() ? (c.bound() ? ", push bound" : ", push not bound") : ", " + c.waiting() + " pull request(s) waiting"),
                        new EvidenceSource.NatsConsumer(c.stream(), x.durable));
            }
            serviceLog(o, s, stuck.stream().map(Sub::durable).toList(), f);
            for (PodView p : pods(o, s)) {
                if (p.ready()) {
                    f.evidence("status", p.name() + " is Running and Ready", Evidences.podField(p, "status.conditions[Ready]",
                            ".status.conditions[?(@.type==\"Ready\")]"));
                }
            }
            f.fix(Fixes.redeploy(s, runningTag(o, s), "Restart " + s.name() + " by the safe path: its new pods bind and pull again. If it stops"
                    + " again, its consumer loop fails: read its log."));
            out.add(f);
        }
        return out;
    }

    /**
     * Messages wait undelivered, nothing is pulling or bound, and neither the oldest of them nor the last
     * activity is recent. Delivered-but-unacknowledged messages do not count: they belong to a pod (or come
     * back after the ack wait when it died).
     */
    static boolean idle(ConsumerRow c, NatsFacts facts, Instant now, Duration limit) {
        if (c.unprocessed() == 0 || c.hasInterest()) {
            return false;
        }
        Instant threshold = now.minus(limit);
        boolean quiet = c.lastActive().map(t -> t.isBefore(threshold)).orElse(c.created().map(t -> t.isBefore(threshold)).orElse(true));
        boolean oldBacklog = facts.oldestWaiting(c).map(t -> t.isBefore(threshold)).orElse(false);
        return quiet && oldBacklog;
    }

    private static Optional<String> runningTag(Observations o, ServiceSpec s) {
        return pods(o, s).stream().flatMap(p -> p.container(s.container()).stream()).map(c -> c.getImage()).findFirst()
                .flatMap(image -> Fixes.runningTag(s, image));
    }

    /** What the service's own log says about its consumers. */
    private static void serviceLog(Observations o, ServiceSpec s, List<String> durables, Finding f) {
        for (PodView p : pods(o, s)) {
            if (!p.ready()) {
                continue;
            }
            List<String> lines = Evidences.matching(p.log(s.container(), false), l -> durables.stream().anyMatch(l::contains)
                    || l.toLowerCase(java.util.Locale.ROOT).contains("consumer not found")
                    || l.contains("[WARNING]") && l.toLowerCase(java.util.Locale.ROOT).contains("fail"), 2);
            lines.forEach(l -> f.evidence(List.of(Evidences.log(p, s.container(), false, l))));
            if (!lines.isEmpty()) {
                return;
            }
        }
    }
}
