package fleet.console.profile;

import java.util.Objects;

/**
 * The registry images built by the console are pushed to.
 *
 * @param host     host with optional port, without scheme
 * @param path     repository path under the host; may be empty
 * @param insecure whether plain HTTP or an unverified certificate is acceptable
 */
public record RegistrySpec(String host, String path, boolean insecure) {

    public RegistrySpec {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
    }

    /** The repository a service's image goes to when the console builds it: host/path/service. */
    public String repositoryFor(String service) {
        return prefix() + service;
    }

    /**
     * Whether a repository lives under this registry's host and path. The fleet's manifests
     * pull from {@code .../swe-fleet/...} while its build scripts push to
     * {@code .../swe-ai-fleet/...}; this is how such a mismatch is recognised.
     */
    public boolean holds(String repository) {
        return repository.startsWith(prefix());
    }

    private String prefix() {
        return path.isEmpty() ? host + "/" : host + "/" + path + "/";
    }
}
