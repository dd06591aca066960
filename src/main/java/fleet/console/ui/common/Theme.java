package fleet.console.ui.common;

import java.util.Locale;
import java.util.Optional;

/** The two palettes of styles/theme.css; the dark one is selected by a style class on the scene root. */
public enum Theme {
    LIGHT,
    DARK;

    public Theme other() {
        return this == LIGHT ? DARK : LIGHT;
    }

    /** The word kept in the settings file. */
    public String settingsName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Theme> fromSettingsName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Theme t : values()) {
            if (t.settingsName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
