package fleet.console.cluster;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Label selectors evaluated as the API server does: every matchLabels pair AND every matchExpression.
 * The fleet's own scripts guessed {@code app=<name>} and missed the monitoring pods; the console always
 * goes through a workload's selector.
 */
public final class LabelSelectors {

    private LabelSelectors() {
    }

    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> have = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(have.get(e.getKey()))) {
                    return false;
                }
            }
        }
        for (LabelSelectorRequirement r : Optional.ofNullable(selector.getMatchExpressions()).orElse(List.of())) {
            String value = have.get(r.getKey());
            List<String> values = r.getValues() == null ? List.of() : r.getValues();
            boolean ok = switch (r.getOperator()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> have.containsKey(r.getKey());
                case "DoesNotExist" -> !have.containsKey(r.getKey());
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The selector in kubectl's {@code -l} syntax, for the equivalent command an operator can copy. */
    public static String toKubectl(LabelSelector selector) {
        StringBuilder out = new StringBuilder();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> out.append(out.length() == 0 ? "" : ",").append(k).append('=').append(v));
        }
        for (LabelSelectorRequirement r : Optional.ofNullable(selector.getMatchExpressions()).orElse(List.of())) {
            out.append(out.length() == 0 ? "" : ",");
            switch (r.getOperator()) {
                case "In" -> out.append(r.getKey()).append(" in (").append(String.join(",", r.getValues())).append(')');
                case "NotIn" -> out.append(r.getKey()).append(" notin (").append(String.join(",", r.getValues())).append(')');
                case "Exists" -> out.append(r.getKey());
                case "DoesNotExist" -> out.append('!').append(r.getKey());
                default -> out.append(r.getKey());
            }
        }
        return out.toString();
    }
}
