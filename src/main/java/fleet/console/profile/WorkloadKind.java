package fleet.console.profile;

import java.util.Locale;

/**
 * How Kubernetes runs a service. It decides which API a scale or image change goes through,
 * and that a StatefulSet's pods have stable names ({@code nats-0}) while a Deployment's do not.
 */
public enum WorkloadKind {
    DEPLOYMENT,
    STATEFULSET;

    /** The spelling used in the profile file. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
