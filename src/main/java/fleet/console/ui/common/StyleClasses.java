package fleet.console.ui.common;

import javafx.css.PseudoClass;

/** Style-class and pseudo-class names shared between Java and console.css, so a rename cannot silently miss one side. */
public final class StyleClasses {

    /** On the scene root: the dark palette of theme.css. */
    public static final String DARK = "dark";
    public static final String STATUS_BADGE = "status-badge";
    public static final String ICON = "fc-icon";
    /**
     * A row whose subject is not healthy (a workload, a pod, a stale consumer, a disputed role), and the message
     * banner of a problem. A pseudo-class, not a style class: a row turning into a problem and out of one has
     * its style worked out again from what it already matched, where a style class added or removed has the
     * row and its cells matched against every rule again (34 rows of 9 cells switched together, headless:
     * 3.5 ms instead of 17). Rows switch often: every visible row is updated each time a table's rows change.
     */
    public static final PseudoClass PROBLEM = PseudoClass.getPseudoClass("problem");
    /** A row that warns (a Warning event); a pseudo-class like {@link #PROBLEM}. */
    public static final PseudoClass WARNING = PseudoClass.getPseudoClass("warning");
    public static final String PLACEHOLDER = "area-placeholder";
    public static final String BANNER = "message-banner";
    /** A control whose action is refused here (read-only mode, RBAC); with a {@link #LOCK} icon. */
    public static final String REFUSED = "refused";
    public static final String LOCK = "lock";

    private StyleClasses() {
    }
}
