package fleet.console.sandbox.councils;

import fleet.console.profile.ServiceSpec;
import fleet.console.councils.contract.OrchestratorRpc;
import io.fabric8.kubernetes.api.model.Pod;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The running orchestrator stand-ins of the sandbox, one per orchestrator pod's current container run:
 * what the port-forward route finds behind {@code <pod>:50055}, and what a job reaching the orchestrator
 * through its Service lands on (one ready replica, as kube-proxy picks one per connection).
 */
public final class OrchestratorStandIns implements AutoCloseable {

    /** The label selector of a Service (blocking: it reads the API). */
    @FunctionalInterface
    public interface ServiceSelectors {
        Optional<Map<String, String>> selectorOf(String namespace, String service);
    }

    /** A stand-in reached through a Service: its pod and where it listens. */
    record Endpoint(String pod, InetSocketAddress address) {
    }

    private record Running(String namespace, Map<String, String> labels, int port, OrchestratorStandIn standIn) {
    }

    private final ServiceSelectors services;
    private final Map<String, Running> byPodUid = new ConcurrentHashMap<>();

    public OrchestratorStandIns(ServiceSelectors services) {
        this.services = services;
    }

    /** Whether a service of the profile is the orchestrator, whose pods get a stand-in. */
    public static boolean isOrchestrator(ServiceSpec service) {
        return "orchestrator".equals(service.name());
    }

    static int portOf(ServiceSpec service) {
        return service.port().orElse(OrchestratorRpc.PORT);
    }

    /** What listens behind a pod's port, from memory (the port-forward route asks on its event loop). */
    public Optional<InetSocketAddress> listenerBehind(Pod pod, int port) {
        Running r = byPodUid.get(pod.getMetadata().getUid());
        return r == null || r.port() != port ? Optional.empty() : r.standIn().address();
    }

    void register(Pod pod, int port, OrchestratorStandIn standIn) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(pod.getMetadata().getLabels());
        byPodUid.put(pod.getMetadata().getUid(), new Running(pod.getMetadata().getNamespace(), labels, port, standIn));
    }

    void unregister(Pod pod, OrchestratorStandIn standIn) {
        byPodUid.computeIfPresent(pod.getMetadata().getUid(), (uid, r) -> r.standIn() == standIn ? null : r);
    }

    /**
     * Where a connection to {@code host:port} from a pod of {@code namespace} lands: the Service named by the
     * host ({@code orchestrator}, {@code orchestrator.ns}, {@code orchestrator.ns.svc.cluster.local}), then
     * one of its ready pods at random. Empty when the Service is unknown or no pod behind it is ready,
     * which a client sees as a refused connection.
     */
    Optional<Endpoint> throughService(String namespace, String address) {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        int port;
        try {
            port = colon < 0 ? OrchestratorRpc.PORT : Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String[] parts = host.split("\\.");
        String service = parts[0];
        String ns = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : namespace;
        Optional<Map<String, String>> selector = services.selectorOf(ns, service);
        if (selector.isEmpty() || selector.get().isEmpty()) {
            return Optional.empty();
        }
        List<Endpoint> ready = byPodUid.values().stream()
                .filter(r -> r.namespace().equals(ns) && r.port() == port && r.standIn().ready())
                .filter(r -> r.labels().entrySet().containsAll(selector.get().entrySet()))
                .flatMap(r -> r.standIn().address().map(a -> new Endpoint(r.standIn().pod(), a)).stream())
                .toList();
        return ready.isEmpty() ? Optional.empty() : Optional.of(ready.get(ThreadLocalRandom.current().nextInt(ready.size())));
    }

    @Override
    public void close() {
        byPodUid.values().forEach(r -> r.standIn().stop());
        byPodUid.clear();
    }
}
