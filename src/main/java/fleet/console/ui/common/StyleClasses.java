package fleet.console.ui.common;

/** Style-class names shared between Java and console.css, so a rename cannot silently miss one side. */
public final class StyleClasses {

    /** On the scene root: the dark palette of theme.css. */
    public static final String DARK = "dark";
    public static final String STATUS_BADGE = "status-badge";
    public static final String ICON = "fc-icon";
    /** A health row whose workload is not healthy. */
    public static final String PROBLEM_ROW = "problem-row";
    /** A row that warns (a Warning event). */
    public static final String WARNING_ROW = "warning-row";
    public static final String PLACEHOLDER = "area-placeholder";
    public static final String BANNER = "message-banner";
    /** A control whose action is refused here (read-only mode, RBAC); with a {@link #LOCK} icon. */
    public static final String REFUSED = "refused";
    public static final String LOCK = "lock";

    private StyleClasses() {
    }
}
