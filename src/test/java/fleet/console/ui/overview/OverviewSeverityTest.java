package fleet.console.ui.overview;

import fleet.console.cluster.WorkloadHealth;
import fleet.console.ui.common.Severity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Overview marks as a problem: a workload with something wrong, not one whose pods are on their
 * way. A rollout the operator just started (pods of the old template still running) shows busy, not red.
 */
class OverviewSeverityTest {

    private static WorkloadHealth row(boolean healthy, String state) {
        return new WorkloadHealth("ray-executor", "Deployment", 1, healthy ? 1 : 0, healthy, state, "");
    }

    @Test
    void aRolloutOrAStartIsUnderWayAndOnlyAWrongStateIsAProblem() {
        assertThat(OverviewView.severityOf(row(true, "Running"))).isEqualTo(Severity.OK);
        assertThat(OverviewView.severityOf(row(false, WorkloadHealth.ROLLING_OUT))).isEqualTo(Severity.BUSY);
        assertThat(OverviewView.severityOf(row(false, WorkloadHealth.STARTING))).isEqualTo(Severity.BUSY);
        assertThat(OverviewView.severityOf(row(false, "ImagePullBackOff"))).isEqualTo(Severity.PROBLEM);
        assertThat(OverviewView.severityOf(row(false, "Rollout stalled"))).isEqualTo(Severity.PROBLEM);
        assertThat(OverviewView.severityOf(row(false, "Scaled to 0"))).isEqualTo(Severity.PROBLEM);
        // Under way is never healthy: the health runbook still fails while a rollout is not done.
        assertThat(row(false, WorkloadHealth.ROLLING_OUT).underWay()).isTrue();
        assertThat(row(false, WorkloadHealth.ROLLING_OUT).healthy()).isFalse();
    }
}
