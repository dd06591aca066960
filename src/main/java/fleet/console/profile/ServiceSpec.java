package fleet.console.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One workload of the fleet as the console should run it.
 *
 * @param name          the Deployment or StatefulSet name
 * @param kind          how Kubernetes runs it
 * @param container     the container whose image a redeploy replaces
 * @param image         image repository, without tag
 * @param tag           the tag the console would deploy
 * @param replicas      the replica count it normally runs at
 * @param natsConsumers whether it binds JetStream durables, so that a redeploy must scale it to 0
 *                      before the new pods start (a push durable accepts one subscriber)
 * @param durables      durable consumer names it owns; {@code *} matches any run of characters
 * @param subscriptions the durables it binds today with the subject each filters on (in the order written);
 *                      what "is it receiving its messages?" is checked against. Leftover durables of older
 *                      versions are in {@code durables} only
 * @param startupLines  log text that shows a successful start
 * @param port          the port its Service exposes, when it has one
 * @param build         how the console builds its image, when it does (the fleet's own services)
 */
public record ServiceSpec(
        String name,
        WorkloadKind kind,
        String container,
        String image,
        String tag,
        int replicas,
        boolean natsConsumers,
        List<String> durables,
        Map<String, String> subscriptions,
        List<String> startupLines,
        OptionalInt port,
        Optional<BuildSpec> build) {

    /** A service whose durables' subjects the profile does not say, and that the console does not build. */
    public ServiceSpec(String name, WorkloadKind kind, String container, String image, String tag, int replicas,
                       boolean natsConsumers, List<String> durables, List<String> startupLines, OptionalInt port) {
        this(name, kind, container, image, tag, replicas, natsConsumers, durables, Map.of(), startupLines, port, Optional.empty());
    }

    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(build, "build");
        durables = List.copyOf(durables);
        subscriptions = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(subscriptions, "subscriptions")));
        startupLines = List.copyOf(startupLines);
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas of " + name + " is negative: " + replicas);
        }
    }

    /** The subject a durable of this service filters on, when the profile says. */
    public Optional<String> subjectOf(String durable) {
        return Optional.ofNullable(subscriptions.get(durable));
    }

    /** A service the console does not build (a public image such as nats). */
    public ServiceSpec(String name, WorkloadKind kind, String container, String image, String tag, int replicas,
            boolean natsConsumers, List<String> durables, Map<String, String> subscriptions, List<String> startupLines, OptionalInt port) {
        this(name, kind, container, image, tag, replicas, natsConsumers, durables, subscriptions, startupLines, port, Optional.empty());
    }

    /** Whether a durable consumer name is one of this service's, literally or by pattern. */
    public boolean ownsDurable(String durable) {
        return durables.stream().anyMatch(pattern -> globMatches(pattern, durable));
    }

    /** Matches {@code *} against any run of characters, nothing else is special. */
    static boolean globMatches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resumeAt = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resumeAt = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resumeAt;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
