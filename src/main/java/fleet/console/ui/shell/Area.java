package fleet.console.ui.shell;

/**
 * The areas of the console, in the order of the navigation list and of their shortcuts (Ctrl+1..7).
 * An area not built yet says plainly what it will hold; it never shows invented data.
 */
public enum Area {
    OVERVIEW("Overview", ""),
    PODS("Pods", ""),
    ROLLOUTS("Rollouts", ""),
    NATS("NATS", ""),
    COUNCILS("Councils", "The agent councils (DEV, QA, ARCHITECT, DEVOPS, DATA) as each orchestrator replica "
            + "reports them, with create and delete."),
    RUNBOOKS("Runbooks", ""),
    EVENTS("Events", "");

    private final String title;
    private final String comingText;

    Area(String title, String comingText) {
        this.title = title;
        this.comingText = comingText;
    }

    public String title() {
        return title;
    }

    /** What this area will hold, for its placeholder; empty for areas that are built. */
    public String comingText() {
        return comingText;
    }

    public boolean built() {
        return comingText.isEmpty();
    }

    /** The digit of its shortcut: Ctrl+1 for the first area. */
    public int shortcutDigit() {
        return ordinal() + 1;
    }
}
