package fleet.console.cluster.pods;

/**
 * The pod asked about no longer exists: deleted, evicted, or replaced by its workload (a Deployment's
 * new pod has a new name). Not a failure of the console: the message says so and what to do.
 */
public final class PodGoneException extends Exception {

    private final String pod;
    private final String namespace;

    public PodGoneException(String namespace, String pod) {
        super("Pod " + pod + " is gone from namespace " + namespace
                + ": it was deleted, evicted or replaced by its workload. Pick its replacement (or another pod) in the pods list.");
        this.pod = pod;
        this.namespace = namespace;
    }

    public String pod() {
        return pod;
    }

    public String namespace() {
        return namespace;
    }
}
