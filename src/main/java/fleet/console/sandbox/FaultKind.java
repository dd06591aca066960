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
