package fleet.console.ui.logs;

import fleet.console.cluster.logs.LogLine;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Levels as the fleet's Python services and Kubernetes' own components write them. */
class LevelDetectorTest {

    private final LevelDetector detector = new LevelDetector(new LogSources());
    private long seq;

    private List<LogEntry> classify(String pod, String... texts) {
        return java.util.Arrays.stream(texts).map(t -> detector.classify(new LogLine(pod, "c", Instant.EPOCH, t, seq++)))
                .toList();
    }

    @Test
    void pythonLoggingLevelsAreRead() {
        assertThat(LevelDetector.levelOf("2025-03-01 12:00:00,001 [ERROR] orchestrator: Failed to connect"))
                .isEqualTo(LogLevel.ERROR);
        assertThat(LevelDetector.levelOf("2025-03-01 12:00:00,001 [CRITICAL] context: out of memory"))
                .isEqualTo(LogLevel.ERROR);
        assertThat(LevelDetector.levelOf("2025-03-01 12:00:00,001 [WARNING] ray: retrying")).isEqualTo(LogLevel.WARN);
        assertThat(LevelDetector.levelOf("2025-03-01 12:00:00,001 [INFO] ray: Health check OK (3 checks, idle)"))
                .isEqualTo(LogLevel.PLAIN);
    }

    @Test
    void klogLogfmtAndJsonLevelsAreRead() {
        assertThat(LevelDetector.levelOf("E0301 12:00:00.000000       1 reflector.go:138] failed to list"))
                .isEqualTo(LogLevel.ERROR);
        assertThat(LevelDetector.levelOf("W0301 12:00:00.000000       1 warnings.go:70] deprecated"))
                .isEqualTo(LogLevel.WARN);
        assertThat(LevelDetector.levelOf("ts=2025-03-01T12:00:00Z level=error msg=\"boom\"")).isEqualTo(LogLevel.ERROR);
        assertThat(LevelDetector.levelOf("{\"level\":\"warn\",\"msg\":\"slow consumer\"}")).isEqualTo(LogLevel.WARN);
        assertThat(LevelDetector.levelOf("{\"severity\": \"ERROR\", \"msg\": \"x\"}")).isEqualTo(LogLevel.ERROR);
    }

    @Test
    void wordsThatOnlyContainALevelAreNotOne() {
        assertThat(LevelDetector.levelOf("processed 12 items, errors=0")).isEqualTo(LogLevel.PLAIN);
        assertThat(LevelDetector.levelOf("ERRORS_TOTAL metric exported")).isEqualTo(LogLevel.PLAIN);
        assertThat(LevelDetector.levelOf("Terrorist detection model loaded")).isEqualTo(LogLevel.PLAIN);
    }

    @Test
    void aLevelWordIsReadWhereverItStartsInTheFirst160CharactersAlsoOnNonLatinLines() {
        String pad = "🚀 ".repeat(52) + "."; // 157 UTF-16 chars, emoji included
        assertThat(pad.length()).isEqualTo(157);
        assertThat(LevelDetector.levelOf(pad + " ERROR: the word starts at 158 and ends past the window")).isEqualTo(LogLevel.ERROR);
        assertThat(LevelDetector.levelOf(pad + " CRITICAL")).isEqualTo(LogLevel.ERROR);
        assertThat(LevelDetector.levelOf(pad + "  WARNING x")).isEqualTo(LogLevel.WARN);
        assertThat(LevelDetector.levelOf(pad + " level=error")).isEqualTo(LogLevel.ERROR);
        // Past the window a level is message text, not the line's level.
        assertThat(LevelDetector.levelOf(pad + "    ERROR")).isEqualTo(LogLevel.PLAIN);
        // A run of capitals reaching past the scanned copy is one long word, not ERROR.
        assertThat(LevelDetector.levelOf(pad + " ERROR" + "X".repeat(40) + " tail")).isEqualTo(LogLevel.PLAIN);
        assertThat(LevelDetector.levelOf(pad + " ERRORS")).isEqualTo(LogLevel.PLAIN);
        assertThat(LevelDetector.levelOf("ERROR")).isEqualTo(LogLevel.ERROR);
        assertThat(LevelDetector.levelOf("")).isEqualTo(LogLevel.PLAIN);
    }

    @Test
    void aTracebackBlockIsOneErrorStartingAtItsFirstLine() {
        List<LogEntry> out = classify("ray-executor-1",
                "2025-03-01 12:00:00,001 [INFO] ray_executor: Starting",
                "Traceback (most recent call last):",
                "  File \"/app/services/ray_executor/server.py\", line 14, in <module>",
                "    from src.ray_executor.application import RayExecutorService",
                "ModuleNotFoundError: No module named 'src'",
                "2025-03-01 12:00:01,001 [INFO] ray_executor: Restarting");

        assertThat(out).extracting(LogEntry::level).containsExactly(LogLevel.PLAIN, LogLevel.ERROR,
                LogLevel.ERROR, LogLevel.ERROR, LogLevel.ERROR, LogLevel.PLAIN);
        assertThat(out).extracting(LogEntry::continuation).containsExactly(false, false, true, true, true, false);
    }

    @Test
    void aLoggedExceptionAndItsTracebackAreOneError() {
        List<LogEntry> out = classify("orchestrator-1",
                "2025-03-01 12:00:00,001 [ERROR] orchestrator: Failed to start collector",
                "Traceback (most recent call last):",
                "  File \"/app/x.py\", line 61, in start",
                "nats.js.errors.Error: nats: consumer is already bound to a subscription");

        assertThat(out).extracting(LogEntry::level).containsOnly(LogLevel.ERROR);
        assertThat(out).extracting(LogEntry::continuation).containsExactly(false, true, true, true);
    }

    @Test
    void chainedExceptionsStayInTheSameError() {
        List<LogEntry> out = classify("p",
                "Traceback (most recent call last):",
                "  File \"a.py\", line 1, in f",
                "KeyError: 'x'",
                "",
                "During handling of the above exception, another exception occurred:",
                "",
                "Traceback (most recent call last):",
                "  File \"a.py\", line 3, in f",
                "RuntimeError: wrapped",
                "next record");

        assertThat(out.subList(1, 9)).allMatch(LogEntry::continuation);
        assertThat(out.get(9).level()).isEqualTo(LogLevel.PLAIN);
    }

    @Test
    void interleavedPodsKeepTheirOwnTracebacks() {
        List<LogEntry> out = classify("a", "Traceback (most recent call last):");
        out = new java.util.ArrayList<>(out);
        out.addAll(classify("b", "2025 [INFO] b: fine"));
        out.addAll(classify("a", "  File \"a.py\", line 1"));
        out.addAll(classify("b", "plain line"));
        out.addAll(classify("a", "ValueError: bad"));

        assertThat(out).extracting(LogEntry::level).containsExactly(LogLevel.ERROR, LogLevel.PLAIN,
                LogLevel.ERROR, LogLevel.PLAIN, LogLevel.ERROR);
        assertThat(out.get(0).source()).isNotEqualTo(out.get(1).source());
    }
}
