package fleet.console.diagnosis;

import fleet.console.sandbox.SandboxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service that runs and is Ready but does not get its messages (the runbook's Issue E), on the sandbox's
 * real nats-server: its durable missing, filtering on another subject, its stream missing, or nobody
 * pulling. The runbook's test publish proves the path each time, before and after the fix.
 */
class NatsDeliveryDiagnosisTest {

    private static final String SUBJECT = "planning.story.transitioned";
    private static final String DURABLE = "orch-planning-story-transitions";
    /** Long enough for a healthy service (it pulls every 3 s) never to look idle, short enough for a test. */
    private static final Duration IDLE = Duration.ofSeconds(6);
    private static final Duration PROBE = Duration.ofSeconds(10);

    private static DiagnosisFixture fleet;

    @BeforeAll
    static void start() throws Exception {
        fleet = DiagnosisFixture.start(SandboxOptions.defaults().withRegistry(false), s -> RegistryLookup.none(),
                DiagnosisOptions.defaults().withIdleConsumer(IDLE));
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @AfterEach
    void recover() throws Exception {
        fleet.recover();
        NatsPathProbe.Result proof = fleet.service.probe(SUBJECT, PROBE);
        assertTrue(proof.outcomes().stream().allMatch(NatsPathProbe.Outcome::took), "every subscriber takes the test message again: " + proof);
    }

    @Test
    void aMissingDurableIsFoundAndTheTestPublishShowsWhoTakesTheMessageAndWhoCannot() throws Exception {
        fleet.inject("missing-durable=orchestrator");
        Diagnosis d = fleet.awaitRule("nats-durable-missing", "orchestrator");

        assertEquals("deployment/orchestrator", d.subject().label());
        assertEquals(RunbookSection.NATS_MESSAGES, d.section());
        assertTrue(d.explanation().contains(DURABLE) && d.explanation().contains(SUBJECT), d.explanation());
        assertTrue(d.evidence().stream().anyMatch(e -> e.source() instanceof EvidenceSource.NatsConsumer c && c.durable().equals(DURABLE)
                && c.stream().equals("PLANNING_EVENTS") && e.text().startsWith("PLANNING_EVENTS has no consumer " + DURABLE)));
        assertEquals(Optional.of(new NatsPath("orchestrator", DURABLE, SUBJECT)), d.path());

        Diagnosis proved = fleet.service.prove(d, PROBE).join();
        assertTrue(proved.evidence().stream().anyMatch(e -> e.source() instanceof EvidenceSource.NatsPublish p && p.stream().equals("PLANNING_EVENTS")
                && e.text().startsWith("a test message to " + SUBJECT + " was stored in PLANNING_EVENTS")), "where the message went");
        assertTrue(proved.evidence().stream().anyMatch(e -> e.text().equals(DURABLE + " (orchestrator) cannot take it: PLANNING_EVENTS has no durable "
                + DURABLE)), proved.evidence().toString());
        assertTrue(proved.evidence().stream().anyMatch(e -> e.text().startsWith("context-planning-story-transitions (context) took it after")),
                "the path works for the other subscriber: the stream and subject are fine");
        assertTrue(fleet.journal.stream().anyMatch(a -> a.action().equals("nats publish") && a.target().equals(SUBJECT)), "the publish is journaled");

        Fix.RunbookFix fix = (Fix.RunbookFix) d.fix().orElseThrow();
        assertEquals("redeploy", fix.runbook());
        assertEquals(Optional.of("orchestrator"), fix.options().service());
        assertEquals(Optional.of("v3.0.0-core-refactor"), fix.options().tag(), "keeps the image it runs");
        fleet.run(fix);
        NatsPathProbe.Result after = fleet.service.probe(SUBJECT, PROBE);
        assertTrue(after.of(DURABLE).orElseThrow().took(), "orchestrator takes its messages again: " + after);
        assertTrue(DiagnosisFixture.of(fleet.now(), "nats-durable-missing", "orchestrator").isEmpty());
    }

    @Test
    void aDurableOnTheWrongSubjectIsNamedWithBothSubjectsAndTheCleanSlateCuresIt() throws Exception {
        fleet.inject("wrong-filter=orchestrator");
        Diagnosis d = fleet.awaitRule("nats-wrong-filter", "orchestrator");

        assertEquals("Durable filters on another subject", d.cause());
        assertTrue(d.explanation().startsWith(DURABLE + " filters on planning.plan.approved, not " + SUBJECT), d.explanation());
        assertTrue(d.evidence().stream().anyMatch(e -> e.source() instanceof EvidenceSource.Profile p && p.field().equals("subscriptions[" + DURABLE + "]")));
        NatsPathProbe.Result probe = fleet.service.probe(SUBJECT, PROBE);
        assertEquals("cannot take it: it filters on planning.plan.approved", probe.of(DURABLE).orElseThrow().note());

        Fix.RunbookFix fix = (Fix.RunbookFix) d.fix().orElseThrow();
        assertEquals("nats-clean-slate", fix.runbook());
        assertTrue(fix.summary().contains("nats consumer rm PLANNING_EVENTS " + DURABLE), "the lighter way by hand is said too");
        fleet.run(fix);
        fleet.await("the durables are recreated on their subjects", r -> DiagnosisFixture.of(r, "nats-wrong-filter", "orchestrator").isEmpty()
                && DiagnosisFixture.of(r, "nats-durable-missing", "orchestrator").isEmpty() && r.isEmpty());
        assertTrue(fleet.service.probe(SUBJECT, PROBE).of(DURABLE).orElseThrow().took());
    }

    @Test
    void aMissingStreamIsNamedForEveryServiceThatReadsFromIt() throws Exception {
        fleet.inject("missing-stream=CONTEXT");
        Diagnosis d = fleet.awaitRule("nats-stream-missing", "orchestrator");

        assertTrue(d.explanation().contains("context.updated") && d.explanation().contains("the profile declares CONTEXT (context.>)"), d.explanation());
        assertTrue(d.evidence().stream().anyMatch(e -> e.source() instanceof EvidenceSource.NatsStreams && !e.text().contains("CONTEXT")),
                "the server's streams, without CONTEXT");
        assertEquals(Optional.of("nats-clean-slate"), d.fix().map(f -> ((Fix.RunbookFix) f).runbook()));
        Diagnosis proved = fleet.service.prove(d, PROBE).join();
        assertTrue(proved.evidence().stream().anyMatch(e -> e.text().equals("a test message to context.updated was stored nowhere: no stream captures "
                + "context.updated")), proved.evidence().toString());
        assertTrue(DiagnosisFixture.of(fleet.now(), "nats-stream-missing", "context").isEmpty(), "context reads nothing from CONTEXT");

        fleet.run(d.fix().orElseThrow());
        fleet.await("CONTEXT is back and orchestrator's durables on it with it", r -> r.isEmpty());
        assertTrue(fleet.service.probe("context.updated", PROBE).outcomes().stream().allMatch(NatsPathProbe.Outcome::took),
                "a test message on context.updated is taken again");
    }

    @Test
    void aServiceThatStoppedPullingIsCaughtByItsWaitingMessagesAndARestartCuresIt() throws Exception {
        fleet.inject("stalled-consumer=orchestrator");
        // The runbook's test publish: context takes the message, orchestrator does not, though its pods are Ready.
        NatsPathProbe.Result probe = fleet.service.probe(SUBJECT, PROBE);
        assertFalse(probe.of(DURABLE).orElseThrow().took(), probe.toString());
        assertEquals("did not take it within 10.0 s", probe.of(DURABLE).orElseThrow().note());
        assertTrue(probe.of("context-planning-story-transitions").orElseThrow().took(), probe.toString());

        Diagnosis d = fleet.awaitRule("nats-not-consuming", "orchestrator");
        assertEquals(Confidence.LIKELY, d.confidence());
        assertTrue(d.explanation().contains(DURABLE) && d.explanation().contains("Running and Ready"), d.explanation());
        assertTrue(d.evidence().stream().anyMatch(e -> e.source() instanceof EvidenceSource.NatsConsumer c && c.durable().equals(DURABLE)
                && e.text().contains("not delivered") && e.text().contains("the oldest waiting since")), d.evidence().toString());
        assertTrue(DiagnosisFixture.of(fleet.now(), "nats-not-consuming", "context").isEmpty(), "context pulls: no false alarm beside it");

        Fix.RunbookFix fix = (Fix.RunbookFix) d.fix().orElseThrow();
        assertEquals("redeploy", fix.runbook());
        fleet.run(fix);
        NatsPathProbe.Result after = fleet.service.probe(SUBJECT, PROBE);
        assertTrue(after.of(DURABLE).orElseThrow().took(), after.toString());
        assertTrue(fleet.service.awaitBacklogsTaken(d, Duration.ofSeconds(20)), "every durable it named takes its waiting messages");
        DiagnosisReport now = fleet.now();
        assertTrue(DiagnosisFixture.of(now, "nats-not-consuming", "orchestrator").isEmpty(), now.render());
    }
}
