package fleet.console.sandbox.nats;

/** The sandbox cannot run NATS because there is no nats-server binary to start. */
public final class NatsUnavailable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final String HOW_TO_INSTALL = "Install it with `sudo apt-get install -y nats-server` on Debian/Ubuntu,"
            + " or download a release from https://github.com/nats-io/nats-server/releases and put nats-server"
            + " on the PATH.";

    NatsUnavailable(String why) {
        super("NATS is unavailable: " + why + ". " + HOW_TO_INSTALL);
    }
}
