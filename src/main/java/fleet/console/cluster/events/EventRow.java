package fleet.console.cluster.events;

import java.time.Instant;

/** One Kubernetes Event, newest information first: type, reason, object, message, count, first and last seen. */
public record EventRow(String uid, String type, String reason, String objectKind, String objectName, String message,
                       int count, Instant firstSeen, Instant lastSeen) {

    public boolean warning() {
        return "Warning".equals(type);
    }
}
