package fleet.console.image;

import java.util.Objects;

/**
 * A build or push that did not happen, or did not finish, with its cause named and what to do
 * about it. The message never holds a password or token.
 */
public final class ImageBuildException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, as an operator would act on it. */
    public enum Problem {
        /** An image reference or tag a registry would refuse. */
        INVALID_REFERENCE(true),
        /** A layer's folder or file is not in the source tree. */
        SOURCE_MISSING(true),
        /** A layer's sources hold no file once excludes are applied. */
        LAYER_EMPTY(true),
        /** An auth file or a credential helper could not be read. */
        CREDENTIALS_UNREADABLE(true),
        /** The registry did not answer (host, network, port). */
        REGISTRY_UNREACHABLE(true),
        /** The registry speaks plain HTTP or has a certificate nobody vouches for, and the profile does not allow it. */
        REGISTRY_INSECURE(true),
        /** The registry asks for a login and no auth file or helper has one for it. */
        LOGIN_MISSING(true),
        /** The registry refused the login found. */
        LOGIN_REFUSED(true),
        /** The base image (or its tag) is not in its registry. */
        BASE_IMAGE_MISSING(true),
        /** The tag is the one deployed, or already in the registry, and overwriting was not confirmed. */
        TAG_TAKEN(true),
        /** A Dockerfile holds instructions Jib cannot carry out. */
        DOCKERFILE_UNSUPPORTED(true),
        /** The build or the push failed part way. */
        PUSH_FAILED(false),
        /** The registry does not resolve the tag to the digest just pushed. */
        VERIFY_FAILED(false),
        /** The operator cancelled. */
        CANCELLED(false);

        private final boolean badInput;

        Problem(boolean badInput) {
            this.badInput = badInput;
        }

        /** Whether nothing was attempted because of what was asked or where (the command line's exit code 2). */
        public boolean badInput() {
            return badInput;
        }
    }

    private final Problem problem;

    public ImageBuildException(Problem problem, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public ImageBuildException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public Problem problem() {
        return problem;
    }
}
