package fleet.console.councils;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The councils as every orchestrator replica reported them at one moment, side by side. The orchestrator
 * keeps councils in each process's memory while requests are balanced across replicas, so one answer is
 * not the truth: the differences between replicas are what this is for.
 *
 * @param profileRoles the roles the fleet should have councils for, in the profile's order
 */
public record CouncilsSnapshot(List<ReplicaCouncils> replicas, List<String> profileRoles, Instant readAt) {

    public CouncilsSnapshot {
        replicas = List.copyOf(replicas);
        profileRoles = List.copyOf(profileRoles);
    }

    /** The profile's roles first, then any other role a replica holds. */
    public List<String> roles() {
        Set<String> roles = new LinkedHashSet<>(profileRoles);
        Set<String> others = new TreeSet<>();
        replicas.forEach(r -> r.councils().forEach(c -> others.add(c.role())));
        roles.addAll(others);
        return List.copyOf(roles);
    }

    public List<ReplicaCouncils> answering() {
        return replicas.stream().filter(ReplicaCouncils::answered).toList();
    }

    public Optional<ReplicaCouncils> replica(String pod) {
        return replicas.stream().filter(r -> r.replica().pod().equals(pod)).findFirst();
    }

    /** Councils summed over replicas. */
    public int councilCount() {
        return replicas.stream().mapToInt(r -> r.councils().size()).sum();
    }

    /** Roles on some answering replicas and not others, or held differently; replicas that did not answer are not judged. */
    public List<Disagreement> disagreements() {
        List<Disagreement> out = new ArrayList<>();
        List<ReplicaCouncils> answering = answering();
        for (String role : roles()) {
            List<String> present = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (ReplicaCouncils r : answering) {
                (r.council(role).isPresent() ? present : missing).add(r.replica().pod());
            }
            if (!present.isEmpty() && !missing.isEmpty()) {
                out.add(new Disagreement(role, Disagreement.Kind.MISSING, role + " exists on " + String.join(", ", present)
                        + ", missing on " + String.join(", ", missing)));
                continue;
            }
            different(role, answering, "agents", c -> String.valueOf(c.agentCount())).ifPresent(out::add);
            different(role, answering, "model", Council::model).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<Disagreement> different(String role, List<ReplicaCouncils> replicas, String what,
                                                    java.util.function.Function<Council, String> value) {
        Set<String> values = new LinkedHashSet<>();
        List<String> parts = new ArrayList<>();
        for (ReplicaCouncils r : replicas) {
            Optional<Council> c = r.council(role);
            if (c.isPresent()) {
                values.add(value.apply(c.get()));
                parts.add(value.apply(c.get()) + " on " + r.replica().pod());
            }
        }
        return values.size() > 1 ? Optional.of(new Disagreement(role, Disagreement.Kind.DIFFERENT,
                role + " has " + what + " " + String.join(", ", parts))) : Optional.empty();
    }

    /** Profile roles that no answering replica holds. */
    public List<String> missingEverywhere() {
        return profileRoles.stream().filter(role -> answering().stream().noneMatch(r -> r.council(role).isPresent())).toList();
    }

    /** Whether the replica answered and holds a council for every profile role. */
    public boolean holdsAll(String pod) {
        return replica(pod).filter(ReplicaCouncils::answered)
                .map(r -> profileRoles.stream().allMatch(role -> r.council(role).isPresent())).orElse(false);
    }

    /** Whether the replica answered and holds no council of a profile role. */
    public boolean holdsNone(String pod) {
        return replica(pod).filter(ReplicaCouncils::answered)
                .map(r -> profileRoles.stream().noneMatch(role -> r.council(role).isPresent())).orElse(false);
    }

    /** Every replica answered, holds every profile role, and they agree. */
    public boolean complete() {
        return !replicas.isEmpty() && replicas.stream().allMatch(r -> holdsAll(r.replica().pod())) && disagreements().isEmpty();
    }
}
