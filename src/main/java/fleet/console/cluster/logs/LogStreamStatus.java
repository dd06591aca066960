package fleet.console.cluster.logs;

/**
 * What happened to the log stream of one pod, for the log view to show between the lines.
 *
 * @param kind {@value #FOLLOWING} (live from now on, or waiting for a crashed container to restart),
 *             {@value #RESUMED} (the stream broke or the container restarted; it carries on without a gap),
 *             {@value #ENDED} (nothing more will come: read done, or the container finished for good),
 *             {@value #GONE} (the pod was deleted), {@value #ERROR} (the log cannot be read, with the API's
 *             words; when following, the stream keeps waiting for the container to start)
 */
public record LogStreamStatus(String pod, String kind, String message) {

    public static final String FOLLOWING = "following";
    public static final String RESUMED = "resumed";
    public static final String ENDED = "ended";
    public static final String GONE = "gone";
    public static final String ERROR = "error";

    /** Whether a view shows this as a problem: the log cannot be read, or its pod is gone. */
    public boolean problem() {
        return ERROR.equals(kind) || GONE.equals(kind);
    }

    /** Whether this is the last status of its stream: ended or gone. */
    public boolean last() {
        return ENDED.equals(kind) || GONE.equals(kind);
    }
}
