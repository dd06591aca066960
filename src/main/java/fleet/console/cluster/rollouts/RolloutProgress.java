package fleet.console.cluster.rollouts;

/** What a running rollout action is doing: step {@code index} of the plan started, finished or failed. */
public record RolloutProgress(int index, String title, Phase phase, String message) {

    public enum Phase { STARTED, DONE, FAILED, CANCELLED }
}
