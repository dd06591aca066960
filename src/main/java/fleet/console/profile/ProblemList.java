package fleet.console.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects problems so that one refusal lists all of them, ordered by file and line. */
final class ProblemList {

    private final List<ProfileProblem> problems = new ArrayList<>();

    void add(Position at, String message) {
        problems.add(new ProfileProblem(at.file(), at.line(), at.column(), message));
    }

    void add(ProfileProblem problem) {
        problems.add(problem);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    int size() {
        return problems.size();
    }

    void throwIfAny() throws ProfileException {
        if (problems.isEmpty()) {
            return;
        }
        Map<String, Integer> fileOrder = new LinkedHashMap<>();
        problems.forEach(p -> fileOrder.putIfAbsent(p.file(), fileOrder.size()));
        List<ProfileProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.<ProfileProblem>comparingInt(p -> fileOrder.get(p.file()))
                .thenComparingInt(ProfileProblem::line)
                .thenComparingInt(ProfileProblem::column));
        throw new ProfileException(sorted);
    }
}
