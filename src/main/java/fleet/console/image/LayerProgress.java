package fleet.console.image;

import java.util.Objects;

/**
 * One layer of a build as it stands.
 *
 * @param name      the spec's layer name, or {@code base sha256:0123abcd} for a base image's layer
 * @param base      whether it comes from the base image
 * @param digest    its digest once known, else empty
 * @param size      its compressed size in bytes once known, else 0
 * @param bytesSent bytes uploaded so far (0 unless it is or was uploading)
 * @param state     where it stands
 */
public record LayerProgress(String name, boolean base, String digest, long size, long bytesSent, LayerState state) {

    public LayerProgress {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(state, "state");
    }
}
