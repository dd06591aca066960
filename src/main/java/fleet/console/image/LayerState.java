package fleet.console.image;

/** Where one layer of a build stands. */
public enum LayerState {
    /** Not started yet. */
    WAITING,
    /** Its files are being packed (tar, gzip) to learn its digest. */
    BUILDING,
    /** Packed; its digest is known. */
    BUILT,
    /** Asking the registry whether it already has the layer. */
    CHECKING,
    /** A base layer being downloaded (the base lives in another registry). */
    PULLING,
    /** Bytes are going to the registry. */
    UPLOADING,
    /** Uploaded: these bytes went over the wire. */
    PUSHED,
    /** The registry had it already (an earlier build or the base image): nothing sent. */
    IN_REGISTRY,
    /** Linked from the base image's repository in the same registry: nothing sent. */
    MOUNTED;

    /** Whether the layer is settled for this build. */
    public boolean done() {
        return this == PUSHED || this == IN_REGISTRY || this == MOUNTED;
    }

    /** How an operator reads it in a progress line. */
    public String words() {
        return switch (this) {
            case WAITING -> "waiting";
            case BUILDING -> "packing";
            case BUILT -> "packed";
            case CHECKING -> "checking";
            case PULLING -> "pulling base";
            case UPLOADING -> "uploading";
            case PUSHED -> "pushed";
            case IN_REGISTRY -> "already in registry";
            case MOUNTED -> "mounted from base";
        };
    }
}
