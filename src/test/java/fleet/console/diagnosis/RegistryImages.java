package fleet.console.diagnosis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pushes one-layer images to a registry the way any client does (blobs, then the manifest), for the registry checks. */
final class RegistryImages {

    private static final String MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RegistryImages() {
    }

    static void push(String host, String repository, String tag) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                + "\"config\":{\"Labels\":{\"tag\":\"" + tag + "\"}}}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer of " + repository + ":" + tag).getBytes(StandardCharsets.UTF_8);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\","
                + "\"config\":" + descriptor("application/vnd.docker.container.image.v1+json", blob(host, repository, config), config.length)
                + ",\"layers\":[" + descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", blob(host, repository, layer), layer.length)
                + "]}";
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", MANIFEST).PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
    }

    private static String blob(String host, String repository, byte[] content) throws Exception {
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        URI base = URI.create("http://" + host + "/v2/" + repository + "/blobs/uploads/");
        HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(base).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, started.statusCode(), started.body());
        String location = started.headers().firstValue("Location").orElseThrow();
        URI upload = base.resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        HttpResponse<String> done = HTTP.send(HttpRequest.newBuilder(upload).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, done.statusCode(), done.body());
        return digest;
    }

    private static String descriptor(String mediaType, String digest, int size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }
}
