package fleet.console.cluster;

import fleet.console.cluster.events.EventRows;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ApiTimeTest {

    @Test
    void theApiServersTimestampsReadAsInstantParseReadsThem() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(1_000_000_000));
            int digits = random.nextInt(10);
            String text = at.toString().substring(0, 19)
                    + (digits == 0 ? "" : "." + String.format("%09d", at.getNano()).substring(0, digits)) + "Z";
            assertEquals(Instant.parse(text), ApiTime.utc(text), text);
            assertEquals(Optional.of(Instant.parse(text)), EventRows.time(text), text);
        }
    }

    @Test
    void otherFormsAreLeftToTheGeneralParse() {
        assertNull(ApiTime.utc("2025-03-01T10:00:00+01:00"));
        assertNull(ApiTime.utc("2025-02-30T10:00:00Z"), "no such day");
        assertNull(ApiTime.utc("2025-03-01 10:00:00Z"));
        assertNull(ApiTime.utc("2025/03/01T10:00:00Z"));
        assertNull(ApiTime.utc("2025-03-01T24:00:00Z"));
        assertNull(ApiTime.utc("2025-03-01T10:00:00.Z"));
        assertNull(ApiTime.utc("2025-03-01T10:00:00.1234567890Z"), "ten digits of fraction");
        assertNull(ApiTime.utc("2025-03-0xT10:00:00Z"));
        assertEquals(Optional.of(OffsetDateTime.parse("2025-03-01T10:00:00+01:00").toInstant()),
                EventRows.time("2025-03-01T10:00:00+01:00"));
        assertEquals(Optional.empty(), EventRows.time("2025-02-30T10:00:00Z"));
        assertEquals(Optional.empty(), EventRows.time("yesterday"));
        assertEquals(Optional.empty(), EventRows.time(""));
    }
}
