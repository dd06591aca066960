package fleet.console.diagnosis;

import java.util.List;

import static fleet.console.diagnosis.Confidence.CERTAIN;
import static fleet.console.diagnosis.Confidence.LIKELY;
import static fleet.console.diagnosis.Confidence.POSSIBLE;
import static fleet.console.diagnosis.Rule.Role.CONTRIBUTING;
import static fleet.console.diagnosis.Rule.Role.FALLBACK;
import static fleet.console.diagnosis.Rule.Role.SPECIFIC;
import static fleet.console.diagnosis.RunbookSection.CONSUMER_ALREADY_BOUND;
import static fleet.console.diagnosis.RunbookSection.CRASH_LOOP;
import static fleet.console.diagnosis.RunbookSection.HEALTH_CHECKS;
import static fleet.console.diagnosis.RunbookSection.IMAGE_PULL;
import static fleet.console.diagnosis.RunbookSection.NATS_MESSAGES;
import static fleet.console.diagnosis.RunbookSection.NATS_STREAMS;
import static fleet.console.diagnosis.RunbookSection.NODE_REBOOT;
import static fleet.console.diagnosis.RunbookSection.PENDING;
import static fleet.console.diagnosis.Severity.CRITICAL;
import static fleet.console.diagnosis.Severity.ERROR;
import static fleet.console.diagnosis.Severity.WARNING;

/**
 * The troubleshooting rules, one line each: id, cause, the runbook section it comes from, severity,
 * confidence, how it competes, and its matcher. To add a case, add a line here and a small matcher.
 */
public final class Rules {

    private static final List<Rule> ALL = List.of(
            new Rule("nats-not-ready", "NATS not ready", CRASH_LOOP, CRITICAL, CERTAIN, SPECIFIC, StateRules::natsNotReady),
            new Rule("consumer-already-bound", "Push durable bound twice (consumer is already bound)", CONSUMER_ALREADY_BOUND, ERROR, CERTAIN,
                    SPECIFIC, CrashRules::consumerAlreadyBound),
            new Rule("crash-nats-unreachable", "NATS not ready", CRASH_LOOP, ERROR, CERTAIN, SPECIFIC, CrashRules::natsUnreachable),
            new Rule("crash-import-error", "Import error", CRASH_LOOP, ERROR, CERTAIN, SPECIFIC, CrashRules::importError),
            new Rule("crash-oom", "Out of memory (OOMKilled)", CRASH_LOOP, ERROR, CERTAIN, SPECIFIC, CrashRules::outOfMemory),
            new Rule("crash-wrong-image", "Wrong image tag", CRASH_LOOP, ERROR, LIKELY, CONTRIBUTING, CrashRules::wrongImage),
            new Rule("crash-unrecognised", "Crashes at start", CRASH_LOOP, ERROR, POSSIBLE, FALLBACK, CrashRules::unrecognisedCrash),
            new Rule("missing-config", "Missing ConfigMap", CRASH_LOOP, ERROR, CERTAIN, SPECIFIC, StartRules::missingConfig),
            new Rule("image-pull", "Image cannot be pulled", IMAGE_PULL, ERROR, CERTAIN, SPECIFIC, StartRules::imagePull),
            new Rule("pending-resources", "Insufficient resources", PENDING, ERROR, CERTAIN, SPECIFIC, PendingRules::insufficientResources),
            new Rule("pending-claim", "Volume claim not bound", PENDING, ERROR, CERTAIN, SPECIFIC, PendingRules::unboundClaim),
            new Rule("pending-taint", "Taint not tolerated", PENDING, ERROR, CERTAIN, SPECIFIC, PendingRules::taint),
            new Rule("pending-node-selector", "Node selector matches no node", PENDING, ERROR, CERTAIN, SPECIFIC, PendingRules::nodeSelector),
            new Rule("pending-unschedulable", "Cannot be scheduled", PENDING, ERROR, POSSIBLE, FALLBACK, PendingRules::unschedulable),
            new Rule("readiness-probe", "Readiness probe failing", HEALTH_CHECKS, ERROR, CERTAIN, SPECIFIC, StateRules::readinessProbe),
            new Rule("not-ready", "Not ready", HEALTH_CHECKS, WARNING, POSSIBLE, FALLBACK, StateRules::notReady),
            new Rule("container-status-unknown", "Lost in a node reboot (ContainerStatusUnknown)", NODE_REBOOT, ERROR, CERTAIN, SPECIFIC,
                    StateRules::statusUnknown),
            new Rule("job-backoff", "Job backoff limit exhausted", HEALTH_CHECKS, ERROR, CERTAIN, SPECIFIC, StateRules::jobBackoff),
            new Rule("nats-stream-missing", "Stream missing", NATS_STREAMS, ERROR, CERTAIN, SPECIFIC, NatsRules::streamMissing),
            new Rule("nats-durable-missing", "Durable consumer missing", NATS_MESSAGES, ERROR, CERTAIN, SPECIFIC, NatsRules::durableMissing),
            new Rule("nats-wrong-filter", "Durable filters on another subject", NATS_MESSAGES, ERROR, CERTAIN, SPECIFIC, NatsRules::wrongFilter),
            new Rule("nats-not-consuming", "Nobody takes the durable's messages", NATS_MESSAGES, ERROR, LIKELY, SPECIFIC, NatsRules::notConsuming));

    private Rules() {
    }

    public static List<Rule> all() {
        return ALL;
    }
}
