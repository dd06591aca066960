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
}
