package fleet.console.sandbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Who the console is on the sandbox: its administrator, or a viewer bound to what Kubernetes' built-in
 * {@code view} role allows (get, list and watch everything but Secrets; logs; no exec, no port-forward,
 * no change). Each has its own token; the sandbox's API refuses a viewer's changes with 403 and answers
 * SelfSubjectAccessReviews for both, so RBAC awareness is tested against the API, not assumed.
 */
public enum SandboxUser {
    ADMIN("sandbox-admin", "sandbox-admin-token"),
    VIEWER("sandbox-viewer", "sandbox-viewer-token");

    private final String userName;
    private final String token;

    SandboxUser(String userName, String token) {
        this.userName = userName;
        this.token = token;
    }

    /** The name the API's messages use ({@code User "sandbox-viewer" cannot ...}). */
    public String userName() {
        return userName;
    }

    public String token() {
        return token;
    }

    /** {@code admin} or {@code viewer}, as {@code --user} takes it. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SandboxUser> byCliName(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(u -> u.cliName().equals(wanted)).findFirst();
    }

    /** The user a bearer token belongs to; a token the sandbox does not know is its administrator's. */
    public static SandboxUser byToken(String token) {
        return VIEWER.token.equals(token) ? VIEWER : ADMIN;
    }
}
