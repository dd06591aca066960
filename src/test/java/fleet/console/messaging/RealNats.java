package fleet.console.messaging;

import fleet.console.sandbox.nats.NatsServerProcess;
import org.junit.jupiter.api.Assumptions;

/** A real nats-server for the messaging tests, or the test is skipped saying how to install one. */
final class RealNats {

    private RealNats() {
    }

    static NatsServerProcess start() {
        Assumptions.assumeTrue(NatsServerProcess.findBinary().isPresent(),
                "nats-server is not installed: sudo apt-get install -y nats-server (scripts/test installs it)");
        NatsServerProcess server = new NatsServerProcess();
        server.start();
        return server;
    }
}
