package fleet.console.sandbox.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds a server binary the way a shell would, plus the sbin folders Debian installs them in. */
public final class Executables {

    /**
     * Debian's nats-server lands in /usr/sbin, which is on root's PATH but not on an ordinary
     * user's, so a demo laptop that installed the package would otherwise be told it is missing.
     */
    private static final List<Path> SBIN = List.of(Path.of("/usr/local/sbin"), Path.of("/usr/sbin"), Path.of("/sbin"));

    private Executables() {
    }

    public static Optional<Path> find(String name) {
        return find(name, System.getenv("PATH"));
    }

    /** Searches {@code pathVariable} (entries split like PATH), then the sbin folders. */
    public static Optional<Path> find(String name, String pathVariable) {
        List<Path> folders = new ArrayList<>();
        if (pathVariable != null) {
            for (String entry : pathVariable.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    try {
                        folders.add(Path.of(entry));
                    } catch (InvalidPathException ignored) {
                        // A malformed PATH entry cannot hold the binary; the shell skips it too.
                    }
                }
            }
        }
        folders.addAll(SBIN);
        for (Path folder : folders) {
            Path candidate = folder.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
