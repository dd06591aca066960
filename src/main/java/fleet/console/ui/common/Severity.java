package fleet.console.ui.common;

/**
 * How an operator should read a status. Each level has its own icon shape as well as its own colour,
 * so that nothing is told by colour alone (colour-blind operators, grey-scale screenshots in tickets).
 */
public enum Severity {
    OK("ok"),
    WARNING("warning"),
    PROBLEM("problem"),
    BUSY("busy"),
    IDLE("idle");

    private final String styleClass;

    Severity(String styleClass) {
        this.styleClass = styleClass;
    }

    /** The style class that selects this level's icon shape and colour in console.css. */
    public String styleClass() {
        return styleClass;
    }
}
