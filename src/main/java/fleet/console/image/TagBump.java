package fleet.console.image;

import java.util.Locale;

/** Which part of a {@code vMAJOR.MINOR.PATCH} tag a release raises, as the runbook's versioning table says. */
public enum TagBump {
    /** A bug fix, no API change: v2.2.2 to v2.2.3. */
    PATCH,
    /** A compatible feature (a new RPC): v2.2.3 to v2.3.0. */
    MINOR,
    /** A breaking change (the src/ to core/ refactor): v2.3.0 to v3.0.0. */
    MAJOR;

    /** patch, minor or major, as written on the command line. */
    public static TagBump parse(String text) {
        for (TagBump bump : values()) {
            if (bump.name().equalsIgnoreCase(text.strip())) {
                return bump;
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not a bump: write patch (a fix), minor (a compatible"
                + " feature) or major (a breaking change)");
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
