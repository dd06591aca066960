package fleet.console.ui.logs;

import fleet.console.cluster.logs.LogLine;

/**
 * A line as it leaves the stream's thread: classified there, so the FX thread only stores it.
 *
 * @param continuation part of the error started by an earlier line of the same source (the lines of a
 *                     Python traceback after its first one)
 * @param source       index of the line's pod and container in the view's {@link LogSources}
 */
public record ClassifiedLine(LogLine line, LogLevel level, boolean continuation, int source) {
}
