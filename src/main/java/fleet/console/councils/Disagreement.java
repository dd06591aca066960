package fleet.console.councils;

/**
 * Where the replicas do not hold the same council for a role: present on some and missing on others, or
 * held with different agent counts or models. Requests are balanced across replicas, so a deliberation
 * for that role fails or differs depending on which pod takes it.
 */
public record Disagreement(String role, Kind kind, String text) {

    public enum Kind { MISSING, DIFFERENT }
}
