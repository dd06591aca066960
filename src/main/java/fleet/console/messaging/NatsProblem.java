package fleet.console.messaging;

/**
 * Why the console cannot reach NATS or JetStream, said so an operator can act: what was wrong and what
 * to do. Nothing is changed on the server when this is thrown.
 */
public final class NatsProblem extends Exception {

    public enum Kind { UNREACHABLE, UNAUTHORIZED, NO_JETSTREAM, NO_NATS_POD, PORT_FORWARD, BAD_CONTEXT, NOT_FOUND, REFUSED }

    private final Kind kind;
    private final String whatToDo;

    public NatsProblem(Kind kind, String whatWasWrong, String whatToDo, Throwable cause) {
        super(whatWasWrong, cause);
        this.kind = kind;
        this.whatToDo = whatToDo;
    }

    public NatsProblem(Kind kind, String whatWasWrong, String whatToDo) {
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
