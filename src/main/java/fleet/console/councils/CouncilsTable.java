package fleet.console.councils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The councils as text, one row per role and replica, for the command line: what {@code kubectl exec} into
 * each pod and a grpcurl per replica would have told, side by side, with the disagreements spelt out.
 */
public final class CouncilsTable {

    private CouncilsTable() {
    }

    public static String render(CouncilsSnapshot snapshot, CouncilConfiguration config, boolean withAgents) {
        StringBuilder out = new StringBuilder();
        out.append("Orchestrator replicas (each holds its own councils in memory):\n");
        if (snapshot.replicas().isEmpty()) {
            out.append("  none running\n");
        }
        int podWidth = Math.max(8, snapshot.replicas().stream().mapToInt(r -> r.replica().pod().length()).max().orElse(0));
        for (ReplicaCouncils r : snapshot.replicas()) {
            out.append(r.answered() ? "\u2713 " : "\u2717 ").append(pad(r.replica().pod(), podWidth)).append("  ");
            if (r.answered()) {
                ReplicaStatus s = r.status().orElseThrow();
                out.append(s.status()).append(", up ").append(uptime(s.uptime())).append(", ").append(r.councils().size())
                        .append(r.councils().size() == 1 ? " council" : " councils");
            } else {
                out.append(r.problem().orElse(""));
            }
            out.append('\n');
        }
        out.append('\n');
        List<ReplicaCouncils> answering = snapshot.answering();
        if (answering.isEmpty()) {
            out.append("No replica answered, so no council can be shown.\n");
        } else if (snapshot.councilCount() == 0) {
            out.append("No councils on any replica. 'fleet-console councils init' creates ")
                    .append(String.join(", ", config.roles())).append(" with ").append(config.agentsPerCouncil())
                    .append(" agents each on every replica.\n");
        } else {
            table(out, snapshot, withAgents, podWidth);
        }
        List<Disagreement> disagreements = snapshot.disagreements();
        if (!disagreements.isEmpty()) {
            out.append('\n');
            disagreements.forEach(d -> out.append("\u26A0 ").append(d.text()).append('\n'));
        }
        out.append('\n').append(configuration(config));
        return out.toString();
    }

    private static void table(StringBuilder out, CouncilsSnapshot snapshot, boolean withAgents, int podWidth) {
        Set<String> disputed = snapshot.disagreements().stream().map(Disagreement::role).collect(Collectors.toSet());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "ROLE", "REPLICA", "COUNCIL", "AGENTS", "MODEL", "STATUS"});
        List<List<String>> agentLines = new ArrayList<>();
        agentLines.add(List.of());
        for (String role : snapshot.roles()) {
            if (snapshot.answering().stream().noneMatch(r -> r.council(role).isPresent())) {
                rows.add(new String[] {"", role, "(every replica)", "-", "-", "-", "missing"});
                agentLines.add(List.of());
                continue;
            }
            for (ReplicaCouncils r : snapshot.answering()) {
                String mark = disputed.contains(role) ? "\u26A0" : "";
                var council = r.council(role);
                if (council.isEmpty()) {
                    rows.add(new String[] {mark, role, r.replica().pod(), "-", "-", "-", "missing"});
                    agentLines.add(List.of());
                    continue;
                }
                Council c = council.get();
                rows.add(new String[] {mark, role, r.replica().pod(), c.id(), String.valueOf(c.agentCount()), c.model(), c.status()});
                agentLines.add(withAgents ? c.agents().stream().map(a -> "      " + a.id() + "  " + a.status()
                        + (a.capabilities().isEmpty() ? "" : "  " + String.join(", ", a.capabilities()))).toList() : List.of());
            }
        }
        int[] widths = new int[7];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        widths[2] = Math.max(widths[2], podWidth);
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                line.append(c == row.length - 1 ? row[c] : pad(row[c], widths[c]) + (c == 0 ? " " : "  "));
            }
            out.append(line.toString().stripTrailing()).append('\n');
            agentLines.get(i).forEach(a -> out.append(a).append('\n'));
        }
    }

    /** The configuration in force, each part with where it comes from. */
    public static String configuration(CouncilConfiguration config) {
        StringBuilder out = new StringBuilder("Configuration in force:\n");
        out.append("  roles:              ").append(String.join(", ", config.roles())).append(" (the profile)\n");
        out.append("  agents per council: ").append(config.agentsPerCouncil()).append(" (").append(config.agentsSource()).append(")\n");
        out.append("  model:              ").append(config.model()).append(config.vllmModel().isPresent()
                ? " (VLLM_MODEL of ConfigMap " + OrchestratorCouncils.SERVICE_URLS + ")" : " (the profile; the cluster names none)").append('\n');
        out.append("  vLLM:               ").append(config.vllmUrl().orElse("not set")).append(" (VLLM_URL of ConfigMap ")
                .append(OrchestratorCouncils.SERVICE_URLS).append(")\n");
        config.notes().forEach(n -> out.append("  note: ").append(n).append('\n'));
        return out.toString();
    }

    static String uptime(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, (s % 86_400) / 3600);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
