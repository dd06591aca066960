package fleet.console.councils;

/**
 * What happened to one role's council on one replica.
 *
 * @param detail the council id, the agents removed, or the orchestrator's words for a failure
 */
public record RoleOutcome(String replica, String role, Result result, String detail) {

    public enum Result {
        CREATED("created"),
        /** Create found a council already: the runbook counts it as success, the council is kept as it is. */
        ALREADY_EXISTS("already existed"),
        DELETED("deleted"),
        /** Delete found no council: nothing to do. */
        SKIPPED("skipped, not found"),
        FAILED("failed");

        private final String words;

        Result(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        public boolean success() {
            return this != FAILED;
        }
    }

    public String describe() {
        return role + " on " + replica + ": " + result.words() + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
