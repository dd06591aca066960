package fleet.console.ui.logs;

import fleet.console.cluster.logs.LogLine;

/**
 * A line held by a {@link LogBuffer}.
 *
 * @param number       the line's place in everything the view received, from 0; evicted lines keep
 *                     their numbers, so a gap between two numbers is visible and match positions survive
 *                     eviction
 * @param continuation part of the error started by an earlier line (a traceback's later lines)
 * @param source       index of its pod and container, for the prefix and its colour
 */
public record LogEntry(long number, LogLine line, LogLevel level, boolean continuation, int source) {

    public String text() {
        return line.text();
    }

    /** The first line of an error: what the error count counts and "next error" stops at. */
    public boolean errorStart() {
        return level == LogLevel.ERROR && !continuation;
    }
}
