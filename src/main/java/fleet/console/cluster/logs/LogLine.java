package fleet.console.cluster.logs;

import java.time.Instant;

/**
 * One line of a container's log, with the timestamp the kubelet gave it (the key that makes a cut
 * follow resumable without duplicates or gaps).
 *
 * @param seq per-stream sequence number, increasing in arrival order
 */
public record LogLine(String pod, String container, Instant time, String text, long seq) {
}
