package fleet.console.ui.diagnosis;

import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.diagnosis.Confidence;
import fleet.console.diagnosis.Diagnosis;
import fleet.console.diagnosis.DiagnosisReport;
import fleet.console.diagnosis.Evidence;
import fleet.console.diagnosis.EvidenceSource;
import fleet.console.diagnosis.Fix;
import fleet.console.diagnosis.RunbookSection;
import fleet.console.diagnosis.Severity;
import fleet.console.diagnosis.Subject;
import fleet.console.runbook.RunOptions;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Diagnosis panel's model without a window, on the shapes the diagnosis produces for the runbook's
 * "NATS not ready and a missing ConfigMap" case: blockers first, evidence with where it came from, the fix
 * handed to the shell (never run here) or copied, stale reads dropped.
 */
class DiagnosisViewModelTest {

    private static final String NS = "swe-ai-fleet";
    private static final String CONTEXT_POD = "context-5f8d-abcde";

    private final Queue<Runnable> background = new ArrayDeque<>();
    private final List<Fix.RunbookFix> started = new ArrayList<>();
    private final List<String> copied = new ArrayList<>();
    private final Map<String, DiagnosisReport> reports = new ConcurrentHashMap<>();
    private final DiagnosisViewModel model = new DiagnosisViewModel(pod -> {
        DiagnosisReport r = reports.get(pod);
        if (r == null) {
            throw new IllegalStateException("pods \"" + pod + "\" not found");
        }
        return r;
    }, background::add, Runnable::run, started::add, copied::add);

    private void runBackground() {
        Runnable next;
        while ((next = background.poll()) != null) {
            next.run();
        }
    }

    private static Diagnosis natsDown() {
        return new Diagnosis("nats-not-ready:Pod/nats-0", "nats-not-ready", "NATS not ready", "nats-0 is not Ready: every service that "
                + "uses NATS fails until it is.", Subject.pod(NS, "nats-0", Optional.of(new WorkloadRef("StatefulSet", "nats")), Optional.of("nats")),
                "not Ready", Severity.CRITICAL, Confidence.CERTAIN,
                List.of(new Evidence("status", "Ready=False since 12:00:03", new EvidenceSource.ObjectField("Pod", NS, "nats-0",
                        "status.conditions[Ready]", ".status.conditions[?(@.type==\"Ready\")]"))),
                Optional.of(new Fix.CommandFix("Look at why nats-0 is not Ready, then delete it so the StatefulSet starts it again.",
                        List.of("kubectl describe pod nats-0 -n swe-ai-fleet", "kubectl delete pod nats-0 -n swe-ai-fleet"))),
                RunbookSection.CRASH_LOOP, List.of(), List.of(), Optional.empty());
    }

    private static Diagnosis missingConfig(String blocker) {
        return new Diagnosis("missing-config:Pod/" + CONTEXT_POD, "missing-config", "Missing ConfigMap",
                "context needs ConfigMap app-config, which does not exist in swe-ai-fleet.",
                Subject.pod(NS, CONTEXT_POD, Optional.of(new WorkloadRef("Deployment", "context")), Optional.of("context")),
                "CreateContainerConfigError", Severity.ERROR, Confidence.CERTAIN,
                List.of(new Evidence("event Failed x4", "Error: configmap \"app-config\" not found",
                                new EvidenceSource.KubeEvent(NS, "uid-1", "Pod", CONTEXT_POD, "Failed")),
                        new Evidence("previous log", "ConnectionRefusedError: nats://nats:4222",
                                new EvidenceSource.PodLog(NS, CONTEXT_POD, "context", true, "ConnectionRefusedError: nats://nats:4222")),
                        new Evidence("registry", "the registry has swe-ai-fleet/context:v2.0.0-core-refactor",
                                new EvidenceSource.Registry("https://registry.underpassai.com/v2/swe-ai-fleet/context/tags/list"))),
                Optional.of(new Fix.RunbookFix("redeploy", RunOptions.none().withService("context").withSkipBuild(true),
                        "Create the ConfigMap, then the safe redeploy of context.")),
                RunbookSection.CRASH_LOOP, blocker == null ? List.of() : List.of(blocker), List.of("crash-nats-unreachable:Pod/" + CONTEXT_POD),
                Optional.empty());
    }

    private static DiagnosisReport report(Diagnosis... ds) {
        return new DiagnosisReport(NS, Instant.parse("2026-11-26T12:00:00Z"), List.of(ds), Optional.empty());
    }

    @Test
    void aBlockedCauseIsShownWithWhatBlocksItFirstAndItsOwnCauseChosen() {
        reports.put(CONTEXT_POD, report(natsDown(), missingConfig(natsDown().id())));
        model.select(CONTEXT_POD);
        assertThat(model.getState()).isEqualTo(DiagnosisViewModel.State.READING);
        runBackground();

        assertThat(model.getState()).isEqualTo(DiagnosisViewModel.State.DIAGNOSED);
        assertThat(model.headlineProperty().get()).isEqualTo("pod/" + CONTEXT_POD + ": 1 cause, blocked by 1 elsewhere");
        assertThat(model.causes()).extracting(DiagnosisViewModel.CauseRow::title)
                .containsExactly("NATS not ready - pod/nats-0 (fix first)", "Missing ConfigMap");
        assertThat(model.causeProperty().get()).isEqualTo("Missing ConfigMap");
        assertThat(model.levelProperty().get()).isEqualTo(fleet.console.ui.common.Severity.PROBLEM);
        assertThat(model.blockedByProperty().get()).isEqualTo("Fix first: NATS not ready (pod/nats-0)");
        assertThat(model.confidenceProperty().get()).isEqualTo("Confidence: certain (95%), 1 other cause(s) possible");
        assertThat(model.sectionProperty().get()).isEqualTo("From the runbook: Troubleshooting, Issue B: CrashLoopBackOff");
    }

    @Test
    void everyPieceOfEvidenceSaysWhereItCameFromAndCopiesTheCommandThatShowsIt() {
        reports.put(CONTEXT_POD, report(missingConfig(null)));
        model.select(CONTEXT_POD);
        runBackground();

        assertThat(model.evidence()).extracting(DiagnosisViewModel.EvidenceRow::origin)
                .containsExactly("event", "log line", "registry answer");
        assertThat(model.evidence()).extracting(DiagnosisViewModel.EvidenceRow::where).containsExactly(
                "Failed on pod/" + CONTEXT_POD,
                "pod/" + CONTEXT_POD + " container context, run before the last restart",
                "https://registry.underpassai.com/v2/swe-ai-fleet/context/tags/list");
        model.copyEvidenceCommand(model.evidence().get(1));
        assertThat(copied).containsExactly("kubectl logs -n swe-ai-fleet " + CONTEXT_POD + " -c context --previous --tail=100");

        model.evidenceFilterProperty().set("configmap");
        assertThat(model.evidence()).extracting(DiagnosisViewModel.EvidenceRow::origin).containsExactly("event");
        model.evidenceFilterProperty().set("");
        assertThat(model.evidence()).hasSize(3);
    }

    @Test
    void aRunbookFixIsHandedToTheShellWithItsServiceAndItsCommandCanBeCopied() {
        reports.put(CONTEXT_POD, report(missingConfig(null)));
        model.select(CONTEXT_POD);
        runBackground();

        assertThat(model.fixActionProperty().get()).isEqualTo("Run redeploy for context");
        assertThat(model.runbookFixProperty().get()).isTrue();
        assertThat(model.fixCommandProperty().get()).isEqualTo("fleet-console runbook redeploy --service context --skip-build");
        model.applyFix();
        assertThat(started).hasSize(1);
        assertThat(started.get(0).runbook()).isEqualTo("redeploy");
        assertThat(started.get(0).options().service()).contains("context");
        assertThat(copied).isEmpty();
        assertThat(model.noticeProperty().get()).startsWith("Started the redeploy runbook for context");

        model.copyFixCommand();
        assertThat(copied).containsExactly("fleet-console runbook redeploy --service context --skip-build");
        assertThat(started).hasSize(1);
    }

    @Test
    void aFixWithoutARunbookIsCopiedAsItsCommandsNeverRun() {
        reports.put(CONTEXT_POD, report(natsDown(), missingConfig(natsDown().id())));
        model.select(CONTEXT_POD);
        runBackground();
        model.choose(model.causes().get(0));

        assertThat(model.causeProperty().get()).isEqualTo("NATS not ready");
        assertThat(model.runbookFixProperty().get()).isFalse();
        assertThat(model.fixActionProperty().get()).isEqualTo("Copy the 2 commands");
        model.applyFix();
        assertThat(started).isEmpty();
        assertThat(copied).containsExactly("kubectl describe pod nats-0 -n swe-ai-fleet\nkubectl delete pod nats-0 -n swe-ai-fleet");
        assertThat(model.noticeProperty().get()).isEqualTo("Copied: kubectl describe pod nats-0 -n swe-ai-fleet (and 1 more)");
    }

    @Test
    void aReadForAPodNoLongerSelectedIsDroppedAndTheLiveReportKeepsTheChoice() {
        reports.put(CONTEXT_POD, report(natsDown(), missingConfig(natsDown().id())));
        reports.put("orchestrator-1", report());
        model.select(CONTEXT_POD);
        model.select("orchestrator-1");
        runBackground();
        assertThat(model.getState()).isEqualTo(DiagnosisViewModel.State.HEALTHY);
        assertThat(model.headlineProperty().get()).isEqualTo("pod/orchestrator-1: nothing wrong found.");
        assertThat(model.causes()).isEmpty();

        model.select(CONTEXT_POD);
        runBackground();
        model.choose(model.causes().get(0));
        // The live diagnosis brings a newer report: the same causes, the operator's choice kept.
        model.update(report(natsDown(), missingConfig(natsDown().id())));
        assertThat(model.causeProperty().get()).isEqualTo("NATS not ready");
        // NATS is back and the ConfigMap made: the pod's cause is gone from the next report.
        model.update(report());
        assertThat(model.getState()).isEqualTo(DiagnosisViewModel.State.HEALTHY);
        assertThat(model.selectedProperty().get()).isNull();
        assertThat(model.hasFixProperty().get()).isFalse();
    }

    @Test
    void aFailedReadSaysWhy() {
        model.select("gone-pod");
        runBackground();
        assertThat(model.getState()).isEqualTo(DiagnosisViewModel.State.FAILED);
        assertThat(model.headlineProperty().get()).isEqualTo("Could not diagnose pod/gone-pod: pods \"gone-pod\" not found");
    }

    @Test
    void theBadgeOfAPodIsItsWorstCauseInWordsAndHowManyMore() {
        assertThat(DiagnosisViewModel.badgeFor(List.of())).isEmpty();
        DiagnosisViewModel.Badge b = DiagnosisViewModel.badgeFor(List.of(missingConfig(null), natsDown())).orElseThrow();
        assertThat(b.text()).isEqualTo("NATS not ready +1");
        assertThat(b.level()).isEqualTo(fleet.console.ui.common.Severity.PROBLEM);
    }

    private static Diagnosis durableMissing() {
        return new Diagnosis("nats-durable-missing:Deployment/orchestrator", "nats-durable-missing", "Durable consumer missing",
                "orchestrator runs, but the server has no durable orch-planning-story-transitions.",
                Subject.workload(NS, new WorkloadRef("Deployment", "orchestrator"), Optional.of("orchestrator")),
                "not receiving NATS messages", Severity.ERROR, Confidence.CERTAIN,
                List.of(new Evidence("NATS consumers", "PLANNING_EVENTS has no consumer orch-planning-story-transitions",
                        new EvidenceSource.NatsConsumer("PLANNING_EVENTS", "orch-planning-story-transitions"))),
                Optional.of(new Fix.RunbookFix("redeploy", RunOptions.none().withService("orchestrator").withSkipBuild(true), "Restart it.")),
                RunbookSection.NATS_MESSAGES, List.of(), List.of(),
                Optional.of(new fleet.console.diagnosis.NatsPath("orchestrator", "orch-planning-story-transitions", "planning.story.transitioned")));
    }

    @Test
    void aCauseOfThePodsWorkloadAsAWholeIsShownForThePodAndItsTestPublishAddsEvidence() {
        List<Diagnosis> proved = new ArrayList<>();
        model.setProver(d -> {
            proved.add(d);
            return d.withMoreEvidence(List.of(new Evidence("test publish", "a test message to planning.story.transitioned was stored in "
                    + "PLANNING_EVENTS", new EvidenceSource.NatsPublish("planning.story.transitioned", "PLANNING_EVENTS", 42))));
        });
        reports.put("orchestrator-1", report(durableMissing()));

        model.select("orchestrator-1");
        runBackground();
        assertThat(model.getState()).as("without its owner the pod has no cause of its own").isEqualTo(DiagnosisViewModel.State.HEALTHY);

        model.select("orchestrator-1", Optional.of(new WorkloadRef("Deployment", "orchestrator")));
        runBackground();
        assertThat(model.getState()).isEqualTo(DiagnosisViewModel.State.DIAGNOSED);
        assertThat(model.causeProperty().get()).isEqualTo("Durable consumer missing");
        assertThat(model.provableProperty().get()).isTrue();
        assertThat(model.evidence()).extracting(DiagnosisViewModel.EvidenceRow::origin).containsExactly("NATS consumer");

        model.prove();
        assertThat(model.provingProperty().get()).isTrue();
        runBackground();
        assertThat(proved).hasSize(1);
        assertThat(model.provingProperty().get()).isFalse();
        assertThat(model.evidence()).extracting(DiagnosisViewModel.EvidenceRow::origin).containsExactly("NATS consumer", "test publish");
        assertThat(model.evidence().get(1).where()).isEqualTo("planning.story.transitioned -> PLANNING_EVENTS #42");
        assertThat(model.noticeProperty().get()).startsWith("Test message published on planning.story.transitioned: 1 more piece(s)");

        // A cause the pod's own diagnosis cannot prove by a publish offers none.
        model.select(CONTEXT_POD);
        reports.put(CONTEXT_POD, report(missingConfig(null)));
        runBackground();
        assertThat(model.provableProperty().get()).isFalse();
    }

    @Test
    void aClickOnEvidenceOpensItsSourceWhenTheShellCanAndCopiesItsCommandOtherwise() {
        List<EvidenceSource> opened = new ArrayList<>();
        reports.put(CONTEXT_POD, report(missingConfig(null)));
        model.select(CONTEXT_POD);
        runBackground();
        model.openSource(model.evidence().get(0));
        assertThat(copied).containsExactly("kubectl get events -n swe-ai-fleet --field-selector involvedObject.name=" + CONTEXT_POD
                + ",reason=Failed");

        model.setSourceOpener(opened::add);
        model.openSource(model.evidence().get(1));
        assertThat(opened).singleElement().isInstanceOfSatisfying(EvidenceSource.PodLog.class, l -> {
            assertThat(l.pod()).isEqualTo(CONTEXT_POD);
            assertThat(l.previous()).isTrue();
        });
        assertThat(copied).hasSize(1);
    }
}
