package fleet.console.app;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code health --explain}: after the table, what is wrong, with its evidence and its fix. */
class HealthExplainCliTest {

    @Test
    void explainOnASandboxWithACrashPrintsTheCauseTheEvidenceAndTheFixAndExitsOne() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(new String[] {"health", "--sandbox", "--fault", "crash=ray-executor", "--explain"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        String text = out.toString();

        assertEquals(1, exit, text + err);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("\u2717 ray-executor ") && l.contains("CrashLoopBackOff")), "the table first:\n" + text);
        int causes = text.indexOf("What is wrong in swe-ai-fleet (1 cause");
        assertTrue(causes > 0, "then the diagnosis:\n" + text);
        String diagnosis = text.substring(causes);
        assertTrue(diagnosis.contains("1. Import error after the src/ -> core/ move  [error, certain]"), diagnosis);
        assertTrue(diagnosis.contains("deployment/ray-executor: pod/ray-executor-"), diagnosis);
        assertTrue(diagnosis.contains("- previous log: ModuleNotFoundError: No module named 'src'"), "the evidence, quoted:\n" + diagnosis);
        assertTrue(diagnosis.contains("$ kubectl logs -n swe-ai-fleet ray-executor-") && diagnosis.contains("--previous"),
                "with the command that shows it:\n" + diagnosis);
        assertTrue(diagnosis.contains("Fix: Fix the import in the code (change 'src.' imports to 'core.')"), "the fix:\n" + diagnosis);
        assertTrue(diagnosis.contains("$ fleet-console runbook redeploy --service ray-executor --tag <the fixed tag>"), diagnosis);
        assertTrue(diagnosis.contains("From: Troubleshooting, Issue B: CrashLoopBackOff"), diagnosis);
    }
}
