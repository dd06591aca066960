package fleet.console.cluster.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The pods table as text, for the command line: the columns of {@code kubectl get pods -o wide} plus
 * WORKLOAD and REASON, problem pods first. Read with one list of pods and one of ReplicaSets (not a GET
 * per pod).
 */
public final class PodTable {

    /** A row with the pod's IP, which the wide table shows and the live table leaves to the detail. */
    public record Line(PodRow row, String ip) {
    }

    private static final Comparator<Line> PROBLEMS_FIRST = Comparator.comparing((Line l) -> !l.row().problem())
            .thenComparing(l -> l.row().name());

    private PodTable() {
    }

    public static List<Line> read(KubernetesClient client, String namespace) {
        Map<String, ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(namespace).list().getItems().stream()
                .collect(Collectors.toMap(rs -> rs.getMetadata().getName(), Function.identity(), (a, b) -> a));
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        return pods.stream().map(p -> new Line(PodRows.of(p, owner -> "ReplicaSet".equals(owner.getKind())
                        ? Optional.ofNullable(replicaSets.get(owner.getName())).map(PodRows::workloadOfReplicaSet) : Optional.empty()),
                p.getStatus() == null || p.getStatus().getPodIP() == null ? "<none>" : p.getStatus().getPodIP()))
                .sorted(PROBLEMS_FIRST).toList();
    }

    /** Problem pods first, each group by name. */
    public static List<Line> problemsFirst(List<Line> lines) {
        return lines.stream().sorted(PROBLEMS_FIRST).toList();
    }

    public static String render(List<Line> lines, Instant now) {
        String[] header = {"NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "WORKLOAD", "REASON"};
        List<String[]> cells = lines.stream().map(l -> {
            PodRow r = l.row();
            String restarts = r.restarts() + r.lastRestart().map(t -> " (" + age(Duration.between(t, now)) + " ago)").orElse("");
            return new String[] {r.name(), r.readyText(), r.status(), restarts, age(Duration.between(r.created(), now)), l.ip(),
                r.node().isEmpty() ? "<none>" : r.node(), r.workload().kubectlName(), oneLine(r.reason())};
        }).toList();
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] c : cells) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, header, width);
        cells.forEach(c -> appendRow(out, c, width));
        return out.toString();
    }

    private static void appendRow(StringBuilder out, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            if (i < cells.length - 1) {
                line.append(" ".repeat(width[i] - cells[i].length() + 3));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static String oneLine(String text) {
        String line = text.replace('\n', ' ');
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }

    /** An age as kubectl prints it: {@code 45s}, {@code 3m12s}, {@code 47m}, {@code 5h10m}, {@code 20h}, {@code 3d4h}, {@code 40d}. */
    public static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 8) {
            return m % 60 == 0 ? h + "h" : h + "h" + (m % 60) + "m";
        }
        if (h < 48) {
            return h + "h";
        }
        if (h < 24 * 8) {
            return h % 24 == 0 ? (h / 24) + "d" : (h / 24) + "d" + (h % 24) + "h";
        }
        if (h < 24 * 365 * 2) {
            return (h / 24) + "d";
        }
        return (h / 24 / 365) + "y";
    }
}
