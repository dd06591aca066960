package fleet.console.sandbox.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deletion as the API server does it for pods and namespaces: a delete with a grace period only marks
 * the object ({@code deletionTimestamp}; a namespace turns Terminating), the kubelet or the namespace
 * controller finishes the work and removes it with grace period 0. That is what makes "Terminating"
 * visible and {@code kubectl wait --for=delete} meaningful. Creating objects in a namespace that does
 * not exist or is terminating is refused as the API server refuses it.
 */
final class GracefulDeletionRoute implements SandboxApiServer.Route {

    /** Held by a Terminating namespace until its controller has emptied it. */
    public static final String NAMESPACE_FINALIZER = "kubernetes";

    private static final Pattern POD = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)$");
    private static final Pattern NAMESPACE = Pattern.compile("^/api/v1/namespaces/([^/]+)$");
    private static final Pattern OBJECT = Pattern.compile("^/(?:api/v1|apis/[^/]+/[^/]+)/namespaces/([^/]+)/([^/]+)/([^/]+)(?:/status)?$");
    private static final Pattern NAMESPACED = Pattern.compile("^/(?:api/v1|apis/[^/]+/[^/]+)/namespaces/([^/]+)/([^/]+)$");

    private final EmulatorAccess store;
    private final Clock clock;

    GracefulDeletionRoute(EmulatorAccess store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public boolean handle(HttpServerRequest request, Buffer body) {
        String path = request.path();
        if (request.method() == HttpMethod.POST) {
            return refuseCreateOutsideNamespace(request, path);
        }
        if (request.method() == HttpMethod.PUT) {
            return refuseUpdateOfMissing(request, path);
        }
        if (request.method() != HttpMethod.DELETE) {
            return false;
        }
        boolean immediate = graceIsZero(request, body);
        Matcher ns = NAMESPACE.matcher(path);
        if (ns.matches()) {
            // A namespace always goes through Terminating, whatever grace a client asks for; only its
            // controller's final delete of an emptied (already marked) namespace removes it.
            Optional<Namespace> found = store.get(path, Namespace.class);
            if (immediate && found.isPresent() && found.get().getMetadata().getDeletionTimestamp() != null) {
                return false;
            }
            return markNamespace(request, path);
        }
        if (immediate) {
            return false;
        }
        Matcher pod = POD.matcher(path);
        if (pod.matches()) {
            return markPod(request, path);
        }
        return false;
    }

    private boolean markPod(HttpServerRequest request, String path) {
        Optional<Pod> found = store.get(path, Pod.class);
        if (found.isEmpty() || found.get().getSpec() == null || found.get().getSpec().getNodeName() == null) {
            // Not found (the emulator answers 404) or never scheduled: nothing runs, it goes at once.
            return false;
        }
        Pod pod = found.get();
        if (pod.getMetadata().getDeletionTimestamp() == null) {
            pod.getMetadata().setDeletionTimestamp(now());
            pod.getMetadata().setDeletionGracePeriodSeconds(30L);
            reply(request, store.put(path, pod), pod);
        } else {
            SandboxApiServer.json(request.response(), 200, Serialization.asJson(pod));
        }
        return true;
    }

    private boolean markNamespace(HttpServerRequest request, String path) {
        Optional<Namespace> found = store.get(path, Namespace.class);
        if (found.isEmpty()) {
            return false;
        }
        Namespace ns = found.get();
        if (ns.getMetadata().getDeletionTimestamp() == null) {
            ns.getMetadata().setDeletionTimestamp(now());
            // The emulator removes an object marked for deletion that holds no finalizer; the namespace
            // controller's finalizer keeps it Terminating until the controller has emptied it.
            ns.getMetadata().setFinalizers(new java.util.ArrayList<>(List.of(NAMESPACE_FINALIZER)));
            if (ns.getStatus() == null) {
                ns.setStatus(new io.fabric8.kubernetes.api.model.NamespaceStatus());
            }
            ns.getStatus().setPhase("Terminating");
            reply(request, store.put(path, ns), ns);
        } else {
            SandboxApiServer.json(request.response(), 200, Serialization.asJson(ns));
        }
        return true;
    }

    /**
     * An update (PUT, also of {@code /status}) of an object that is gone answers 404 as the API server
     * does; the emulator would create it again, bringing a deleted Job back from a controller's late
     * status write.
     */
    private boolean refuseUpdateOfMissing(HttpServerRequest request, String path) {
        Matcher m = OBJECT.matcher(path);
        if (!m.matches()) {
            return false;
        }
        String object = path.endsWith("/status") ? path.substring(0, path.length() - "/status".length()) : path;
        if (store.get(object, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class).isPresent()) {
            return false;
        }
        SandboxApiServer.status(request.response(), 404, "NotFound", m.group(2) + " \"" + m.group(3) + "\" not found");
        return true;
    }

    private boolean refuseCreateOutsideNamespace(HttpServerRequest request, String path) {
        Matcher m = NAMESPACED.matcher(path);
        if (!m.matches()) {
            return false;
        }
        String namespace = m.group(1);
        Optional<Namespace> ns = store.get("/api/v1/namespaces/" + namespace, Namespace.class);
        if (ns.isEmpty()) {
            SandboxApiServer.status(request.response(), 404, "NotFound", "namespaces \"" + namespace + "\" not found");
            return true;
        }
        if (ns.get().getMetadata().getDeletionTimestamp() != null && !"events".equals(m.group(2))) {
            SandboxApiServer.status(request.response(), 403, "Forbidden", m.group(2) + " is forbidden: unable to create new content in namespace "
                    + namespace + " because it is being terminated");
            return true;
        }
        return false;
    }

    private void reply(HttpServerRequest request, MockResponse stored, HasMetadata fallback) {
        String body = stored.getBody() != null && stored.getBody().size() > 0 ? stored.getBody().readUtf8() : Serialization.asJson(fallback);
        SandboxApiServer.json(request.response(), stored.code() >= 400 ? stored.code() : 200, body);
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static boolean graceIsZero(HttpServerRequest request, Buffer body) {
        if ("0".equals(request.getParam("gracePeriodSeconds"))) {
            return true;
        }
        if (body == null || body.length() == 0) {
            return false;
        }
        try {
            Map<?, ?> options = Serialization.unmarshal(body.toString(), Map.class);
            Object grace = options.get("gracePeriodSeconds");
            return grace instanceof Number n && n.longValue() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
