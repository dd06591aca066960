package fleet.console.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A message as the stream keeps it, read without creating any state on the server. */
public record StoredMessage(String stream, long sequence, String subject, Instant time, Map<String, List<String>> headers,
                            byte[] data) {

    public int size() {
        return data.length;
    }

    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The body, pretty-printed when it is JSON, as it is otherwise. */
    public String pretty() {
        return JsonPretty.print(text());
    }
}
