package fleet.console.diagnosis;

/**
 * A subscription of a service that a test message can prove: publish on {@code subject}, see whether
 * {@code durable} takes it.
 */
public record NatsPath(String service, String durable, String subject) {
}
