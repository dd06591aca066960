package fleet.console.sandbox.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * In-memory reads and writes against the emulator's store, for the front's own routes. They run on the
 * event loop, so they must not go through an HTTP client; they go through the dispatcher directly, and
 * watchers still see every change.
 */
final class EmulatorAccess {

    private final KubernetesCrudDispatcher emulator;

    EmulatorAccess(KubernetesCrudDispatcher emulator) {
        this.emulator = emulator;
    }

    <T extends HasMetadata> Optional<T> get(String path, Class<T> type) {
        MockResponse response = emulator.dispatch(request(HttpMethod.GET, path, null));
        if (response.code() != 200 || response.getBody() == null) {
            return Optional.empty();
        }
        return Optional.of(Serialization.unmarshal(response.getBody().readUtf8(), type));
    }

    MockResponse put(String path, HasMetadata object) {
        return emulator.dispatch(request(HttpMethod.PUT, path, Serialization.asJson(object)));
    }

    private static RecordedRequest request(HttpMethod method, String path, String body) {
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        return new RecordedRequest("HTTP/1.1", method, path, headers,
                new Buffer(body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
    }
}
