package fleet.console.ui.pods;

import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.pods.PodRow;
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
import fleet.console.ui.common.ManualFrames;
import fleet.console.ui.common.ManualScheduler;
import fleet.console.ui.diagnosis.DiagnosisSource;
import fleet.console.ui.diagnosis.DiagnosisViewModel;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static fleet.console.ui.pods.FakePods.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Pods area with the diagnosis on, without a window: a badge on each diagnosed pod kept current by the
 * live diagnosis, the Diagnosis panel following the selected pod, its fix handed to the shell.
 */
class PodsDiagnosisTest {

    private final FakePods pods = new FakePods();
    private final ManualScheduler background = new ManualScheduler();
    private final PodsViewModel model = new PodsViewModel(pods, background, Runnable::run,
            Clock.fixed(FakePods.NOW, ZoneOffset.UTC), new ManualFrames(), 1_000);

    private final PodRow orchestrator = row("orchestrator-6d8f-abcde", "orchestrator", "CrashLoopBackOff", true, 4);
    private final PodRow context = row("context-5c4b-klmno", "context", "Running", false, 1);

    private final List<Fix.RunbookFix> started = new ArrayList<>();
    private final List<String> copied = new ArrayList<>();

    /** The diagnosis as the live one delivers it, and the reports a pod read gets. */
    private final class FakeDiagnosis implements DiagnosisSource {
        Consumer<DiagnosisReport> listener;
        DiagnosisReport current = report();
        int followsClosed;

        @Override
        public AutoCloseable follow(ClusterSession session, Consumer<DiagnosisReport> l) {
            listener = l;
            return () -> followsClosed++;
        }

        @Override
        public DiagnosisReport pod(ClusterSession session, String pod) {
            return current;
        }

        @Override
        public Diagnosis prove(ClusterSession session, Diagnosis diagnosis) {
            return diagnosis;
        }
    }

    private final FakeDiagnosis diagnosis = new FakeDiagnosis();

    private static DiagnosisReport report(Diagnosis... ds) {
        return new DiagnosisReport("swe-ai-fleet", FakePods.NOW, List.of(ds), Optional.empty());
    }

    private static Diagnosis bound(String pod) {
        return new Diagnosis("consumer-already-bound:Pod/" + pod, "consumer-already-bound", "Push durable bound twice (consumer is already bound)",
                pod + " crashes: two versions bound deliberation-collector-completed.",
                Subject.pod("swe-ai-fleet", pod, Optional.of(new WorkloadRef("Deployment", "orchestrator")), Optional.of("orchestrator")),
                "CrashLoopBackOff", Severity.ERROR, Confidence.CERTAIN,
                List.of(new Evidence("previous log", "nats.js.errors.Error: consumer is already bound to a subscription",
                        new EvidenceSource.PodLog("swe-ai-fleet", pod, "orchestrator", true, "consumer is already bound to a subscription"))),
                Optional.of(new Fix.RunbookFix("redeploy", RunOptions.none().withService("orchestrator").withSkipBuild(true), "The safe redeploy.")),
                RunbookSection.CONSUMER_ALREADY_BOUND, List.of(), List.of(), Optional.empty());
    }

    private void connected() {
        model.enableDiagnosis(diagnosis, started::add, copied::add);
        model.show(FakePods.SESSION);
        model.activate();
        background.settle();
        pods.listener.changed(List.of(orchestrator, context), List.of());
    }

    @Test
    void eachDiagnosedPodGetsItsBadgeAndLosesItWhenTheCauseIsGone() {
        connected();
        assertThat(diagnosis.listener).as("the live diagnosis follows the session once the area is shown").isNotNull();
        assertThat(model.diagnosisEnabledProperty().get()).isTrue();

        diagnosis.listener.accept(report(bound(orchestrator.name())));
        DiagnosisViewModel.Badge badge = model.diagnosisBadges().get(orchestrator.name());
        assertThat(badge.text()).isEqualTo("Push durable bound twice (consumer is already bound)");
        assertThat(badge.level()).isEqualTo(fleet.console.ui.common.Severity.PROBLEM);
        assertThat(model.diagnosisBadges()).doesNotContainKey(context.name());

        diagnosis.listener.accept(report());
        assertThat(model.diagnosisBadges()).isEmpty();
    }

    @Test
    void selectingAPodShowsItsDiagnosisAndTheFixGoesToTheShell() {
        connected();
        diagnosis.current = report(bound(orchestrator.name()));

        model.select(orchestrator);
        background.settle();

        DiagnosisViewModel panel = model.diagnosis();
        assertThat(panel.getState()).isEqualTo(DiagnosisViewModel.State.DIAGNOSED);
        assertThat(panel.causeProperty().get()).isEqualTo("Push durable bound twice (consumer is already bound)");
        assertThat(panel.fixActionProperty().get()).isEqualTo("Run redeploy for orchestrator");
        panel.applyFix();
        assertThat(started).extracting(Fix.RunbookFix::runbook).containsExactly("redeploy");

        // The live diagnosis says the redeploy cured it: the panel follows without a read of its own.
        diagnosis.listener.accept(report());
        assertThat(panel.getState()).isEqualTo(DiagnosisViewModel.State.HEALTHY);
    }

    @Test
    void aBadgedPodShowsItsBadgesCauseInThePanelEvenWhenAReadNowWouldFindNothing() {
        connected();
        diagnosis.listener.accept(report(bound(orchestrator.name())));
        // A crash-looping pod read between two crashes: nothing wrong now. The live diagnosis, which tells only of
        // changes, has nothing new to say when it crashes again.
        diagnosis.current = report();

        model.select(orchestrator);
        background.settle();

        DiagnosisViewModel panel = model.diagnosis();
        assertThat(panel.getState()).as("the panel agrees with the row's badge").isEqualTo(DiagnosisViewModel.State.DIAGNOSED);
        assertThat(panel.causeProperty().get()).isEqualTo(model.diagnosisBadges().get(orchestrator.name()).text());

        // F5 reads the pod now, as asked.
        panel.refresh();
        background.settle();
        assertThat(panel.getState()).isEqualTo(DiagnosisViewModel.State.HEALTHY);
    }

    @Test
    void anotherSessionStopsFollowingTheOldOneAndClearsTheBadges() {
        connected();
        diagnosis.listener.accept(report(bound(orchestrator.name())));
        assertThat(model.diagnosisBadges()).isNotEmpty();

        model.show(null);
        background.settle();
        assertThat(diagnosis.followsClosed).isEqualTo(1);
        assertThat(model.diagnosisBadges()).isEmpty();
        assertThat(model.diagnosis().getState()).isEqualTo(DiagnosisViewModel.State.EMPTY);
    }
}
