package fleet.console.ui.logs;

import fleet.console.cluster.logs.LogLine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Log lines as a pod writes them, classified as the view's feed would. */
final class Lines {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private final LogSources sources = new LogSources();
    private final LevelDetector detector = new LevelDetector(sources);
    private long seq;

    /** {@code count} lines "line 0", "line 1"... from one pod. */
    List<LogEntry> numbered(int from, int count) {
        List<String> texts = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            texts.add("line " + i);
        }
        return of("ray-executor-7d9f-abcde", texts.toArray(String[]::new));
    }

    List<LogEntry> of(String pod, String... texts) {
        List<LogLine> raw = new ArrayList<>();
        for (String t : texts) {
            raw.add(new LogLine(pod, "main", T0.plusMillis(seq), t, seq++));
        }
        return detector.classify(raw);
    }

    static List<String> texts(List<LogEntry> entries) {
        return entries.stream().map(LogEntry::text).toList();
    }
}
