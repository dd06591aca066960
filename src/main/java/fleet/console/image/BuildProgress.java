package fleet.console.image;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A build as it stands, sent to the listener a few times a second at most (and once more when it
 * ends), so that a screen or a terminal can show it without being flooded by Jib's events.
 *
 * @param stage       what the build is doing
 * @param layers      the base image's layers (as Jib meets them), then the spec's layers in order
 * @param bytesPushed bytes uploaded so far, layers and image configuration together
 * @param at          when this was true
 */
public record BuildProgress(Stage stage, List<LayerProgress> layers, long bytesPushed, Instant at) {

    /** The steps of a build, in order. */
    public enum Stage {
        /** Reading the source tree into layers. */
        PREPARING,
        /** Asking the registries: reachable, login accepted, base present, tag free. */
        CHECKING,
        /** Jib is packing layers and sending what the registry lacks. */
        BUILDING,
        /** Asking the registry which digest the tag now resolves to. */
        VERIFYING,
        /** Finished, pushed and verified or built. */
        DONE
    }

    public BuildProgress {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(at, "at");
        layers = List.copyOf(layers);
    }
}
