package fleet.console.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished build: what the redeploy then sets (the tag, pinned by its digest), and what it cost.
 *
 * @param repository  host/path of the image
 * @param tag         the tag pushed (or given to the tarball)
 * @param digest      the image manifest's digest, {@code sha256:...}
 * @param imageId     the digest of the image configuration
 * @param pushed      whether it went to the registry (false with {@code --no-push})
 * @param verified    whether the registry, asked after the push, resolves the tag to {@code digest}
 * @param layers      every layer with its final state
 * @param bytesPushed bytes uploaded: layers and the image configuration
 * @param took        wall time of the whole build, checks and verification included
 * @param tarball     where the image was written instead of pushed
 */
public record BuildResult(String repository, String tag, String digest, String imageId, boolean pushed,
                          boolean verified, List<LayerProgress> layers, long bytesPushed, Duration took,
                          Optional<Path> tarball) {

    public BuildResult {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(took, "took");
        Objects.requireNonNull(tarball, "tarball");
        layers = List.copyOf(layers);
    }

    /** {@code repository:tag}, what a Deployment names. */
    public String image() {
        return repository + ":" + tag;
    }

    /** {@code repository@digest}: the exact image, whatever the tag later points to. */
    public String pinned() {
        return repository + "@" + digest;
    }

    /** How many layers went over the wire. */
    public long layersPushed() {
        return layers.stream().filter(l -> l.state() == LayerState.PUSHED).count();
    }

    /** The spec's layers only (not the base image's). */
    public List<LayerProgress> serviceLayers() {
        return layers.stream().filter(l -> !l.base()).toList();
    }
}
