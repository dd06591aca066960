package fleet.console.cluster.logs;

import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.Loggable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A followed log's bytes, handed from the HTTP client to the thread that reads them, in the chunks they
 * arrived in. fabric8's own stream ({@code watchLog().getOutput()}) copies its buffers one byte at a time,
 * which was half of the reading thread's time on a busy log; its {@code watchLog(OutputStream)} path
 * writes whole chunks, and this takes them.
 * <p>
 * Bounded: when the reader falls behind by {@link #MAX_CHUNKS} chunks, the client's writer waits, and
 * fabric8 asks the server for more only after a write returns, so a fast log pushes back on the API
 * server instead of filling memory. The end of the response ends the stream; {@link #close} from any
 * thread stops the request and wakes both sides.
 */
public final class LogBytes implements AutoCloseable {

    static final int MAX_CHUNKS = 64;

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final Input input = new Input();
    private volatile LogWatch watch;
    private boolean ended;
    private boolean closed;
    private Throwable failure;

    private LogBytes() {
    }

    /** Sends the request and returns at once; the bytes arrive on {@link #input()} as the server sends them. */
    public static LogBytes follow(Loggable request) {
        LogBytes bytes = new LogBytes();
        LogWatch watch = request.watchLog(bytes.new Sink());
        bytes.watch = watch;
        watch.onClose().whenComplete((failure, error) -> bytes.end(failure != null ? failure : error));
        return bytes;
    }

    /** The log's bytes: blocks for the next chunk, -1 once the response ended, an IOException if it broke. */
    public InputStream input() {
        return input;
    }

    /** Stops the request; a reader blocked on {@link #input()} sees the end. Safe from any thread, twice. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            chunks.clear();
            notifyAll();
        }
        LogWatch w = watch;
        if (w != null) {
            w.close();
        }
    }

    private synchronized void end(Throwable why) {
        if (!ended) {
            ended = true;
            failure = why;
            notifyAll();
        }
    }

    private synchronized void put(byte[] b, int off, int len) throws IOException {
        while (chunks.size() >= MAX_CHUNKS && !closed && !ended) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while handing over log bytes", e);
            }
        }
        if (closed) {
            throw new IOException("The log stream was closed");
        }
        chunks.addLast(Arrays.copyOfRange(b, off, off + len));
        notifyAll();
    }

    /** The next chunk, or null at the end. */
    private synchronized byte[] take() throws IOException {
        while (chunks.isEmpty() && !ended && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while reading the log", e);
            }
        }
        if (closed) {
            return null;
        }
        byte[] next = chunks.pollFirst();
        if (next != null) {
            notifyAll();
            return next;
        }
        if (failure != null) {
            throw new IOException("The log stream broke", failure);
        }
        return null;
    }

    private final class Sink extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            put(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                put(b, off, len);
            }
        }
    }

    private final class Input extends InputStream {
        private byte[] chunk;
        private int at;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (chunk == null || at == chunk.length) {
                chunk = take();
                at = 0;
                if (chunk == null) {
                    return -1;
                }
            }
            int n = Math.min(len, chunk.length - at);
            System.arraycopy(chunk, at, b, off, n);
            at += n;
            return n;
        }

        @Override
        public void close() {
            LogBytes.this.close();
        }
    }
}
