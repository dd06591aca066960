package fleet.console.sandbox.registry;

/** The sandbox cannot run its image registry because there is no docker-registry binary. */
public final class RegistryUnavailable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final String HOW_TO_INSTALL = "Install it with `sudo apt-get install -y docker-registry` on Debian/Ubuntu"
            + " (the CNCF distribution registry, 2.8).";

    RegistryUnavailable(String why) {
        super("The image registry is unavailable: " + why + ". " + HOW_TO_INSTALL);
    }
}
