package fleet.console.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit journal: append-only JSON lines that survive a crash mid-write. */
class AuditJournalTest {

    @TempDir
    Path dir;

    private static AuditEntry entry(String target, String result) {
        return new AuditEntry(Instant.parse("2025-03-01T10:00:00Z"), "prod-eu", "swe-ai-fleet", "delete pod", target, result);
    }

    @Test
    void entriesAreAppendedOneJsonObjectPerLineAndReadBackInOrder() throws Exception {
        Path file = dir.resolve("state/fleet-console/audit.jsonl");
        AuditJournal journal = new AuditJournal(file);
        journal.append(entry("orchestrator-1", "ok"));
        journal.append(entry("context-\"2\"", "Not allowed: pods \"context-2\" is forbidden\nask for it"));
        assertEquals(List.of(entry("orchestrator-1", "ok"), entry("context-\"2\"", "Not allowed: pods \"context-2\" is forbidden\nask for it")),
                journal.read());
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertEquals("{\"time\":\"2025-03-01T10:00:00Z\",\"context\":\"prod-eu\",\"namespace\":\"swe-ai-fleet\",\"action\":\"delete pod\","
                + "\"target\":\"orchestrator-1\",\"result\":\"ok\"}", lines.get(0));
    }

    @Test
    void appendingNeverRewritesWhatIsThere() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditJournal journal = new AuditJournal(file);
        journal.append(entry("a", "ok"));
        byte[] before = Files.readAllBytes(file);
        new AuditJournal(file).append(entry("b", "ok"));
        byte[] after = Files.readAllBytes(file);
        assertTrue(after.length > before.length);
        assertEquals(new String(before, StandardCharsets.UTF_8), new String(after, 0, before.length, StandardCharsets.UTF_8),
                "the earlier bytes are untouched");
    }

    @Test
    void lineTornByACrashIsSkippedAndCountedAndTheNextEntryStaysReadable() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditJournal journal = new AuditJournal(file);
        journal.append(entry("a", "ok"));
        String whole = AuditJournal.encode(entry("b", "ok"));
        Files.writeString(file, whole.substring(0, whole.length() / 2), StandardOpenOption.APPEND);

        AuditJournal.Contents torn = journal.contents();
        assertEquals(List.of(entry("a", "ok")), torn.entries());
        assertEquals(1, torn.unreadableLines());

        journal.append(entry("c", "ok"));
        AuditJournal.Contents after = journal.contents();
        assertEquals(List.of(entry("a", "ok"), entry("c", "ok")), after.entries());
        assertEquals(1, after.unreadableLines());
    }

    @Test
    void aFullJournalIsRotatedKeepingThreeAndNoEntryIsLost() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int lineBytes = (AuditJournal.encode(entry("pod-00", "ok")) + "\n").getBytes(StandardCharsets.UTF_8).length;
        AuditJournal journal = new AuditJournal(file, 3L * lineBytes);
        for (int i = 0; i < 14; i++) {
            journal.append(entry(String.format("pod-%02d", i), "ok"));
        }
        // 3 entries per file: 14 = 3 rotated full files kept (one older dropped) + 2 in the current one.
        assertEquals(List.of("pod-12", "pod-13"), journal.read().stream().map(AuditEntry::target).toList());
        assertEquals(List.of("pod-09", "pod-10", "pod-11"), new AuditJournal(journal.rotated(1)).read().stream().map(AuditEntry::target).toList());
        assertEquals(List.of("pod-03", "pod-04", "pod-05"), new AuditJournal(journal.rotated(3)).read().stream().map(AuditEntry::target).toList());
        assertTrue(Files.notExists(journal.rotated(4)), "only " + AuditJournal.KEPT + " rotated files are kept");
        assertTrue(Files.size(file) <= 3L * lineBytes);
    }

    @Test
    void missingJournalReadsAsEmpty() {
        assertEquals(new AuditJournal.Contents(List.of(), 0), new AuditJournal(dir.resolve("none.jsonl")).contents());
    }

    @Test
    void defaultFileFollowsXdgStateHomeElseLocalState() {
        Path home = Path.of("/home/op");
        assertEquals(Path.of("/var/state/fleet-console/audit.jsonl"), AuditJournal.defaultFile(Map.of("XDG_STATE_HOME", "/var/state"), home));
        assertEquals(Path.of("/home/op/.local/state/fleet-console/audit.jsonl"), AuditJournal.defaultFile(Map.of(), home));
        assertEquals(Path.of("/home/op/.local/state/fleet-console/audit.jsonl"), AuditJournal.defaultFile(Map.of("XDG_STATE_HOME", " "), home));
    }
}
