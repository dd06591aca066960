package fleet.console.messaging;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A natscli context ({@code ~/.config/nats/context/NAME.json}): how an operator already reaches a NATS
 * server. Secrets (password, token) are kept for connecting and never shown or logged.
 */
public record NatsContext(String name, String url, Optional<Path> creds, Optional<Path> nkey, Optional<Path> cert,
                          Optional<Path> key, Optional<Path> ca, Optional<String> user, Optional<String> password,
                          Optional<String> token, String description) {

    @Override
    public String toString() {
        return "NatsContext[" + name + " " + url + (user.isPresent() ? " user " + user.get() : "")
                + (password.isPresent() ? " password ****" : "") + (token.isPresent() ? " token ****" : "")
                + creds.map(p -> " creds " + p).orElse("") + "]";
    }
}
