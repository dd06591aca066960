package fleet.console.ui.logs;

import java.util.List;

/**
 * What a log view reads from, as its stream controls need it: a pod, or a workload's pods. The
 * application's origins read through the cluster gateway; tests give their own.
 */
public interface LogOrigin {

    /** The view's title for these options ("ray-executor-7d9f-x / main, previous run"). */
    String title(LogOptions options);

    /** Containers to choose from; one or none means there is nothing to choose. */
    List<String> containers();

    /** Whether the origin is several pods (no previous run to read, every line prefixed). */
    boolean severalPods();

    /** The kubectl command that reads the same lines. */
    String kubectl(LogOptions options);

    /**
     * Starts reading into the feed and returns what stops it. Called on a background thread; may block
     * until the stream is open. Failures to read are reported through the feed's status, not thrown,
     * once the stream is open; an exception here means it could not be opened at all.
     */
    AutoCloseable open(LogOptions options, LogViewModel.Feed feed) throws Exception;
}
