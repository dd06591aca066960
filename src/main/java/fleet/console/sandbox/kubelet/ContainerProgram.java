package fleet.console.sandbox.kubelet;

/**
 * What a simulated container does while it runs: writes its log, says when it is ready, and may exit.
 * Programs are driven by the kubelet's thread through their {@link ProgramContext}; they never block it.
 */
public interface ContainerProgram {

    /** The container has started; schedule the work through the context. */
    void start(ProgramContext context);

    /** The container is asked to stop (pod deleted): last words, release what it holds. */
    default void stop(ProgramContext context) {
    }

    /**
     * The process is gone (exited, crashed or stopped): whatever it held, connections above all, is
     * released now, as the operating system releases a dead process's sockets. Called from any thread.
     */
    default void released() {
    }

    /**
     * A command run in this container through the API ({@code kubectl exec}), on the kubelet's thread:
     * answer at once. By default the image has no such command, as a slim service image would not.
     */
    default ExecResult exec(java.util.List<String> command, ProgramContext context) {
        return ExecResult.notFound(command.isEmpty() ? "" : command.get(0));
    }
}
