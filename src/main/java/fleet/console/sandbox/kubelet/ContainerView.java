package fleet.console.sandbox.kubelet;

import java.util.List;

/**
 * What the log endpoint may know of a pod's containers, published by the kubelet after each change.
 *
 * @param containers container names in spec order
 * @param waiting    per container, the reason it waits to start, or null when it has started at least once
 */
public record ContainerView(String namespace, String pod, String uid, List<String> containers, List<String> waiting) {

    public String waitingReason(String container) {
        int i = containers.indexOf(container);
        return i < 0 ? null : waiting.get(i);
    }
}
