package fleet.console.image;

import fleet.console.profile.BuildSpec;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What to build: a service's spec, from a checkout of its repository, as {@code repository:tag}.
 * Immutable; the {@code with...} methods give changed copies.
 *
 * @param service            the service's name, for messages and the audit journal
 * @param spec               the build spec (from the profile, or imported from a Dockerfile)
 * @param sourceRoot         the checkout the layers' {@code from} paths are relative to
 * @param repository         host/path the image goes to (the service's {@code image})
 * @param tag                the tag to push
 * @param push               false builds into a tarball instead
 * @param tarball            where the tarball goes when not pushing; a temporary file, deleted, when empty
 * @param liveTag            the tag the cluster runs now, when known: it is never overwritten unconfirmed
 * @param overwriteConfirmed the operator confirmed replacing a tag that is live or already in the registry
 */
public record BuildRequest(String service, BuildSpec spec, Path sourceRoot, String repository, String tag, boolean push,
                           Optional<Path> tarball, Optional<String> liveTag, boolean overwriteConfirmed) {

    public BuildRequest {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(sourceRoot, "sourceRoot");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(tarball, "tarball");
        Objects.requireNonNull(liveTag, "liveTag");
    }

    /** A push of {@code repository:tag}, nothing known of what is live, no overwrite confirmed. */
    public static BuildRequest push(String service, BuildSpec spec, Path sourceRoot, String repository, String tag) {
        return new BuildRequest(service, spec, sourceRoot, repository, tag, true, Optional.empty(), Optional.empty(), false);
    }

    /** The same build into a tarball (or a throwaway one) instead of the registry. */
    public BuildRequest withoutPush(Optional<Path> tarballFile) {
        return new BuildRequest(service, spec, sourceRoot, repository, tag, false, tarballFile, liveTag, overwriteConfirmed);
    }

    public BuildRequest withLiveTag(String live) {
        return new BuildRequest(service, spec, sourceRoot, repository, tag, push, tarball, Optional.of(live), overwriteConfirmed);
    }

    public BuildRequest withOverwriteConfirmed(boolean confirmed) {
        return new BuildRequest(service, spec, sourceRoot, repository, tag, push, tarball, liveTag, confirmed);
    }

    public BuildRequest withTag(String value) {
        return new BuildRequest(service, spec, sourceRoot, repository, value, push, tarball, liveTag, overwriteConfirmed);
    }

    /** {@code repository:tag}. */
    public String image() {
        return repository + ":" + tag;
    }
}
