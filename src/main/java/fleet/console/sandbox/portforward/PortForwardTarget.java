package fleet.console.sandbox.portforward;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Where a pod's port really listens in the sandbox (the simulated pod's stand-in process or
 * socket). Called on a Vert.x event loop, so it must answer from memory without blocking.
 */
@FunctionalInterface
public interface PortForwardTarget {

    /** The local address behind {@code port} of {@code pod}, or empty when there is no such pod or listener. */
    Optional<InetSocketAddress> resolve(String namespace, String pod, int port);

    /**
     * Which running instance of the pod this is (its uid), empty when it runs no more. A forward ends
     * when its pod's instance ends, as the kubelet's does when the pod's containers stop: a pod made
     * again under the same name (a StatefulSet's) is another instance. Empty by default: never ends.
     */
    default Optional<String> instance(String namespace, String pod) {
        return Optional.of("");
    }
}
