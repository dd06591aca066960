package fleet.console.cluster.logs;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A followed log's bytes, handed from the HTTP client to the thread that reads them, in the chunks they
 * arrived in. The request goes straight through the client's HTTP layer: fabric8's {@code watchLog} hands
 * every chunk to a thread of its own pool and asks for the next one from there, two thread hand-overs per
 * chunk that cost more of a 2-core machine than reading the lines did (the logs benchmark: its pool thread
 * and the client's event loop used as much CPU as parsing and classifying 1,000,000 lines). Here a chunk is
 * taken on the client's event loop (kept as the client made it, or copied once: {@link #handsOverFreshArrays}),
 * and the next one asked for at once.
 * <p>
 * Bounded: when the reader falls behind by {@link #MAX_CHUNKS} chunks, the next chunk is asked for only once
 * the reader has taken half of them, so a fast log pushes back on the API server instead of filling memory. The end
 * of the response ends the stream; {@link #close} from any thread stops the request and wakes the reader.
 */
public final class LogBytes implements AutoCloseable {

    static final int MAX_CHUNKS = 64;
    /** An error's body is read for its message; no more than this of it. */
    private static final int MAX_ERROR_BYTES = 64 * 1024;
    /** How long {@link #follow} waits for the server to answer the request (its headers) when the client sets no timeout. */
    private static final long DEFAULT_ANSWER_MILLIS = 30_000;

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final Input input = new Input();
    private volatile CompletableFuture<HttpResponse<AsyncBody>> request;
    private volatile AsyncBody body;
    /** The client's handle to ask for the next chunk, kept while the reader is {@link #MAX_CHUNKS} behind. */
    private AsyncBody waitingToAsk;
    private boolean ended;
    private boolean closed;
    private Throwable failure;
    /** Set when the answer is an error: its body is kept for the message instead of being handed on. */
    private ByteArrayOutputStream error;

    /** The client hands each chunk over in an array of its own, which is kept instead of copied. */
    private final boolean freshArrays;

    private LogBytes(boolean freshArrays) {
        this.freshArrays = freshArrays;
    }

    /**
     * The console's HTTP client, fabric8's Vert.x 5 one, hands each chunk over as a new array made for it
     * (Vert.x's {@code Buffer.getBytes()} copies), wrapped whole: the reader keeps that array instead of
     * copying it once more. Logs benchmark: the client's event loop allocated 341 MB per 1,000,000 lines
     * instead of 485, and the collector ran 23-26 times instead of 27-29. Any other client may use its
     * buffers again once the call returns, so its chunks are copied.
     */
    static boolean handsOverFreshArrays(HttpClient http) {
        return http.getClass().getName().equals("io.fabric8.kubernetes.client.vertx5.Vertx5HttpClient");
    }

    /**
     * Follows the container's log ({@code follow=true&timestamps=true}) from {@code since}, or its last
     * {@code tail} lines. Returns once the server answered; the bytes then arrive on {@link #input()}.
     *
     * @throws KubernetesClientException when the server refuses (the container is not running, the pod is
     *                                   gone: its status message) or cannot be reached
     */
    public static LogBytes follow(KubernetesClient client, String namespace, String pod, String container,
                                  Optional<Instant> since, OptionalInt tail) {
        StringBuilder url = new StringBuilder(client.getMasterUrl().toString());
        if (url.charAt(url.length() - 1) != '/') {
            url.append('/');
        }
        url.append("api/v1/namespaces/").append(encode(namespace)).append("/pods/").append(encode(pod))
                .append("/log?container=").append(encode(container)).append("&follow=true&timestamps=true");
        since.ifPresent(t -> url.append("&sinceTime=").append(encode(t.toString())));
        tail.ifPresent(n -> url.append("&tailLines=").append(n));
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(url.toString()).forStreaming().build();
        LogBytes bytes = new LogBytes(handsOverFreshArrays(client.getHttpClient()));
        CompletableFuture<HttpResponse<AsyncBody>> answer = client.getHttpClient().consumeBytes(request, bytes::arrived);
        bytes.request = answer;
        HttpResponse<AsyncBody> response;
        long answerMillis = client.getConfiguration().getRequestTimeout() > 0 ? client.getConfiguration().getRequestTimeout() : DEFAULT_ANSWER_MILLIS;
        try {
            response = answer.get(answerMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bytes.close();
            throw new KubernetesClientException("Interrupted while asking for the log of " + pod, e);
        } catch (ExecutionException | CancellationException | TimeoutException e) {
            bytes.close();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof KubernetesClientException k) {
                throw k;
            }
            throw new KubernetesClientException("Cannot read the log of " + pod + ": "
                    + (e instanceof TimeoutException ? "no answer in " + answerMillis + " ms" : String.valueOf(cause.getMessage())), cause);
        }
        if (!response.isSuccessful()) {
            throw bytes.refusal(client, response, answerMillis);
        }
        bytes.started(response.body());
        return bytes;
    }

    /** Chunks read from the server and not yet by the reader (for the test of the bound). */
    synchronized int held() {
        return chunks.size();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * The answer is a log: its bytes are asked for. The client is never called while this object's lock is
     * held: it may hand a chunk over on the calling thread, or hold a lock of its own while it does.
     */
    private void started(AsyncBody answer) {
        boolean cancelled;
        synchronized (this) {
            body = answer;
            cancelled = closed;
        }
        if (cancelled) {
            answer.cancel();
            return;
        }
        answer.done().whenComplete((ok, error) -> end(error));
        answer.consume();
    }

    /** The server said no: its Status read from the body, as fabric8 would have thrown it. */
    private KubernetesClientException refusal(KubernetesClient client, HttpResponse<AsyncBody> response, long answerMillis) {
        AsyncBody answer = response.body();
        synchronized (this) {
            error = new ByteArrayOutputStream();
            body = answer;
        }
        try {
            answer.consume();
            answer.done().get(answerMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // What was read of the message is what there is.
        } finally {
            close();
        }
        String text;
        synchronized (this) {
            text = error.toString(StandardCharsets.UTF_8).trim();
        }
        Status status = null;
        try {
            status = client.getKubernetesSerialization().unmarshal(text, Status.class);
        } catch (RuntimeException notAStatus) {
            // A proxy's page, or nothing: said as it is.
        }
        if (status == null || status.getMessage() == null) {
            status = new StatusBuilder().withCode(response.code()).withStatus("Failure")
                    .withMessage(text.isEmpty() ? "HTTP " + response.code() : text).build();
        }
        if (status.getCode() == null) {
            status.setCode(response.code());
        }
        return new KubernetesClientException(status);
    }

    /** On the client's event loop: a chunk of the answer. Never blocks; asks for the next one unless the reader is far behind. */
    private void arrived(List<ByteBuffer> buffers, AsyncBody answer) {
        int length = 0;
        for (ByteBuffer b : buffers) {
            length += b.remaining();
        }
        byte[] chunk;
        ByteBuffer only = buffers.size() == 1 ? buffers.get(0) : null;
        if (freshArrays && only != null && only.hasArray() && only.arrayOffset() == 0 && only.position() == 0
                && only.remaining() == only.array().length) {
            chunk = only.array();
        } else {
            chunk = new byte[length];
            int at = 0;
            for (ByteBuffer b : buffers) {
                int n = b.remaining();
                b.get(chunk, at, n);
                at += n;
            }
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (error != null) {
                error.write(chunk, 0, Math.min(chunk.length, Math.max(0, MAX_ERROR_BYTES - error.size())));
            } else {
                if (length > 0) {
                    chunks.addLast(chunk);
                    notifyAll();
                }
                if (chunks.size() >= MAX_CHUNKS) {
                    waitingToAsk = answer;
                    return;
                }
            }
        }
        answer.consume();
    }

    /** The log's bytes: blocks for the next chunk, -1 once the response ended, an IOException if it broke. */
    public InputStream input() {
        return input;
    }

    /** Stops the request; a reader blocked on {@link #input()} sees the end. Safe from any thread, twice. */
    @Override
    public void close() {
        AsyncBody answer;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            chunks.clear();
            waitingToAsk = null;
            answer = body;
            notifyAll();
        }
        if (answer != null) {
            answer.cancel();
        }
        CompletableFuture<HttpResponse<AsyncBody>> asked = request;
        if (asked != null && !asked.isDone()) {
            asked.cancel(true);
        }
    }

    private synchronized void end(Throwable why) {
        if (!ended) {
            ended = true;
            failure = why;
            notifyAll();
        }
    }

    /** The next chunk, or null at the end. */
    private byte[] take() throws IOException {
        byte[] next;
        AsyncBody ask = null;
        synchronized (this) {
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
            next = chunks.pollFirst();
            if (next == null) {
                if (failure != null) {
                    throw new IOException("The log stream broke", failure);
                }
                return null;
            }
            if (waitingToAsk != null && chunks.size() < MAX_CHUNKS / 2) {
                ask = waitingToAsk;
                waitingToAsk = null;
            }
        }
        if (ask != null) {
            // The reader caught up: the server is asked for more (outside the lock: the client may hand a
            // chunk over on this very call).
            ask.consume();
        }
        return next;
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
