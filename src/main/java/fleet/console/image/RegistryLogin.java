package fleet.console.image;

import java.util.Objects;

/**
 * A login for a registry, as {@code podman login} or {@code docker login} stored it. The secret is
 * handed to the registry and nowhere else: {@link #toString()} hides it, and no message of the
 * console includes it.
 *
 * @param username the user, or {@code <token>} when the secret is an identity (refresh) token
 * @param secret   the password or token
 * @param source   where it was found, for messages: a file, or a credential helper and its file
 */
public record RegistryLogin(String username, String secret, String source) {

    /** The user name Docker's credential helpers and auth files give to an identity token. */
    public static final String TOKEN_USER = "<token>";

    public RegistryLogin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(source, "source");
    }

    public boolean identityToken() {
        return TOKEN_USER.equals(username);
    }

    @Override
    public String toString() {
        return "RegistryLogin[username=" + username + ", secret=(hidden), source=" + source + "]";
    }
}
