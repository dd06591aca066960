package fleet.console.ui.common;

import fleet.console.cluster.ApiReachability;
import fleet.console.cluster.ClusterSession;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Whether a view that reads the cluster shows the truth: following changes (its watch runs), or stale
 * since the API server stopped answering ({@link ApiReachability}), its rows kept. The stale mark clears
 * only after a read that began once the server was back, so rows read before the outage are never
 * taken for fresh. Its properties change on the UI executor only.
 */
public final class Freshness {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final String kept;
    private final Executor ui;
    private final Clock clock;
    private final ReadOnlyBooleanWrapper live;
    private final ReadOnlyBooleanWrapper stale;
    private final ReadOnlyStringWrapper text;
    private final ReadOnlyObjectWrapper<Severity> severity;
    /** Changes on every loss and return of the API server. */
    private final AtomicLong epoch = new AtomicLong();

    /**
     * @param bean the view model the properties belong to
     * @param kept what the view keeps while stale, in words ("the last health read")
     */
    public Freshness(Object bean, String kept, Executor ui, Clock clock) {
        this.kept = kept;
        this.ui = ui;
        this.clock = clock;
        this.live = new ReadOnlyBooleanWrapper(bean, "live");
        this.stale = new ReadOnlyBooleanWrapper(bean, "stale");
        this.text = new ReadOnlyStringWrapper(bean, "freshness", "Not following changes");
        this.severity = new ReadOnlyObjectWrapper<>(bean, "freshnessSeverity", Severity.IDLE);
    }

    /** A new session (or none): not following, not stale. Call on the UI thread. */
    public void reset() {
        live.set(false);
        stale.set(false);
        update();
    }

    /** The view's watch runs: it follows changes by itself. Call on the UI thread. */
    public void following() {
        live.set(true);
        update();
    }

    /**
     * Follows the session's API server: when it stops answering the view turns stale (while
     * {@code current} still holds, asked on the UI thread); when it answers again {@code readAgain}
     * runs (on the thread that noticed) so a fresh read clears the mark. Close the handle with the view's session.
     */
    public AutoCloseable follow(ClusterSession session, BooleanSupplier current, Runnable readAgain) {
        return ApiReachability.of(session.client()).map(r -> r.follow(new ApiReachability.Listener() {
            @Override
            public void lost(Throwable why) {
                long lostAt = epoch.incrementAndGet();
                String since = LocalTime.now(clock).format(TIME);
                ui.execute(() -> wentStale(current, lostAt, since));
            }

            @Override
            public void regained() {
                epoch.incrementAndGet();
                // The informers relist by themselves; one read now makes the rows true again.
                readAgain.run();
            }
        })).orElse(null);
    }

    /** Taken when a read begins (any thread); give it to {@link #readDone(long)}. */
    public long readStarting() {
        return epoch.get();
    }

    /** A read that began at {@code startedAt} was applied (UI thread): fresh again if it began after the return. */
    public void readDone(long startedAt) {
        if (stale.get() && startedAt == epoch.get()) {
            // Words first, then the flag: whoever sees the flag change finds the words already true.
            showFollowing();
            stale.set(false);
        }
    }

    private void wentStale(BooleanSupplier current, long lostAt, String since) {
        if (!current.getAsBoolean() || stale.get() || lostAt != epoch.get()) {
            return;
        }
        text.set("Stale since " + since + " — the API does not answer; showing " + kept + ", kept until it is back");
        severity.set(Severity.WARNING);
        stale.set(true);
    }

    private void update() {
        if (!stale.get()) {
            showFollowing();
        }
    }

    private void showFollowing() {
        text.set(live.get() ? "Following changes" : "Not following changes");
        severity.set(live.get() ? Severity.OK : Severity.IDLE);
    }

    /** True while the watch runs. */
    public ReadOnlyBooleanProperty liveProperty() {
        return live.getReadOnlyProperty();
    }

    /** True while the API server does not answer: the rows are the last ones read, kept. */
    public ReadOnlyBooleanProperty staleProperty() {
        return stale.getReadOnlyProperty();
    }

    /** "Following changes", or "Stale since 12:03:04 — the API does not answer…". */
    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Severity> severityProperty() {
        return severity.getReadOnlyProperty();
    }
}
