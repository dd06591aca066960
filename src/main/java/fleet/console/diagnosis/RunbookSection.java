package fleet.console.diagnosis;

/**
 * Where a rule comes from: a section of the operations runbook (its troubleshooting chapter mostly) or of
 * the fleet's own documentation of its quirks. The diagnosis names it so an operator can read the source.
 */
public enum RunbookSection {
    CONSUMER_ALREADY_BOUND("Troubleshooting, Issue A: consumer is already bound to a subscription"),
    CRASH_LOOP("Troubleshooting, Issue B: CrashLoopBackOff"),
    IMAGE_PULL("Troubleshooting, Issue C: ImagePullBackOff"),
    PENDING("Troubleshooting, Issue D: Pods stuck in Pending"),
    NATS_MESSAGES("Troubleshooting, Issue E: Service not receiving NATS messages"),
    NATS_STREAMS("NATS Stream Management: when to reset the streams"),
    HEALTH_CHECKS("Verification & Health Checks: wait for readiness"),
    COUNCILS("Council Management: initialize default councils (a Job)"),
    IMAGE_PATHS("Fleet facts: image paths disagree (swe-fleet/ in manifests, swe-ai-fleet/ in the build scripts)"),
    NODE_REBOOT("Fleet operations: pods left as ContainerStatusUnknown after a node reboot (scale 0 -> 1)");

    private final String title;

    RunbookSection(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
