package fleet.console.diagnosis;

import java.util.Locale;

/**
 * An image reference taken apart as a registry reads it: {@code registry.underpassai.com/swe-ai-fleet/orchestrator:v3}
 * is host {@code registry.underpassai.com}, repository {@code swe-ai-fleet/orchestrator}, tag {@code v3}; a
 * bare {@code nats:2.10} is Docker Hub's {@code library/nats}.
 *
 * @param reference the tag, or the digest when {@code digest}
 */
public record ImageRef(String host, String repository, String reference, boolean digest) {

    public static ImageRef parse(String image) {
        String rest = image.trim();
        String host = "docker.io";
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                host = first.toLowerCase(Locale.ROOT);
                rest = rest.substring(slash + 1);
            }
        }
        String reference = "latest";
        boolean digest = false;
        int at = rest.indexOf('@');
        if (at >= 0) {
            reference = rest.substring(at + 1);
            rest = rest.substring(0, at);
            digest = true;
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                reference = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
        }
        if (host.equals("docker.io") && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        return new ImageRef(host, rest, reference, digest);
    }

    /** The repository's path without its last segment ({@code swe-ai-fleet}), where the fleet's two spellings differ. */
    public String path() {
        int slash = repository.lastIndexOf('/');
        return slash < 0 ? "" : repository.substring(0, slash);
    }

    /** The image's own name ({@code orchestrator}). */
    public String name() {
        return repository.substring(repository.lastIndexOf('/') + 1);
    }

    public String text() {
        return host + "/" + repository + (digest ? "@" : ":") + reference;
    }
}
