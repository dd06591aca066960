package fleet.console.messaging;

/** Where the console's NATS is: a URL, a natscli context, or the NATS pod of a cluster reached by port-forward. */
public sealed interface NatsTarget {

    /** What the status bar calls it. */
    String label();

    /** A URL the workstation can reach ({@code nats://127.0.0.1:4222}). */
    record Url(String url) implements NatsTarget {
        @Override
        public String label() {
            return url;
        }
    }

    /** An operator's natscli context. */
    record Context(NatsContext context) implements NatsTarget {
        @Override
        public String label() {
            return "nats context " + context.name();
        }
    }

    /**
     * The NATS behind a Kubernetes Service, through a port-forward to one of its ready pods: the
     * workstation cannot resolve {@code nats.swe-ai-fleet.svc.cluster.local}, and no kubectl is needed.
     */
    record InCluster(String namespace, String service, int port) implements NatsTarget {
        public static InCluster fleet(String namespace) {
            return new InCluster(namespace, "nats", 4222);
        }

        @Override
        public String label() {
            return "svc/" + service + ":" + port + " in " + namespace + " (port-forward)";
        }
    }
}
