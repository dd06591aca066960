package fleet.console.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The built-in defaults as text, to find on which line something is declared. */
final class DefaultsText {

    private DefaultsText() {
    }

    static List<String> lines() {
        try (InputStream in = FleetProfile.class.getResourceAsStream(FleetProfile.DEFAULTS_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-based line of the first occurrence of a text. */
    static int lineOf(String text) {
        List<String> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " is not in the defaults");
    }
}
