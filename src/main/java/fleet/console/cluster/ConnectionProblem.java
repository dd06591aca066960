package fleet.console.cluster;

/**
 * Why the console could not reach a cluster, in words an operator can act on: what was wrong and what
 * to do. Nothing is changed on the cluster when this is thrown.
 */
public final class ConnectionProblem extends Exception {

    /** The kinds an operator meets, each with its own advice. */
    public enum Kind {
        KUBECONFIG_MISSING,
        KUBECONFIG_MALFORMED,
        CONTEXT_UNKNOWN,
        UNREACHABLE,
        UNAUTHORIZED,
        NAMESPACE_MISSING
    }

    private final Kind kind;
    private final String whatToDo;

    public ConnectionProblem(Kind kind, String whatWasWrong, String whatToDo) {
        super(whatWasWrong);
        this.kind = kind;
        this.whatToDo = whatToDo;
    }

    public ConnectionProblem(Kind kind, String whatWasWrong, String whatToDo, Throwable cause) {
        super(whatWasWrong, cause);
        this.kind = kind;
        this.whatToDo = whatToDo;
    }

    public Kind kind() {
        return kind;
    }

    public String whatToDo() {
        return whatToDo;
    }

    /** What was wrong, then what to do, as one message for a dialog or a terminal. */
    public String describe() {
        return getMessage() + "\n" + whatToDo;
    }
}
