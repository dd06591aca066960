package fleet.console.cluster.logs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reading a followed log: the kubelet's timestamps read without a formatter, lines cut anywhere by the network. */
class LogLinesTest {

    @Test
    void aLineIsCutIntoItsKubeletTimestampAndItsText() {
        // ApiTimeTest checks the timestamps themselves; here, that a line's head is read as one.
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(1_000_000_000));
            String full = at.toString();
            // The kubelet writes 9 digits; other writers fewer, or none.
            int digits = random.nextInt(10);
            String text = full.substring(0, 19) + (digits == 0 ? "" : "." + String.format("%09d", at.getNano()).substring(0, digits)) + "Z";
            assertEquals(new LogLines.Timed(Instant.parse(text), "a line " + i), LogLines.parse(text + " a line " + i, Instant.EPOCH), text);
        }
    }

    @Test
    void whatIsNotTheKubeletsFormIsLeftToTheGeneralParse() {
        assertEquals(OffsetDateTime.parse("2025-03-01T10:00:00+01:00").toInstant(),
                LogLines.parse("2025-03-01T10:00:00+01:00 with an offset", Instant.EPOCH).time());
        assertEquals(new LogLines.Timed(Instant.EPOCH, "2025-02-30T10:00:00Z not a time"),
                LogLines.parse("2025-02-30T10:00:00Z not a time", Instant.EPOCH));
    }

    @Test
    void aLineReadFromItsBytesIsCutAsItsTextWouldBe() {
        // The live follow reads each line from the bytes it arrived in; what it makes of them must be what
        // the text's own parse makes, wherever in the buffer the line stands.
        Random random = new Random(11);
        List<String> lines = new ArrayList<>(List.of("2025-03-01T10:00:00+01:00 with an offset", "2025-02-30T10:00:00Z not a time",
                "Traceback (most recent call last):", "", "2025-03-01T10:00:00Z", "2025-03-01T10:00:00Z ",
                "2025-03-01T10:00:00.5Z ✅ ünïcödé after the time", "2025-03-0ÿT10:00:00Z not ascii where a digit goes"));
        for (int i = 0; i < 500; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(1_000_000_000));
            lines.add(at + " line " + i + (i % 3 == 0 ? " ✅" : ""));
        }
        for (String line : lines) {
            byte[] own = line.getBytes(StandardCharsets.UTF_8);
            int at = random.nextInt(40);
            byte[] buffer = new byte[at + own.length + random.nextInt(40)];
            java.util.Arrays.fill(buffer, (byte) ' ');
            System.arraycopy(own, 0, buffer, at, own.length);
            Instant fallback = Instant.ofEpochSecond(7);
            assertEquals(LogLines.parse(line, fallback), LogLines.parse(buffer, at, own.length, fallback), line);
        }
    }

    /** Hands out what it holds a few bytes at a time, as a network does: cuts inside lines and characters. */
    private static InputStream trickle(byte[] bytes, long seed) {
        Random random = new Random(seed);
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(700)));
            }
        };
    }

    @Test
    void everyCompleteLineArrivesWholeHoweverTheStreamIsCut() throws IOException {
        List<String> written = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            String line = "line " + i + " ✅ ünïcödé " + "x".repeat(random.nextInt(i % 50 == 0 ? 40_000 : 300));
            written.add(line);
            text.append(line).append('\n');
        }
        text.append("a last fragment without its newline");
        for (long seed = 1; seed <= 3; seed++) {
            List<String> read = new ArrayList<>();
            LogLines.readCompleteLines(trickle(text.toString().getBytes(StandardCharsets.UTF_8), seed), read::add);
            assertEquals(written, read, "cut with seed " + seed);
        }
    }
}
