package fleet.console.diagnosis;

import fleet.console.cluster.pods.WorkloadRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "What is wrong" in a namespace at one moment: every diagnosis, most urgent first and blockers before
 * what they block, with the lookups the UI binds to (a pod's badge, a workload's badge) and the text the
 * command line prints.
 *
 * @param natsNote why NATS could not be checked, when it could not (its rules then said nothing)
 */
public record DiagnosisReport(String namespace, Instant at, List<Diagnosis> diagnoses, Optional<String> natsNote) {

    public DiagnosisReport {
        diagnoses = List.copyOf(diagnoses);
    }

    public boolean isEmpty() {
        return diagnoses.isEmpty();
    }

    /** The diagnoses of one pod (for its badge and panel), most urgent first. */
    public List<Diagnosis> forPod(String pod) {
        return diagnoses.stream().filter(d -> d.subject().isPod() && d.subject().name().equals(pod)).toList();
    }

    /** The diagnoses of a workload and of its pods. */
    public List<Diagnosis> forWorkload(WorkloadRef workload) {
        return diagnoses.stream().filter(d -> d.subject().belongsTo(workload)).toList();
    }

    public Optional<Diagnosis> byId(String id) {
        return diagnoses.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** The most severe of a pod's or workload's diagnoses, for a badge's colour. */
    public static Optional<Severity> worst(List<Diagnosis> of) {
        return of.stream().map(Diagnosis::severity).min(Enum::compareTo);
    }

    /**
     * One cause of one workload, whatever the number of its pods it hits: the summary's line. The first
     * diagnosis speaks for the others.
     */
    public record Group(Diagnosis first, List<Diagnosis> all) {

        /** {@code deployment/context: pod/context-5f-abc, pod/context-5f-def}. */
        public String subjects() {
            String owner = first.subject().workload().filter(w -> first.subject().isPod()).map(w -> w.kubectlName() + ": ").orElse("");
            return owner + String.join(", ", all.stream().map(d -> d.subject().label()).toList());
        }
    }

    /** The diagnoses grouped by cause and workload, in the report's order. */
    public List<Group> groups() {
        Map<String, List<Diagnosis>> grouped = new LinkedHashMap<>();
        for (Diagnosis d : diagnoses) {
            String owner = d.subject().workload().map(w -> w.kind() + "/" + w.name()).orElse(d.subject().label());
            grouped.computeIfAbsent(d.rule() + "|" + d.cause() + "|" + owner, k -> new ArrayList<>()).add(d);
        }
        return grouped.values().stream().map(all -> new Group(all.get(0), all)).toList();
    }

    /** The summary as {@code health --explain} prints it: each cause, its evidence and its fix. */
    public String render() {
        StringBuilder out = new StringBuilder();
        List<Group> groups = groups();
        if (groups.isEmpty()) {
            out.append("No diagnosis: nothing in ").append(namespace).append(" needs attention.\n");
        } else {
            out.append("What is wrong in ").append(namespace).append(" (").append(groups.size())
                    .append(groups.size() == 1 ? " cause" : " causes").append(", most urgent first):\n");
        }
        Map<String, Integer> numbers = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            for (Diagnosis d : groups.get(i).all()) {
                numbers.put(d.id(), i + 1);
            }
        }
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            Diagnosis d = g.first();
            out.append('\n').append(i + 1).append(". ").append(d.cause()).append("  [").append(d.severity().label()).append(", ")
                    .append(d.confidence().label());
            if (d.contested()) {
                out.append(", ").append(d.confidence().percent()).append("% - another cause competes");
            }
            out.append("]\n");
            out.append("   ").append(g.subjects()).append(" (").append(d.symptom()).append(")\n");
            List<Integer> after = d.blockedBy().stream().map(numbers::get).filter(java.util.Objects::nonNull).distinct().sorted().toList();
            if (!after.isEmpty()) {
                out.append("   Fix first: ").append(String.join(", ", after.stream().map(n -> "#" + n).toList())).append('\n');
            }
            out.append("   ").append(d.explanation()).append('\n');
            if (!d.evidence().isEmpty()) {
                out.append("   Evidence:\n");
                for (Evidence e : d.evidence()) {
                    out.append("     - ").append(e.what()).append(": ").append(e.text()).append('\n');
                    out.append("       $ ").append(e.source().command()).append('\n');
                }
            }
            if (d.fix().isPresent()) {
                Fix fix = d.fix().get();
                out.append("   Fix: ").append(fix.summary()).append('\n');
                for (String c : fix.commands()) {
                    out.append("     $ ").append(c).append('\n');
                }
            }
            out.append("   From: ").append(d.section().title()).append('\n');
        }
        natsNote.ifPresent(n -> out.append("\nNATS was not checked: ").append(n).append('\n'));
        return out.toString();
    }
}
