package fleet.console.cluster.pods;

/** An action on a pod did not happen; the message says why and what to do. It is in the audit journal too. */
public final class PodActionException extends RuntimeException {

    public PodActionException(String message, Throwable cause) {
        super(message, cause);
    }
}
