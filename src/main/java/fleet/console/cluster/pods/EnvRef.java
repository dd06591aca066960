package fleet.console.cluster.pods;

/**
 * One environment variable of a container as the detail shows it. A value from a Secret is named
 * ({@code secret neo4j-auth / NEO4J_PASSWORD}), never shown: {@code value} is empty then.
 *
 * @param source {@code value}, {@code configmap NAME / KEY}, {@code secret NAME / KEY}, {@code field PATH},
 *               {@code resource NAME}, or for envFrom {@code all of configmap NAME} / {@code all of secret NAME}
 */
public record EnvRef(String name, String source, String value, boolean secret) {
}
