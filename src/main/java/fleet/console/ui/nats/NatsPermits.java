package fleet.console.ui.nats;

import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.ReadOnlyGuard;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the NATS area's changes may be offered: the same contract as
 * {@link fleet.console.ui.common.ActionPermits} (a refusal per action, null while allowed; the view
 * guards each button with {@code ActionPermits.guard}), but NATS is not authorized by Kubernetes, so
 * the only refusal is the console's read-only mode. No SelfSubjectAccessReview is asked: a viewer of
 * the cluster may still hold NATS credentials, and NATS answers for itself. Not being connected to a
 * cluster refuses nothing here: a NATS URL or a natscli context works without one.
 */
public final class NatsPermits {

    public static final String PUBLISH = "publish";
    public static final String PURGE = "purge";
    public static final String DELETE_STREAM = "delete-stream";
    public static final String DELETE_CONSUMER = "delete-consumer";
    public static final String RECREATE = "recreate";
    /** Every change the NATS area can make. */
    public static final List<String> ACTIONS = List.of(PUBLISH, PURGE, DELETE_STREAM, DELETE_CONSUMER, RECREATE);

    /** What a read-only session says of every NATS change. */
    public static final String READ_ONLY = "Refused: " + ReadOnlyGuard.MESSAGE
            + " (Console > Read-only mode, or --read-only); NATS is not changed either.";

    /** What the area's line says while read-only mode refuses them (a disabled button shows no tooltip). */
    public static final String SUMMARY = "Read-only mode: publish, purge, delete stream, delete consumer and recreate are disabled; "
            + "reading NATS goes on.";

    private final Map<String, ReadOnlyStringWrapper> refusals = new LinkedHashMap<>();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary");

    public NatsPermits() {
        ACTIONS.forEach(a -> refusals.put(a, new ReadOnlyStringWrapper(this, a)));
    }

    /** Why the action may not be taken now; null while it may. */
    public ReadOnlyStringProperty refusal(String action) {
        ReadOnlyStringWrapper w = refusals.get(action);
        if (w == null) {
            throw new IllegalArgumentException("no NATS action named " + action);
        }
        return w.getReadOnlyProperty();
    }

    /**
     * One line for the area while its changes are refused (a disabled control shows no tooltip in
     * JavaFX); null while they are allowed.
     */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The current reason, for the view-model's own check before it acts (null: go ahead). */
    public String refusalNow(String action) {
        return refusal(action).get();
    }

    /** The window's session changed. Call on the UI thread; asks nobody. */
    public void update(ClusterSession session) {
        String why = session != null && session.readOnly() ? READ_ONLY : null;
        refusals.values().forEach(w -> w.set(why));
        summary.set(why == null ? null : SUMMARY);
    }
}
