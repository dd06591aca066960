package fleet.console.profile;

import java.util.List;
import java.util.stream.Collectors;

/** A profile was refused; every problem found is listed, not only the first. */
public final class ProfileException extends Exception {

    private final List<ProfileProblem> problems;

    public ProfileException(List<ProfileProblem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ProfileProblem> problems() {
        return problems;
    }

    private static String render(List<ProfileProblem> problems) {
        return problems.stream().map(ProfileProblem::render).collect(Collectors.joining("\n"));
    }
}
