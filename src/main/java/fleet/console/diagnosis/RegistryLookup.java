package fleet.console.diagnosis;

import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks an image's registry whether its tag exists, through the registry HTTP API v2 (what the runbook's
 * {@code curl -k https://registry.../v2/<name>/tags/list} does): the manifest first, then the tag list to
 * say which tags there are. Unreachable registries and ones that want credentials are said as such.
 */
public interface RegistryLookup {

    TagCheck check(ImageRef image);

    /** Does not ask any registry. */
    static RegistryLookup none() {
        return image -> TagCheck.notChecked(image, "the registry was not asked");
    }

    /**
     * @param endpoints where to reach a registry host when it is not {@code https://HOST} (a mirror, a
     *                  plain-HTTP lab registry); Docker Hub is {@code registry-1.docker.io}
     */
    static RegistryLookup http(Map<String, URI> endpoints, Duration timeout) {
        return new Http(endpoints, timeout);
    }

    /** The v2 API over java.net.http. */
    final class Http implements RegistryLookup {

        private static final String ACCEPT = String.join(", ", "application/vnd.oci.image.index.v1+json",
                "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.docker.distribution.manifest.v2+json",
                "application/vnd.oci.image.manifest.v1+json");

        private final Map<String, URI> endpoints;
        private final Duration timeout;
        private final HttpClient http;

        Http(Map<String, URI> endpoints, Duration timeout) {
            this.endpoints = Map.copyOf(endpoints);
            this.timeout = timeout;
            this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }

        URI base(String host) {
            URI known = endpoints.get(host);
            if (known != null) {
                return known;
            }
            if (host.equals("docker.io")) {
                return URI.create("https://registry-1.docker.io");
            }
            boolean loopback = host.startsWith("127.") || host.startsWith("localhost");
            return URI.create((loopback ? "http://" : "https://") + host);
        }

        @Override
        public TagCheck check(ImageRef image) {
            String base = base(image.host()).toString().replaceAll("/+$", "");
            String manifest = base + "/v2/" + image.repository() + "/manifests/" + image.reference();
            String tagsUrl = base + "/v2/" + image.repository() + "/tags/list";
            try {
                HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(manifest)).timeout(timeout)
                        .header("Accept", ACCEPT).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (head.statusCode() == 200) {
                    return new TagCheck(image, TagCheck.Status.FOUND, List.of(image.reference()), manifest, "the registry has it");
                }
                if (head.statusCode() == 401 || head.statusCode() == 403) {
                    return new TagCheck(image, TagCheck.Status.UNAUTHORIZED, List.of(), manifest,
                            "the registry wants credentials (HTTP " + head.statusCode() + "), so the console could not check");
                }
                HttpResponse<String> tags = http.send(HttpRequest.newBuilder(URI.create(tagsUrl)).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (tags.statusCode() == 404) {
                    return new TagCheck(image, TagCheck.Status.REPOSITORY_MISSING, List.of(), tagsUrl,
                            "the registry has no repository " + image.repository());
                }
                if (tags.statusCode() == 401 || tags.statusCode() == 403) {
                    return new TagCheck(image, TagCheck.Status.UNAUTHORIZED, List.of(), tagsUrl,
                            "the registry wants credentials (HTTP " + tags.statusCode() + "), so the console could not check");
                }
                if (tags.statusCode() != 200) {
                    return new TagCheck(image, TagCheck.Status.UNREACHABLE, List.of(), tagsUrl, "the registry answered HTTP " + tags.statusCode());
                }
                List<String> names = new ArrayList<>();
                Object list = Serialization.unmarshal(tags.body(), Map.class).get("tags");
                if (list instanceof List<?> l) {
                    l.forEach(t -> names.add(String.valueOf(t)));
                }
                if (names.contains(image.reference())) {
                    return new TagCheck(image, TagCheck.Status.FOUND, names, tagsUrl, "the registry lists the tag");
                }
                return new TagCheck(image, TagCheck.Status.TAG_MISSING, names, tagsUrl,
                        "the registry has " + image.repository() + " but not the tag " + image.reference());
            } catch (IOException e) {
                return new TagCheck(image, TagCheck.Status.UNREACHABLE, List.of(), tagsUrl,
                        "the registry did not answer (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new TagCheck(image, TagCheck.Status.UNREACHABLE, List.of(), tagsUrl, "interrupted while asking the registry");
            } catch (IllegalArgumentException e) {
                return TagCheck.notChecked(image, "not a registry address: " + e.getMessage());
            }
        }
    }
}
