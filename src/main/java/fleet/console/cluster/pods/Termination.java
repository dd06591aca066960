package fleet.console.cluster.pods;

import java.time.Instant;
import java.util.Optional;

/** How a container ended: the last termination is the first thing to read on a crash-looping pod. */
public record Termination(String reason, int exitCode, Optional<Integer> signal, Optional<Instant> startedAt,
                          Optional<Instant> finishedAt, Optional<String> message) {
}
