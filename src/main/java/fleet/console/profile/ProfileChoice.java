package fleet.console.profile;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which profile file the console uses and why, so the operator can be told where a setting
 * came from.
 *
 * @param file   the user's file, or empty for the built-in defaults alone
 * @param reason how the file was chosen, in an operator's words
 */
public record ProfileChoice(Optional<Path> file, String reason) {

    public ProfileChoice {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }

    public FleetProfile load() throws ProfileException {
        return file.isPresent() ? FleetProfile.load(file.get()) : FleetProfile.defaults();
    }
}
