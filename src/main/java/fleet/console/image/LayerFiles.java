package fleet.console.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import fleet.console.image.ImageBuildException.Problem;
import fleet.console.profile.LayerSpec;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A layer of a build spec turned into the files Jib puts in it, read from the source root the way
 * a Dockerfile's COPY reads its build context. Every file gets Jib's fixed modification time, so
 * an unchanged folder gives the same layer digest on every build and is not pushed again.
 */
final class LayerFiles {

    /** A layer ready for Jib, with what it holds. */
    record Resolved(String name, FileEntriesLayer layer, int files, long bytes) {
    }

    private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");

    private LayerFiles() {
    }

    static Resolved resolve(LayerSpec spec, Path sourceRoot, String service) throws ImageBuildException {
        Path root = sourceRoot.toAbsolutePath().normalize();
        String owner = "layer \"" + spec.name() + "\" of " + service;
        if (!Files.isDirectory(root)) {
            throw new ImageBuildException(Problem.SOURCE_MISSING, "The source root " + root + " is not a folder: build"
                    + " from the checkout of the service's repository (--source DIR). Nothing was pushed.");
        }
        Map<String, FileEntry> entries = new LinkedHashMap<>();
        long[] bytes = {0};
        for (String from : spec.from()) {
            for (Path source : sources(root, from, owner)) {
                try {
                    add(source, spec, entries, bytes);
                } catch (IOException e) {
                    throw new ImageBuildException(Problem.SOURCE_MISSING, owner + ": cannot read " + source + " ("
                            + e.getMessage() + "). Nothing was pushed.", e);
                }
            }
        }
        long files = entries.values().stream().filter(e -> Files.isRegularFile(e.getSourceFile())).count();
        if (files == 0) {
            throw new ImageBuildException(Problem.LAYER_EMPTY, owner + " holds no file: "
                    + String.join(", ", spec.from()) + " under " + root + (spec.exclude().isEmpty() ? " is empty"
                    : " is empty once exclude " + spec.exclude() + " is applied") + ": fix from or exclude, or drop the"
                    + " layer. Nothing was pushed.");
        }
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(spec.name());
        entries.values().stream().sorted(Comparator.comparing(e -> e.getExtractionPath().toString()))
                .forEach(layer::addEntry);
        return new Resolved(spec.name(), layer.build(), (int) files, bytes[0]);
    }

    /** The paths a {@code from} names: itself, or what its wildcards match, in name order. */
    private static List<Path> sources(Path root, String from, String owner) throws ImageBuildException {
        String trimmed = from.endsWith("/") ? from.substring(0, from.length() - 1) : from;
        if (!hasWildcard(trimmed)) {
            Path path = root.resolve(trimmed.isEmpty() ? "." : trimmed).normalize();
            if (!path.startsWith(root)) {
                throw new ImageBuildException(Problem.SOURCE_MISSING, owner + " copies " + from + ", which is outside the"
                        + " source root " + root + ". Nothing was pushed.");
            }
            if (!Files.exists(path)) {
                throw new ImageBuildException(Problem.SOURCE_MISSING, owner + " copies " + from + ", which does not exist"
                        + " under the source root " + root + ": build from the checkout of the service's repository"
                        + " (--source DIR), or fix the layer's from. Nothing was pushed.");
            }
            return List.of(path);
        }
        List<Path> matches = new ArrayList<>();
        matches.add(root);
        for (String segment : trimmed.split("/")) {
            List<Path> next = new ArrayList<>();
            PathMatcher matcher = hasWildcard(segment) ? FileSystems.getDefault().getPathMatcher("glob:" + segment) : null;
            for (Path dir : matches) {
                if (matcher == null) {
                    Path child = dir.resolve(segment);
                    if (Files.exists(child)) {
                        next.add(child);
                    }
                } else if (Files.isDirectory(dir)) {
                    try (Stream<Path> children = Files.list(dir)) {
                        children.filter(child -> matcher.matches(child.getFileName())).sorted().forEach(next::add);
                    } catch (IOException e) {
                        throw new ImageBuildException(Problem.SOURCE_MISSING, owner + ": cannot list " + dir + " ("
                                + e.getMessage() + "). Nothing was pushed.", e);
                    }
                }
            }
            matches = next;
        }
        if (matches.isEmpty()) {
            throw new ImageBuildException(Problem.SOURCE_MISSING, owner + " copies " + from + ", which matches nothing"
                    + " under the source root " + root + ": build from the checkout of the service's repository"
                    + " (--source DIR), or fix the layer's from. Nothing was pushed.");
        }
        return matches;
    }

    private static void add(Path source, LayerSpec spec, Map<String, FileEntry> entries, long[] bytes) throws IOException {
        if (!Files.isDirectory(source)) {
            String target = spec.intoFolder() ? folder(spec.to()) + source.getFileName() : spec.to();
            put(entries, source, target, bytes);
            return;
        }
        String into = folder(spec.to());
        List<PathMatcher> excludes = excludes(spec.exclude());
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String relative = relative(source, dir);
                if (relative.isEmpty()) {
                    return FileVisitResult.CONTINUE;
                }
                if (excluded(relative, excludes)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                entries.put(into + relative, new FileEntry(dir, AbsoluteUnixPath.get(into + relative),
                        FilePermissions.DEFAULT_FOLDER_PERMISSIONS, FileEntriesLayer.DEFAULT_MODIFICATION_TIME));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String relative = relative(source, file);
                // A dangling link has nothing to copy; Docker's COPY would fail on it, a build should not.
                if (!excluded(relative, excludes) && Files.exists(file)) {
                    put(entries, file, into + relative, bytes);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void put(Map<String, FileEntry> entries, Path file, String target, long[] bytes) throws IOException {
        FilePermissions permissions = Files.isExecutable(file) ? EXECUTABLE : FilePermissions.DEFAULT_FILE_PERMISSIONS;
        FileEntry previous = entries.put(target, new FileEntry(file, AbsoluteUnixPath.get(target), permissions,
                FileEntriesLayer.DEFAULT_MODIFICATION_TIME));
        if (previous != null && Files.isRegularFile(previous.getSourceFile())) {
            bytes[0] -= Files.size(previous.getSourceFile());
        }
        bytes[0] += Files.size(file);
    }

    /**
     * Patterns relative to a source folder; {@code **}{@code /} also matches no folder at all, as in
     * a .dockerignore, so that {@code **}{@code /__pycache__} drops the top-level cache too.
     */
    private static List<PathMatcher> excludes(List<String> patterns) {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String pattern : patterns) {
            String p = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
            while (p.startsWith("**/")) {
                p = p.substring(3);
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
            }
        }
        return matchers;
    }

    private static boolean excluded(String relative, List<PathMatcher> excludes) {
        Path path = Path.of(relative);
        return excludes.stream().anyMatch(m -> m.matches(path));
    }

    private static String relative(Path base, Path path) {
        return base.relativize(path).toString().replace('\\', '/');
    }

    private static String folder(String to) {
        return to.endsWith("/") ? to : to + "/";
    }

    private static boolean hasWildcard(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }
}
