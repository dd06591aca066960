package fleet.console.cluster;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The kubectl equivalents an operator copies: exact, and safe to paste into a shell. */
class KubectlCommandsTest {

    private final KubectlCommands fleet = KubectlCommands.in("swe-ai-fleet");

    @Test
    void podsTableDescribeDeleteAndEvents() {
        assertEquals("kubectl get pods -n swe-ai-fleet -o wide", fleet.getPodsWide());
        assertEquals("kubectl describe pod -n swe-ai-fleet orchestrator-5d8f-abcde", fleet.describePod("orchestrator-5d8f-abcde"));
        assertEquals("kubectl delete pod -n swe-ai-fleet nats-0", fleet.deletePod("nats-0"));
        assertEquals("kubectl get events -n swe-ai-fleet --field-selector involvedObject.name=nats-0 --sort-by=.lastTimestamp",
                fleet.podEvents("nats-0"));
    }

    @Test
    void logsOfAPodWithEveryOption() {
        assertEquals("kubectl logs -n swe-ai-fleet orchestrator-x", fleet.logs("orchestrator-x", Optional.empty(), false, false, OptionalInt.empty(), false));
        assertEquals("kubectl logs -n swe-ai-fleet orchestrator-x -c orchestrator --previous --tail=100 -f --timestamps",
                fleet.logs("orchestrator-x", Optional.of("orchestrator"), true, true, OptionalInt.of(100), true));
    }

    @Test
    void logsOfAWorkloadGoThroughItsSelectorWithPrefixesAndAllLines() {
        assertEquals("kubectl logs -n swe-ai-fleet -l app=monitoring --prefix --all-containers --tail=-1",
                fleet.logsOfWorkload("app=monitoring", Optional.empty(), false, OptionalInt.empty(), false, 1));
        assertEquals("kubectl logs -n swe-ai-fleet -l app=orchestrator --prefix -c orchestrator --tail=20 -f --timestamps",
                fleet.logsOfWorkload("app=orchestrator", Optional.of("orchestrator"), true, OptionalInt.of(20), true, 2));
        assertEquals("kubectl logs -n swe-ai-fleet -l 'tier in (api,web)' --prefix --all-containers --tail=-1 -f --max-log-requests=8",
                fleet.logsOfWorkload("tier in (api,web)", Optional.empty(), true, OptionalInt.empty(), false, 8));
    }

    @Test
    void contextIsNamedWhenKnownAndEveryArgumentIsQuotedForTheShell() {
        assertEquals("kubectl --context 'prod eu' describe pod -n swe-ai-fleet 'odd;name'",
                KubectlCommands.in("prod eu", "swe-ai-fleet").describePod("odd;name"));
        assertEquals("'it'\\''s'", KubectlCommands.quote("it's"));
        assertEquals("''", KubectlCommands.quote(""));
        assertEquals("kubectl get pods -n swe-ai-fleet -o wide", KubectlCommands.in(null, "swe-ai-fleet").getPodsWide());
    }
}
