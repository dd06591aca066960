package fleet.console.diagnosis;

/** Reads what the NATS server holds now; never throws, a failure is said in the facts. */
@FunctionalInterface
public interface NatsSource {

    NatsFacts read();

    /** No NATS to ask (the NATS rules stay silent), with the reason. */
    static NatsSource none(String why) {
        return () -> NatsFacts.unavailable(why, java.time.Instant.now());
    }
}
