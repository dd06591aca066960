package fleet.console.cluster.rollouts;

/** A rollout action refused or failed, with what to do; nothing was changed unless it says so. */
public final class RolloutProblem extends Exception {

    private final String whatToDo;

    public RolloutProblem(String whatWasWrong, String whatToDo) {
        super(whatWasWrong);
        this.whatToDo = whatToDo;
    }

    public String whatToDo() {
        return whatToDo;
    }

    public String describe() {
        return getMessage() + "\n" + whatToDo;
    }

    static RolloutProblem noWorkload(String kind, String name, String namespace) {
        return new RolloutProblem("There is no " + kind + " '" + name + "' in namespace " + namespace + ".",
                "Pick one from the Rollouts area (kubectl get deploy,sts -n " + namespace + ").");
    }
}
