package fleet.console.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

/** Chooses what a container runs in the sandbox, by what the pod and the container are. */
public interface ProgramCatalog {

    ContainerProgram programFor(Pod pod, Container container);
}
