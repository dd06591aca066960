package fleet.console.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rollout actions' kubectl equivalents, as the Rollouts area copies them. */
class KubectlRolloutCommandsTest {

    private final KubectlCommands prod = KubectlCommands.in("prod east", "swe-ai-fleet");

    @Test
    void everyRolloutActionNamesItsContextAndQuotesWhatAShellWouldSplit() {
        assertEquals("kubectl --context 'prod east' rollout history deployment/orchestrator -n swe-ai-fleet", prod.rolloutHistory("deployment/orchestrator"));
        assertEquals("kubectl --context 'prod east' rollout undo deployment/orchestrator --to-revision=3 -n swe-ai-fleet",
                prod.rolloutUndo("deployment/orchestrator", 3));
        assertEquals("kubectl --context 'prod east' rollout restart statefulset/nats -n swe-ai-fleet", prod.rolloutRestart("statefulset/nats"));
        assertEquals("kubectl --context 'prod east' rollout pause deployment/context -n swe-ai-fleet", prod.rolloutPause("deployment/context", true));
        assertEquals("kubectl --context 'prod east' rollout resume deployment/context -n swe-ai-fleet", prod.rolloutPause("deployment/context", false));
        assertEquals("kubectl --context 'prod east' scale deployment/context --replicas=0 -n swe-ai-fleet", prod.scale("deployment/context", 0));
        assertEquals("kubectl --context 'prod east' set image deployment/context context=registry.example/context:v2 -n swe-ai-fleet",
                prod.setImage("deployment/context", "context", "registry.example/context:v2"));
    }

    @Test
    void aPlansOwnCommandGetsTheContextAndOnlyKubectlCommandsDo() {
        assertEquals("kubectl --context 'prod east' scale deployment/x --replicas=0 -n ns", prod.withContext("kubectl scale deployment/x --replicas=0 -n ns"));
        assertEquals("echo hi", prod.withContext("echo hi"));
        assertEquals("kubectl scale deployment/x --replicas=0 -n ns", KubectlCommands.in("ns").withContext("kubectl scale deployment/x --replicas=0 -n ns"));
    }
}
