package fleet.console.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal of what the console did to clusters: a local file, one JSON object per line, only ever
 * appended to (opened with APPEND, never rewritten), so that what was done stays on record even if the
 * console dies. A line torn by a crash mid-write is skipped on reading and counted; the next append
 * starts on a fresh line so it does not glue itself to the torn one. The console and its command line
 * may write at the same time: each append holds a file lock.
 */
public final class AuditJournal {

    /** What reading found: the entries, and how many lines could not be read (a torn last line). */
    public record Contents(List<AuditEntry> entries, int unreadableLines) {
        public Contents {
            entries = List.copyOf(entries);
        }
    }

    private static final String[] FIELDS = {"time", "context", "namespace", "action", "target", "result"};

    /** Past this size the journal is rotated before the next append: audit.jsonl -> audit.jsonl.1 -> .2 -> .3. */
    public static final long DEFAULT_MAX_BYTES = 5L * 1024 * 1024;
    /** How many rotated files are kept. */
    public static final int KEPT = 3;

    private final Path file;
    private final long maxBytes;

    public AuditJournal(Path file) {
        this(file, DEFAULT_MAX_BYTES);
    }

    public AuditJournal(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    /** The rotated file {@code n} (1 = the most recent), which may not exist. */
    public Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /** {@code $XDG_STATE_HOME/fleet-console/audit.jsonl}, else {@code ~/.local/state/fleet-console/audit.jsonl}. */
    public static Path defaultFile(Map<String, String> env, Path home) {
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state) : home.resolve(".local").resolve("state");
        return base.resolve("fleet-console").resolve("audit.jsonl");
    }

    public Path file() {
        return file;
    }

    /** Writes one entry as one line, durably (forced to disk before returning). */
    public synchronized void append(AuditEntry entry) {
        byte[] line = (encode(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            rotateIfFull(line.length);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
                 FileLock ignored = channel.lock()) {
                long size = channel.size();
                ByteBuffer out;
                if (size > 0 && !endsWithNewline(size)) {
                    // The last write was torn (a crash mid-line): end that line so this entry stays readable.
                    out = ByteBuffer.allocate(line.length + 1).put((byte) '\n').put(line).flip();
                } else {
                    out = ByteBuffer.wrap(line);
                }
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the audit journal " + file + ": " + e.getMessage()
                    + ". Check that the directory is writable and the disk not full.", e);
        }
    }

    /**
     * Moves a full journal aside (keeping {@link #KEPT} of them) so the next entry starts a new file. The
     * move happens under a lock on a sibling lock file, so two consoles never rotate the same file twice.
     */
    private void rotateIfFull(int adding) throws IOException {
        if (!Files.exists(file) || Files.size(file) + adding <= maxBytes) {
            return;
        }
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            if (!Files.exists(file) || Files.size(file) + adding <= maxBytes) {
                return;
            }
            Files.deleteIfExists(rotated(KEPT));
            for (int n = KEPT - 1; n >= 1; n--) {
                if (Files.exists(rotated(n))) {
                    Files.move(rotated(n), rotated(n + 1), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Files.move(file, rotated(1), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The entries, oldest first; unreadable lines are left out (see {@link #contents()} for their count). */
    public List<AuditEntry> read() {
        return contents().entries();
    }

    public Contents contents() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Contents(List.of(), 0);
        } catch (java.nio.charset.MalformedInputException e) {
            // A torn multi-byte character: read byte-wise so the lines before it are kept.
            lines = readLenient();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the audit journal " + file + ": " + e.getMessage(), e);
        }
        List<AuditEntry> entries = new ArrayList<>();
        int unreadable = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                entries.add(decode(line));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                unreadable++;
            }
        }
        return new Contents(entries, unreadable);
    }

    private List<String> readLenient() {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            return text.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the audit journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Read through a channel of its own: an APPEND channel cannot read. Called with the lock held. */
    private boolean endsWithNewline(long size) throws IOException {
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            reader.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }

    static String encode(AuditEntry e) {
        String[] values = {e.time().toString(), e.context(), e.namespace(), e.action(), e.target(), e.result()};
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < FIELDS.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"').append(FIELDS[i]).append("\":");
            quote(out, values[i] == null ? "" : values[i]);
        }
        return out.append('}').toString();
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** One line back into an entry; IllegalArgumentException when it is not a whole entry. */
    static AuditEntry decode(String line) {
        Map<String, String> fields = new JsonObjectReader(line.strip()).read();
        for (String f : FIELDS) {
            if (!fields.containsKey(f)) {
                throw new IllegalArgumentException("no " + f);
            }
        }
        return new AuditEntry(Instant.parse(fields.get("time")), fields.get("context"), fields.get("namespace"),
                fields.get("action"), fields.get("target"), fields.get("result"));
    }

    /** Reads a flat JSON object of string values: all the journal writes, and strict about the rest. */
    private static final class JsonObjectReader {
        private final String s;
        private int i;

        JsonObjectReader(String s) {
            this.s = s;
        }

        Map<String, String> read() {
            Map<String, String> out = new LinkedHashMap<>();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                i++;
            } else {
                while (true) {
                    skipSpace();
                    String key = string();
                    skipSpace();
                    expect(':');
                    skipSpace();
                    out.put(key, string());
                    skipSpace();
                    char c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw new IllegalArgumentException("expected , or } at " + (i - 1));
                    }
                }
            }
            skipSpace();
            if (i != s.length()) {
                throw new IllegalArgumentException("text after the object at " + i);
            }
            return out;
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw new IllegalArgumentException("torn escape");
                        }
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            }
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
            }
        }

        private char next() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("line ends early");
            }
            return s.charAt(i++);
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("line ends early");
            }
            return s.charAt(i);
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
