package fleet.console.audit;

import java.time.Instant;

/**
 * One action the console took on a cluster: when, where, what, on what, and how it ended.
 *
 * @param result {@code ok}, or what went wrong
 */
public record AuditEntry(Instant time, String context, String namespace, String action, String target, String result) {
}
