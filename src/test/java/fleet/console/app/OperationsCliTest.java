package fleet.console.app;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runbook, rollout, scale and nats commands as a script uses them: output and exit codes. */
class OperationsCliTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void runbookListNamesEveryRunbookAndAnUnknownOneIsRefused() {
        Result list = run("runbook", "list");
        assertEquals(0, list.exit());
        assertTrue(list.out().contains("nats-clean-slate") && list.out().contains("redeploy"), list.out());
        Result unknown = run("runbook", "redeplo", "--sandbox");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("there is no runbook 'redeplo'") && unknown.err().contains("redeploy"), unknown.err());
    }

    @Test
    void dryRunOfASafeRedeployPrintsItsCommandsAndChangesNothing() {
        Result r = run("runbook", "redeploy", "--service", "orchestrator", "--skip-build", "--dry-run", "--sandbox");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("$ kubectl scale deployment/orchestrator -n NS --replicas=0"), r.out());
        assertTrue(r.out().contains("Dry run: nothing was changed."), r.out());
    }

    @Test
    void rolloutHistoryShowsImagesAndCausesAndUndoOfASingleRevisionIsRefused() {
        Result history = run("rollout", "history", "ray-executor", "--sandbox");
        assertEquals(0, history.exit(), history.out() + history.err());
        assertTrue(history.out().contains("registry.underpassai.com/swe-ai-fleet/ray-executor:v3.0.0-core-refactor"), history.out());
        assertTrue(history.out().contains("Initial deployment of"), history.out());
        Result undo = run("rollout", "undo", "ray-executor", "--yes", "--sandbox");
        assertEquals(2, undo.exit());
        assertTrue(undo.err().contains("single revision"), undo.err());
    }

    @Test
    void scalingToZeroWithoutYesSaysWhatItStopsAndChangesNothing() {
        Result r = run("scale", "orchestrator", "0", "--sandbox");
        assertEquals(2, r.exit());
        assertTrue(r.out().contains("stops its 2 running pod(s)"), r.out());
    }

    @Test
    void natsPublishSaysWhichStreamTookTheMessageAndDriftIsNone() {
        Result publish = run("nats", "publish", "planning.story.transitioned", "{\"story_id\":\"test-001\"}", "--sandbox");
        assertEquals(0, publish.exit(), publish.out() + publish.err());
        assertTrue(publish.out().contains("stream PLANNING_EVENTS"), publish.out());
        Result drift = run("nats", "drift", "--sandbox");
        assertEquals(0, drift.exit(), drift.out() + drift.err());
        assertTrue(drift.out().contains("exactly the declared streams"), drift.out());
    }
}
