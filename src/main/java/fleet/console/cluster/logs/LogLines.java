package fleet.console.cluster.logs;

import fleet.console.cluster.ApiTime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reading the API's log text: lines split on newlines, each with the timestamp the kubelet put first. */
final class LogLines {

    /** One line as read: the kubelet's timestamp and the text after it. */
    record Timed(Instant time, String text) {
    }

    private LogLines() {
    }

    /**
     * {@code 2025-03-01T10:00:00.123456789Z text}: the time and the text. A line without a timestamp
     * (a server that ignored {@code timestamps=true}) keeps its whole text and gets {@code fallback}.
     */
    static Timed parse(String line, Instant fallback) {
        int space = line.indexOf(' ');
        String head = space < 0 ? line : line.substring(0, space);
        String text = space < 0 ? "" : line.substring(space + 1);
        if (head.length() >= 20 && head.charAt(4) == '-' && head.charAt(10) == 'T') {
            // The kubelet's own form, read without a formatter; other forms go the general way.
            Instant quick = ApiTime.utc(head);
            if (quick != null) {
                return new Timed(quick, text);
            }
            try {
                return new Timed(Instant.parse(head), text);
            } catch (DateTimeParseException e) {
                try {
                    return new Timed(OffsetDateTime.parse(head).toInstant(), text);
                } catch (DateTimeParseException notATime) {
                    // Falls through: the line is text.
                }
            }
        }
        return new Timed(fallback, line);
    }

    /** Every line of a complete log text (a last line without newline included). */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    /**
     * Hands on each complete line of a live stream as it arrives. A last fragment without its newline
     * (the stream was cut in the middle of a line) is not handed on: the resumed stream brings it whole.
     */
    static void readCompleteLines(InputStream in, Consumer<String> line) throws IOException {
        readCompleteLines(in, line, () -> { });
    }

    /** As above; {@code chunkRead} runs after the lines of each chunk read from the stream were handed on. */
    static void readCompleteLines(InputStream in, Consumer<String> line, Runnable chunkRead) throws IOException {
        readCompleteLines(in, (b, from, length) -> line.accept(new String(b, from, length, StandardCharsets.UTF_8)), chunkRead);
    }

    /** A line's bytes, without its newline; valid only during the call. */
    interface LineBytes {
        void line(byte[] b, int from, int length);
    }

    /**
     * As above, each line handed on as its bytes: a caller that reads the timestamp from them makes one
     * String per line, of its text, instead of one of the line and two of its parts.
     */
    static void readCompleteLines(InputStream in, LineBytes line, Runnable chunkRead) throws IOException {
        byte[] chunk = new byte[16 * 1024];
        // The start of a line the last chunk ended in; a line wholly inside a chunk is read from it directly.
        byte[] pending = new byte[256];
        int pendingLength = 0;
        int n;
        while ((n = in.read(chunk)) >= 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    if (pendingLength == 0) {
                        line.line(chunk, start, i - start);
                    } else {
                        pending = append(pending, pendingLength, chunk, start, i - start);
                        line.line(pending, 0, pendingLength + i - start);
                        pendingLength = 0;
                    }
                    start = i + 1;
                }
            }
            pending = append(pending, pendingLength, chunk, start, n - start);
            pendingLength += n - start;
            chunkRead.run();
        }
    }

    /**
     * {@link #parse(String, Instant)} of a line's UTF-8 bytes: the kubelet's timestamp is read from the
     * bytes themselves, and only the text after it becomes a String.
     */
    static Timed parse(byte[] b, int from, int length, Instant fallback) {
        int end = from + length;
        int space = -1;
        for (int i = from; i < end; i++) {
            if (b[i] == ' ') {
                space = i;
                break;
            }
        }
        int head = space < 0 ? length : space - from;
        if (head >= 20 && b[from + 4] == '-' && b[from + 10] == 'T') {
            Instant quick = ApiTime.utc(b, from, head);
            if (quick != null) {
                return new Timed(quick, space < 0 ? "" : new String(b, space + 1, end - space - 1, StandardCharsets.UTF_8));
            }
        }
        return parse(new String(b, from, length, StandardCharsets.UTF_8), fallback);
    }

    /** {@code to}'s first {@code length} bytes followed by the given ones, growing it when they do not fit. */
    private static byte[] append(byte[] to, int length, byte[] from, int offset, int count) {
        byte[] out = to;
        if (length + count > to.length) {
            out = java.util.Arrays.copyOf(to, Math.max(to.length * 2, length + count));
        }
        System.arraycopy(from, offset, out, length, count);
        return out;
    }
}
