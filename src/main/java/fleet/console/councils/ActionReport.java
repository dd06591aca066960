package fleet.console.councils;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What an action did, per replica and role, in the order it was done. */
public record ActionReport(String action, List<RoleOutcome> outcomes) {

    public ActionReport {
        outcomes = List.copyOf(outcomes);
    }

    public boolean ok() {
        return outcomes.stream().allMatch(o -> o.result().success());
    }

    public long count(RoleOutcome.Result result) {
        return outcomes.stream().filter(o -> o.result() == result).count();
    }

    /** One line per replica: {@code orchestrator-abc: created DEV, QA; already existed ARCHITECT}. */
    public List<String> summaryByReplica() {
        Map<String, List<RoleOutcome>> byReplica = new LinkedHashMap<>();
        outcomes.forEach(o -> byReplica.computeIfAbsent(o.replica(), k -> new java.util.ArrayList<>()).add(o));
        return byReplica.entrySet().stream().map(e -> e.getKey() + ": " + summary(e.getValue())).toList();
    }

    static String summary(List<RoleOutcome> outcomes) {
        Map<RoleOutcome.Result, List<String>> byResult = new LinkedHashMap<>();
        outcomes.forEach(o -> byResult.computeIfAbsent(o.result(), k -> new java.util.ArrayList<>()).add(o.role()));
        return byResult.entrySet().stream().map(e -> e.getKey().words() + " " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
    }
}
