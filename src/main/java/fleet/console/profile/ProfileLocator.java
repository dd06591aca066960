package fleet.console.profile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides which profile file applies: the one given on the command line, else the user's file in
 * the XDG config directory when it exists, else none (the built-in defaults). Environment, home
 * and the existence check are given, so the decision can be tested without touching the machine.
 */
public final class ProfileLocator {

    /** The command-line option that names a profile file explicitly. */
    public static final String OPTION = "--profile";

    private static final Path RELATIVE = Path.of("fleet-console", "profile.yaml");

    private final Map<String, String> environment;
    private final Path home;
    private final Predicate<Path> exists;

    public ProfileLocator(Map<String, String> environment, Path home, Predicate<Path> exists) {
        this.environment = Map.copyOf(environment);
        this.home = Objects.requireNonNull(home, "home");
        this.exists = Objects.requireNonNull(exists, "exists");
    }

    /** The locator for the user running the console. */
    public static ProfileLocator forCurrentUser() {
        return new ProfileLocator(System.getenv(), Path.of(System.getProperty("user.home")), Files::exists);
    }

    /** Where the user's own profile is looked for when none is given on the command line. */
    public Path userFile() {
        String xdg = environment.getOrDefault("XDG_CONFIG_HOME", "");
        // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
        if (!xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg).resolve(RELATIVE);
        }
        return home.resolve(".config").resolve(RELATIVE);
    }

    /**
     * The profile to use. An explicit file is chosen even when it does not exist, so that loading
     * it refuses with its path instead of silently falling back to the defaults.
     */
    public ProfileChoice choose(Optional<Path> explicitFile) {
        if (explicitFile.isPresent()) {
            return new ProfileChoice(explicitFile, "given with " + OPTION);
        }
        Path userFile = userFile();
        if (exists.test(userFile)) {
            return new ProfileChoice(Optional.of(userFile), "found at " + userFile);
        }
        return new ProfileChoice(Optional.empty(), "no " + userFile + ", so the built-in defaults");
    }
}
