package fleet.console.ui.common;

import javafx.scene.input.KeyCombination;

/**
 * A key an area's view handles itself (no menu carries it): the view matches key events against
 * {@link #keys()} and publishes the same objects, so the help overlay lists exactly what the keys do.
 *
 * @param keys   what to press, as the view matches it
 * @param action what it does, in a few words
 */
public record AreaKey(KeyCombination keys, String action) {

    /** How the help overlay writes the keys ("Ctrl+G", "F3", "Space"). */
    public String display() {
        return keys.getDisplayText();
    }
}
