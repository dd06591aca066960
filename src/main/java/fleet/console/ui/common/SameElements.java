package fleet.console.ui.common;

import java.util.List;

/**
 * Whether two lists hold the very same objects in the same order. Setting a JavaFX list to what it
 * already holds still fires a change, and a node list set again detaches and restyles its nodes: the
 * callers check this first and leave the list alone.
 */
public final class SameElements {

    private SameElements() {
    }

    public static <T> boolean in(List<? extends T> a, List<? extends T> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
