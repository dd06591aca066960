package fleet.console.runbook;

/** A step could not do its work or its verification did not hold: what, and what to do. */
public final class StepFailure extends Exception {

    private final String whatToDo;

    public StepFailure(String whatWasWrong, String whatToDo) {
        super(whatWasWrong);
        this.whatToDo = whatToDo;
    }

    public StepFailure(String whatWasWrong, String whatToDo, Throwable cause) {
        super(whatWasWrong, cause);
        this.whatToDo = whatToDo;
    }

    public String whatToDo() {
        return whatToDo;
    }
}
