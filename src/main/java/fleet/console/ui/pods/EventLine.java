package fleet.console.ui.pods;

/** One event of the selected pod: newest first, with how many times it happened and when it was last seen. */
public record EventLine(String type, String reason, String message, int count, String lastSeen, boolean warning) {

    /** "×12" for repeated events; empty for a single one. */
    public String countText() {
        return count > 1 ? "×" + count : "";
    }
}
