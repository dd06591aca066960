package fleet.console.ui.shell;

/**
 * What the message banner under the connection bar says: what was wrong and what to do about it.
 *
 * @param kind   a connection problem is cleared by the next successful connection; the others stay
 *               until dismissed
 */
public record ShellMessage(Kind kind, String text, String advice) {

    public enum Kind {
        CONNECTION_PROBLEM,
        PROBLEM,
        NOTICE
    }

    public ShellMessage {
        advice = advice == null ? "" : advice;
    }

    public boolean isProblem() {
        return kind != Kind.NOTICE;
    }
}
