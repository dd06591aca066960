package fleet.console.ui.logs;

import java.util.Objects;

/**
 * A line as the view holds it: what the view shows and saves of it, nothing more. A view holds 100,000 of
 * them and a flood replaces them hundreds of thousands of times a second, so it is one object besides its
 * text, made once, on the stream's thread, when the line is classified: the stream's
 * {@link fleet.console.cluster.logs.LogLine} and its timestamp are let go of there, so the lines waiting for
 * the next frame hold no more than the held ones, and the FX thread only numbers and stores them. The pod
 * and container names are shared by every line of their source.
 * <p>
 * Its {@link #number()} is given once, by the buffer that takes it ({@link LogBuffer#append}); before that
 * it is {@link #UNNUMBERED}. Equal entries are equal in every field, the number included.
 */
public final class LogEntry {

    /** The number of a line no buffer took yet. */
    public static final long UNNUMBERED = -1;

    private long number;
    private final String pod;
    private final String container;
    private final String text;
    private final LogLevel level;
    private final boolean continuation;
    private final int source;

    /**
     * @param number       the line's place in everything the view received, from 0; evicted lines keep
     *                     their numbers, so a gap between two numbers is visible and match positions survive
     *                     eviction
     * @param continuation part of the error started by an earlier line (a traceback's later lines)
     * @param source       index of its pod and container in the view's {@link LogSources}, for the prefix and
     *                     its colour
     */
    public LogEntry(long number, String pod, String container, String text, LogLevel level, boolean continuation, int source) {
        this.number = number;
        this.pod = pod;
        this.container = container;
        this.text = Objects.requireNonNull(text);
        this.level = Objects.requireNonNull(level);
        this.continuation = continuation;
        this.source = source;
    }

    /** A line classified and not numbered yet: what a feed hands to its view. */
    static LogEntry unnumbered(String pod, String container, String text, LogLevel level, boolean continuation, int source) {
        return new LogEntry(UNNUMBERED, pod, container, text, level, continuation, source);
    }

    /** Gives the line its number as a buffer takes it; once. FX thread (the buffer's). */
    void numbered(long n) {
        if (number != UNNUMBERED) {
            throw new IllegalStateException("Line " + number + " was taken by a buffer already");
        }
        number = n;
    }

    public long number() {
        return number;
    }

    public String pod() {
        return pod;
    }

    public String container() {
        return container;
    }

    public String text() {
        return text;
    }

    public LogLevel level() {
        return level;
    }

    public boolean continuation() {
        return continuation;
    }

    public int source() {
        return source;
    }

    /** The first line of an error: what the error count counts and "next error" stops at. */
    public boolean errorStart() {
        return level == LogLevel.ERROR && !continuation;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e && number == e.number && continuation == e.continuation && source == e.source
                && level == e.level && text.equals(e.text) && Objects.equals(pod, e.pod) && Objects.equals(container, e.container);
    }

    /** Of the fields that never change: an entry's hash stays the same when a buffer numbers it. */
    @Override
    public int hashCode() {
        return text.hashCode() * 31 + source;
    }

    @Override
    public String toString() {
        return "LogEntry[" + number + " " + pod + "/" + container + " " + level + (continuation ? " (continued)" : "") + ": " + text + "]";
    }
}
