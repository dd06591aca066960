package fleet.console.ui.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods and containers whose lines one view shows, each with a stable index (its prefix colour) in
 * the order they were first seen. Safe from any thread: the streams of a workload's pods write
 * concurrently.
 */
public final class LogSources {

    /** Prefix colours cycle through this many tokens of theme.css ({@code -fc-pod-0..7}). */
    public static final int COLOURS = 8;

    private final Map<String, Map<String, Integer>> byPod = new HashMap<>();
    private final List<String> prefixes = new ArrayList<>();
    private volatile int count;

    public synchronized int indexOf(String pod, String container) {
        Map<String, Integer> containers = byPod.computeIfAbsent(pod == null ? "" : pod, p -> new HashMap<>());
        Integer known = containers.get(container == null ? "" : container);
        if (known != null) {
            return known;
        }
        int index = prefixes.size();
        containers.put(container == null ? "" : container, index);
        prefixes.add(pod == null ? "" : pod);
        count = prefixes.size();
        return index;
    }

    /** How many sources have been seen; a prefix is shown once there is more than one. */
    public int count() {
        return count;
    }

    public synchronized String pod(int source) {
        return prefixes.get(source);
    }

    /** The style class that colours this source's prefix. */
    public static String colourClass(int source) {
        return "log-source-" + Math.floorMod(source, COLOURS);
    }
}
