package fleet.console.ui.shell;

/**
 * Starts the embedded sandbox, or returns the one already running: the shell calls it (off the FX
 * thread) each time the operator connects to the sandbox, and must not get a second sandbox.
 */
@FunctionalInterface
public interface SandboxStarter {

    SandboxHandle start() throws Exception;
}
