package fleet.console.profile;

import java.util.Objects;

/**
 * One reason a profile is refused.
 *
 * @param file    the file that provided the offending text (the built-in defaults have a name too)
 * @param line    1-based line, 0 when the problem concerns the whole file
 * @param column  1-based column, 0 when unknown
 * @param message what is wrong and what to do about it
 */
public record ProfileProblem(String file, int line, int column, String message) {

    public ProfileProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line: message}, the form terminals and editors turn into a jump to the line. */
    public String render() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
