package fleet.console.ui.shell;

import io.fabric8.kubernetes.client.Config;

import java.util.Optional;

/** A running sandbox, as the shell sees it: where to connect, and its fault switch if it has one. */
public interface SandboxHandle {

    /** Client configuration, as a kubeconfig context would give it. */
    Config clientConfig();

    /** The namespace the sandbox deployed the fleet in. */
    String namespace();

    /** Empty while the sandbox build cannot inject faults; the menu then says so instead of offering them. */
    Optional<SandboxFaults> faults();
}
