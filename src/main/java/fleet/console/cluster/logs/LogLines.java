package fleet.console.cluster.logs;

import java.io.ByteArrayOutputStream;
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
        byte[] chunk = new byte[16 * 1024];
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        int n;
        while ((n = in.read(chunk)) >= 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    pending.write(chunk, start, i - start);
                    line.accept(pending.toString(StandardCharsets.UTF_8));
                    pending.reset();
                    start = i + 1;
                }
            }
            pending.write(chunk, start, n - start);
        }
    }
}
