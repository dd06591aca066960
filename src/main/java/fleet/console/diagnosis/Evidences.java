package fleet.console.diagnosis;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The evidence the rules quote, each with the source the UI links to. */
final class Evidences {

    private Evidences() {
    }

    /** A field of a pod ({@code status.containerStatuses[orchestrator].lastState}), with its exact jsonpath. */
    static EvidenceSource podField(PodView p, String field, String jsonPath) {
        return new EvidenceSource.ObjectField("Pod", p.namespace(), p.name(), field, jsonPath);
    }

    static EvidenceSource containerStatus(PodView p, String container, String part) {
        return podField(p, "status.containerStatuses[" + container + "]." + part,
                ".status.containerStatuses[?(@.name==\"" + container + "\")]." + part);
    }

    static EvidenceSource containerSpec(PodView p, String container, String part) {
        return podField(p, "spec.containers[" + container + "]." + part, ".spec.containers[?(@.name==\"" + container + "\")]." + part);
    }

    static EvidenceSource field(HasMetadata object, String field, String jsonPath) {
        return new EvidenceSource.ObjectField(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName(),
                field, jsonPath);
    }

    static Evidence event(String namespace, Event e) {
        int count = e.getCount() == null ? 1 : e.getCount();
        String uid = e.getMetadata().getUid() != null ? e.getMetadata().getUid() : e.getMetadata().getNamespace() + "/" + e.getMetadata().getName();
        return new Evidence("event " + e.getReason() + (count > 1 ? " x" + count : ""), e.getMessage() == null ? "" : e.getMessage().strip(),
                new EvidenceSource.KubeEvent(namespace, uid, e.getInvolvedObject().getKind(), e.getInvolvedObject().getName(), e.getReason()));
    }

    static Evidence log(PodView p, String container, boolean previous, String line) {
        return new Evidence(previous ? "previous log" : "log", line.strip(),
                new EvidenceSource.PodLog(p.namespace(), p.name(), container, previous, line));
    }

    /** The lines of a log that match, last ones first kept, at most {@code max}. */
    static List<String> matching(List<String> lines, Predicate<String> which, int max) {
        List<String> out = new ArrayList<>();
        for (int i = lines.size() - 1; i >= 0 && out.size() < max; i--) {
            if (which.test(lines.get(i))) {
                out.add(0, lines.get(i));
            }
        }
        return out;
    }

    /** The last line that matches. */
    static Optional<String> last(List<String> lines, Predicate<String> which) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (which.test(lines.get(i))) {
                return Optional.of(lines.get(i));
            }
        }
        return Optional.empty();
    }

    /** The last non-blank lines of a log, the crash's last words. */
    static List<String> tail(List<String> lines, int n) {
        List<String> out = new ArrayList<>();
        for (int i = lines.size() - 1; i >= 0 && out.size() < n; i--) {
            if (!lines.get(i).isBlank()) {
                out.add(0, lines.get(i));
            }
        }
        return out;
    }
}
