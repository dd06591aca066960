package fleet.console.sandbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The troubleshooting cases of the runbook the sandbox can reproduce on demand. */
public enum FaultKind {
    /** The service's process dies at start with a Python traceback: CrashLoopBackOff. */
    CRASH("crash", true, "Crash the service (ModuleNotFoundError at start)"),
    /** The workload is set to an image tag no registry has: ErrImagePull, then ImagePullBackOff. */
    BAD_IMAGE("bad-image", true, "Break the service's image tag"),
    /** A ConfigMap the service reads is deleted and its pods restarted: CreateContainerConfigError. */
    MISSING_CONFIGMAP("missing-configmap", true, "Remove a ConfigMap the service needs"),
    /** The NATS server stops: nats-0 not Ready, NATS clients cannot connect. */
    NATS_DOWN("nats-down", false, "Make NATS not ready"),
    /** The workload asks for a GPU (or memory) no node has: Pending with FailedScheduling. */
    UNSCHEDULABLE("unschedulable", true, "Make the service's pods unschedulable"),
    /** Two pods bind the same push durable: "consumer is already bound to a subscription". */
    DOUBLE_BIND("double-bind", true, "Bind the service's push consumer twice"),
    /** The service outgrows its memory limit soon after it starts: OOMKilled, exit code 137. */
    OOM("oom", true, "Make the service exceed its memory limit (OOMKilled)"),
    /** A new image whose code still imports a module the src/ to core/ move renamed: CrashLoopBackOff. */
    IMPORT_ERROR("import-error", true, "Deploy an image with a broken import (after the src/ -> core/ move)"),
    /** The workload runs an older tag than the profile's, which fails at start: CrashLoopBackOff. */
    WRONG_TAG("wrong-tag", true, "Deploy an older image tag than the profile's"),
    /** A StatefulSet's claim asks for a storage class that does not exist: Pending, claim unbound. */
    PVC_UNBOUND("pvc-unbound", true, "Leave the service's volume claim unbound (missing storage class)"),
    /** Every node gets a NoSchedule taint and the service's pods are replaced: Pending. */
    TAINT("taint", true, "Taint the nodes so the service's new pods cannot go anywhere"),
    /** The workload's template asks for a node label no node has: the new pod stays Pending. */
    NODE_SELECTOR("node-selector", true, "Give the service a node selector no node matches"),
    /** The workload's readiness probe asks a path the service does not serve: Running, never Ready. */
    READINESS("readiness", true, "Point the service's readiness probe at a path it does not serve"),
    /** The node reboots under the service's pods: ContainerStatusUnknown, nothing restarts them. */
    STATUS_UNKNOWN("status-unknown", true, "Reboot the node under the service's pods (ContainerStatusUnknown)"),
    /** A one-off job of the service fails every try: BackoffLimitExceeded. */
    JOB_BACKOFF("job-backoff", true, "Run a job for the service that fails until its backoff limit"),
    /** One of the service's durable consumers is deleted from the server while it runs. */
    MISSING_DURABLE("missing-durable", true, "Delete one of the service's durable consumers"),
    /** One of the service's durables is recreated filtering on another subject. */
    WRONG_FILTER("wrong-filter", true, "Make one of the service's durables filter on another subject"),
    /** A declared stream is deleted (target: the stream's name). */
    MISSING_STREAM("missing-stream", true, "Delete a declared JetStream stream"),
    /** The service's pods keep running and answering, but stop pulling from their durables. */
    STALLED_CONSUMER("stalled-consumer", true, "Make the service's running pods stop pulling their messages"),
    /** The API server refuses connections for TARGET seconds (then comes back by itself). */
    API_DOWN("api-down", true, "Take the API server away for some seconds"),
    /** Every answer of the API server comes TARGET milliseconds late. */
    API_SLOW("api-slow", true, "Slow every answer of the API server down");

    private final String cliName;
    private final boolean needsTarget;
    private final String description;

    FaultKind(String cliName, boolean needsTarget, String description) {
        this.cliName = cliName;
        this.needsTarget = needsTarget;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public boolean needsTarget() {
        return needsTarget;
    }

    public String description() {
        return description;
    }

    public static Optional<FaultKind> byCliName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.cliName.equals(wanted)).findFirst();
    }

    public static String cliNames() {
        return String.join(", ", Arrays.stream(values()).map(FaultKind::cliName).toList());
    }
}
