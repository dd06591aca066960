package fleet.console.diagnosis;

import fleet.console.sandbox.Fault;
import fleet.console.sandbox.SandboxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No false alarms: a healthy fleet with its normal traffic (the sandbox's trickle of fleet events, about one
 * a second, worked off by the services) is watched by the live diagnosis for half a minute (three idle-consumer limits) and nothing is
 * diagnosed; then a real failure is, so the watch was really looking.
 */
class HealthyFleetDiagnosisTest {

    private static final Duration RUN = Duration.ofSeconds(30);

    private static DiagnosisFixture fleet;

    @BeforeAll
    static void start() throws Exception {
        // Stricter than the default: a durable with a message waiting 10 s is already "not taken".
        fleet = DiagnosisFixture.start(SandboxOptions.defaults().withRegistry(false).withEventTrickle(true), s -> RegistryLookup.none(),
                DiagnosisOptions.defaults().withIdleConsumer(Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void aHealthyFleetUnderNormalTrafficIsNeverDiagnosedForAMinuteAndAFailureIsAtOnce() throws Exception {
        List<DiagnosisReport> reports = new CopyOnWriteArrayList<>();
        CountDownLatch alarm = new CountDownLatch(1);
        CountDownLatch crash = new CountDownLatch(1);
        try (LiveDiagnosis live = fleet.service.live(r -> {
            reports.add(r);
            if (!r.isEmpty()) {
                alarm.countDown();
            }
            if (DiagnosisFixture.of(r, "crash-import-error", "ray-executor").isPresent()) {
                crash.countDown();
            }
        }, Duration.ofMillis(500), Duration.ofSeconds(3))) {
            // Waiting for an alarm that must not come: the minute passes only if none does.
            boolean alarmed = alarm.await(RUN.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(alarmed, "a false alarm on a healthy fleet:\n" + reports.stream().filter(r -> !r.isEmpty()).findFirst()
                    .map(DiagnosisReport::render).orElse(""));
            assertTrue(live.runs() >= RUN.toSeconds() / 3 - 2, "it kept looking: " + live.runs() + " diagnoses in " + RUN.toSeconds() + " s");
            assertTrue(live.latest().orElseThrow().natsNote().isEmpty(), "NATS was checked each time, not skipped");
            assertEquals(1, reports.size(), "one report (empty) delivered: nothing changed that an operator would see");

            // The traffic reached every subscriber all along: a test message on each subject is taken by all of them.
            for (String subject : fleet.sandbox.profile().services().stream().flatMap(s -> s.subscriptions().values().stream())
                    .filter(x -> !x.contains("*") && !x.contains(">")).distinct().limit(3).toList()) {
                NatsPathProbe.Result proof = fleet.service.probe(subject, Duration.ofSeconds(10));
                assertTrue(!proof.outcomes().isEmpty() && proof.outcomes().stream().allMatch(NatsPathProbe.Outcome::took), proof.toString());
            }
            assertTrue(fleet.now().isEmpty(), fleet.now().render());

            fleet.sandbox.inject(Fault.parse("crash=ray-executor"));
            assertTrue(crash.await(60, TimeUnit.SECONDS), "the live diagnosis reports a crash when there is one");
        } finally {
            fleet.sandbox.clearFaults();
        }
    }
}
