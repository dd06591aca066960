package fleet.console.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the console builds a service's image with Jib: the service's files, as layers, on top of a
 * base image. Jib cannot run commands (a Dockerfile's RUN), so the base image must already hold
 * everything the code needs (Python packages, generated gRPC code, the user): it is built once by
 * the team's usual tools, and the console adds only the service's code, which is what changes.
 *
 * @param base       the base image reference ({@code host/path:tag}, or {@code scratch} for none)
 * @param platform   {@code os/architecture} of the image, e.g. {@code linux/amd64}
 * @param workdir    the working directory of the container; empty keeps the base image's
 * @param user       the user the container runs as ({@code 1000}, {@code 1000:1000}); empty keeps the base image's
 * @param env        environment variables, added to the base image's
 * @param ports      exposed ports, {@code 50055} or {@code 53/udp}
 * @param labels     image labels, added to the base image's
 * @param entrypoint the entrypoint in exec form; empty keeps the base image's
 * @param cmd        the command (arguments of the entrypoint) in exec form; empty keeps the base image's
 * @param layers     the layers added on top of the base, in order (a later one wins where paths overlap)
 */
public record BuildSpec(
        String base,
        String platform,
        Optional<String> workdir,
        Optional<String> user,
        Map<String, String> env,
        List<String> ports,
        Map<String, String> labels,
        Optional<List<String>> entrypoint,
        Optional<List<String>> cmd,
        List<LayerSpec> layers) {

    /** The base written for an image built on nothing (Dockerfile's {@code FROM scratch}). */
    public static final String SCRATCH = "scratch";
    /** The platform when a profile names none: the fleet's nodes. */
    public static final String DEFAULT_PLATFORM = "linux/amd64";

    public BuildSpec {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(workdir, "workdir");
        Objects.requireNonNull(user, "user");
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        ports = List.copyOf(ports);
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        entrypoint = entrypoint.map(List::copyOf);
        cmd = cmd.map(List::copyOf);
        layers = List.copyOf(layers);
    }

    public boolean fromScratch() {
        return SCRATCH.equals(base);
    }

    public Optional<LayerSpec> layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }
}
