package fleet.console.sandbox.api;

import fleet.console.sandbox.portforward.PortForwardBridge;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * {@code pods/{pod}/portforward}: tunnels to whatever really listens behind a sandbox pod's port (the
 * nats-server child process behind {@code nats-0:4222}), so a console in another process reaches it
 * with nothing but the sandbox's kubeconfig, exactly as on a real cluster.
 */
final class PortForwardRoute implements SandboxApiServer.Route {

    /** Where a running pod's port really listens in the sandbox. Called on the event loop: no blocking. */
    @FunctionalInterface
    public interface PodPorts {
        Optional<InetSocketAddress> resolve(Pod pod, int port);
    }

    private final EmulatorAccess store;
    private final PortForwardBridge bridge;

    PortForwardRoute(EmulatorAccess store, Vertx vertx, PodPorts ports) {
        this.store = store;
        this.bridge = new PortForwardBridge(vertx, new fleet.console.sandbox.portforward.PortForwardTarget() {
            @Override
            public Optional<java.net.InetSocketAddress> resolve(String namespace, String pod, int port) {
                return running(namespace, pod).flatMap(p -> ports.resolve(p, port));
            }

            @Override
            public Optional<String> instance(String namespace, String pod) {
                return running(namespace, pod).map(p -> p.getMetadata().getUid());
            }
        });
    }

    /** The pod while it runs and is not being deleted (its containers are stopped as deletion starts). */
    private Optional<Pod> running(String namespace, String pod) {
        return store.get("/api/v1/namespaces/" + namespace + "/pods/" + pod, Pod.class)
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    }

    @Override
    public boolean handle(HttpServerRequest request, Buffer body) {
        return false;
    }

    @Override
    public boolean handleUpgrade(HttpServerRequest request) {
        Optional<PortForwardBridge.Request> parsed = PortForwardBridge.parse(request.path(), request.query());
        if (parsed.isEmpty()) {
            return false;
        }
        PortForwardBridge.Request r = parsed.get();
        if (store.get("/api/v1/namespaces/" + r.namespace() + "/pods/" + r.pod(), Pod.class).isEmpty()) {
            request.resume();
            SandboxApiServer.status(request.response(), 404, "NotFound", "pods \"" + r.pod() + "\" not found");
            return true;
        }
        request.toWebSocket().onSuccess(ws -> bridge.handle(ws, r.namespace(), r.pod(), r.ports()))
                .onFailure(e -> {
                    if (!request.response().headWritten()) {
                        SandboxApiServer.status(request.response(), 400, "BadRequest", "port-forward upgrade failed: " + e.getMessage());
                    }
                });
        return true;
    }
}
