package fleet.console.ui.shell;

import java.util.Objects;

/**
 * What the operator can connect to: the embedded sandbox, or a context of the kubeconfig. Kept apart
 * by a flag rather than by name, since a kubeconfig may well have a context called "sandbox" (the
 * sandbox writes one for other processes).
 */
public record ConnectionTarget(String context, boolean sandbox) {

    public static final ConnectionTarget SANDBOX = new ConnectionTarget("sandbox", true);

    public ConnectionTarget {
        Objects.requireNonNull(context);
    }

    public static ConnectionTarget context(String name) {
        return new ConnectionTarget(name, false);
    }

    /** As the context chooser shows it. */
    public String label() {
        return sandbox ? "Sandbox (embedded)" : context;
    }

    @Override
    public String toString() {
        return label();
    }
}
