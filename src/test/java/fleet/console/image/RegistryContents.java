package fleet.console.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads what a plain-HTTP test registry holds, the way a kubelet's pull would see it. */
final class RegistryContents {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    private final String host;

    RegistryContents(String host) {
        this.host = host;
    }

    JsonNode manifest(String repository, String reference) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repository
                        + "/manifests/" + reference)).header("Accept", RegistryApi.MANIFEST_TYPES).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("no manifest " + repository + ":" + reference + " (" + response.statusCode() + ")");
        }
        return JsonMapper.shared().readTree(response.body());
    }

    /** The image configuration (user, workdir, env, ports, cmd) of a tag. */
    JsonNode configuration(String repository, String reference) throws IOException, InterruptedException {
        String digest = manifest(repository, reference).path("config").path("digest").asString();
        return JsonMapper.shared().readTree(new String(blob(repository, digest), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The paths in the last layer of a tag (the service's own files). */
    List<String> lastLayerPaths(String repository, String reference) throws IOException, InterruptedException {
        JsonNode layers = manifest(repository, reference).path("layers");
        String digest = layers.get(layers.size() - 1).path("digest").asString();
        return paths(blob(repository, digest));
    }

    int layerCount(String repository, String reference) throws IOException, InterruptedException {
        return manifest(repository, reference).path("layers").size();
    }

    byte[] blob(String repository, String digest) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repository
                + "/blobs/" + digest)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new AssertionError("no blob " + digest + " in " + repository + " (" + response.statusCode() + ")");
        }
        return response.body();
    }

    private static List<String> paths(byte[] gzippedTar) throws IOException {
        List<String> paths = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzippedTar));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                paths.add("/" + entry.getName().replaceFirst("^/", ""));
            }
        }
        return paths;
    }
}
