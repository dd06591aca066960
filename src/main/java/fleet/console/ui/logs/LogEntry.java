package fleet.console.ui.logs;

/**
 * A line held by a {@link LogBuffer}: what the view shows and saves of it, nothing more. A view holds
 * 100,000 of them and a flood replaces them hundreds of thousands of times a second, so it is one object
 * besides its text (the stream's {@link fleet.console.cluster.logs.LogLine} and its timestamp are let go of
 * once the line is in the buffer; the pod and container names are shared by every line of their source).
 *
 * @param number       the line's place in everything the view received, from 0; evicted lines keep
 *                     their numbers, so a gap between two numbers is visible and match positions survive
 *                     eviction
 * @param continuation part of the error started by an earlier line (a traceback's later lines)
 * @param source       index of its pod and container, for the prefix and its colour
 */
public record LogEntry(long number, String pod, String container, String text, LogLevel level, boolean continuation, int source) {

    /** The held form of a classified line. */
    static LogEntry of(long number, ClassifiedLine c) {
        return new LogEntry(number, c.line().pod(), c.line().container(), c.line().text(), c.level(), c.continuation(), c.source());
    }

    /** The first line of an error: what the error count counts and "next error" stops at. */
    public boolean errorStart() {
        return level == LogLevel.ERROR && !continuation;
    }
}
