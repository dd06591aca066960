package fleet.console.sandbox.kubelet;

import java.util.Optional;

/** Whether a node can pull an image; empty means yes, otherwise the runtime's error text. */
public interface ImagePolicy {

    Optional<String> pullError(String image);
}
