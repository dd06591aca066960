package fleet.console.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which digest each layer had when it was last built, by what went into it (each file's path,
 * size and modification time, where it goes, its mode): the facts Jib's own cache goes by. Jib
 * reuses an unchanged layer from its cache without telling its digest, so progress learns it here
 * and can name the layer as soon as the build starts. A missing or stale entry costs nothing but
 * a layer shown without digest until Jib packs it. Kept in one small file of the cache folder.
 */
final class LayerIndex {

    private static final Logger LOG = Logger.getLogger(LayerIndex.class.getName());
    /** Enough for every layer of every service many times over; the oldest entries go first. */
    private static final int KEPT = 1000;

    /** A layer as packed: its digest and compressed size. */
    record Packed(String digest, long size) {
    }

    private final Path file;

    LayerIndex(Path file) {
        this.file = file;
    }

    /** What identifies a layer's contents without reading them. */
    static String key(FileEntriesLayer layer) {
        List<FileEntry> entries = new ArrayList<>(layer.getEntries());
        entries.sort(Comparator.comparing(e -> e.getExtractionPath().toString()));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (FileEntry entry : entries) {
                Path source = entry.getSourceFile().toAbsolutePath();
                String facts;
                try {
                    facts = source + "\0" + Files.size(source) + "\0" + Files.getLastModifiedTime(source).toMillis();
                } catch (IOException e) {
                    facts = source + "\0unreadable";
                }
                sha.update((facts + "\0" + entry.getExtractionPath() + "\0" + entry.getPermissions().toOctalString() + "\0"
                        + entry.getModificationTime() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    synchronized Optional<Packed> find(String key) {
        return Optional.ofNullable(read().get(key));
    }

    /** Adds what a build learned, keeping the newest {@link #KEPT} entries. */
    synchronized void remember(Map<String, Packed> learned) {
        if (learned.isEmpty()) {
            return;
        }
        Map<String, Packed> all = read();
        learned.forEach((key, packed) -> {
            all.remove(key);
            all.put(key, packed);
        });
        List<String> lines = new ArrayList<>();
        int skip = Math.max(0, all.size() - KEPT);
        for (Map.Entry<String, Packed> entry : all.entrySet()) {
            if (skip-- > 0) {
                continue;
            }
            lines.add(entry.getKey() + " " + entry.getValue().digest() + " " + entry.getValue().size());
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), "layer-index-", ".tmp");
            Files.write(temporary, lines, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not write the layer index " + file, e);
        }
    }

    private Map<String, Packed> read() {
        Map<String, Packed> entries = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ");
                if (parts.length == 3 && parts[1].startsWith("sha256:")) {
                    try {
                        entries.put(parts[0], new Packed(parts[1], Long.parseLong(parts[2])));
                    } catch (NumberFormatException e) {
                        // A torn line of an interrupted write: the entry is simply learned again.
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return entries;
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not read the layer index " + file, e);
        }
        return entries;
    }
}
