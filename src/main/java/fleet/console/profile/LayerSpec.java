package fleet.console.profile;

import java.util.List;
import java.util.Objects;

/**
 * One layer the console adds on top of a service's base image, the way a Dockerfile's COPY does:
 * a folder's contents go into {@code to}; a file goes to {@code to}, or into it when {@code to}
 * ends with '/' (always so when there are several sources).
 *
 * @param name    what the layer is called in progress and results ({@code src}, {@code service})
 * @param from    paths relative to the source root (the service repository's checkout); '*' and
 *                '?' match within one path segment, as in a Dockerfile's COPY
 * @param to      absolute path in the container
 * @param exclude patterns of paths, relative to each source folder, left out of the layer;
 *                {@code **}{@code /} matches any number of folders (also none), so that
 *                {@code **}{@code /__pycache__} drops every cache folder
 */
public record LayerSpec(String name, List<String> from, String to, List<String> exclude) {

    public LayerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(to, "to");
        from = List.copyOf(from);
        exclude = List.copyOf(exclude);
        if (from.isEmpty()) {
            throw new IllegalArgumentException("layer " + name + " has no source");
        }
    }

    /** Whether sources go into {@code to} as a folder rather than becoming it (a trailing '/', as in COPY). */
    public boolean intoFolder() {
        return to.endsWith("/") || from.size() > 1;
    }
}
