package fleet.console.councils;

/**
 * Why the console could not do what was asked with the councils, said so an operator can act: what was
 * wrong and what to do. Nothing was changed on any orchestrator when this is thrown.
 */
public final class CouncilsProblem extends Exception {

    public enum Kind {
        /** The fleet has no orchestrator deployment, or it runs no pod. */
        NO_ORCHESTRATOR,
        /** A replica could not be reached (port-forward refused, connection failed). */
        UNREACHABLE,
        /** A replica is up but does not answer GetStatus (starting, crash looping). */
        NOT_READY,
        /** The request itself is wrong: unknown role, agent count out of range, unknown agent type. */
        BAD_INPUT
    }

    private final Kind kind;
    private final String whatToDo;

    public CouncilsProblem(Kind kind, String whatWasWrong, String whatToDo, Throwable cause) {
        super(whatWasWrong, cause);
        this.kind = kind;
        this.whatToDo = whatToDo;
    }

    public CouncilsProblem(Kind kind, String whatWasWrong, String whatToDo) {
        this(kind, whatWasWrong, whatToDo, null);
    }

    public Kind kind() {
        return kind;
    }

    public String whatToDo() {
        return whatToDo;
    }

    public String describe() {
        return getMessage() + "\n" + whatToDo;
    }
}
