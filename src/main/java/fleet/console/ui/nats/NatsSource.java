package fleet.console.ui.nats;

import fleet.console.cluster.ClusterSession;
import fleet.console.messaging.NatsTarget;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Where the NATS area reads from: the cluster's NATS through a port-forward (the default, with the
 * window's session), or a URL or natscli context the operator gave.
 *
 * @param client    the session's client, needed only for {@link NatsTarget.InCluster}; else null
 * @param context   what the audit journal records as the context
 * @param namespace what the audit journal records as the namespace
 */
public record NatsSource(NatsTarget target, KubernetesClient client, String context, String namespace) {

    /** The fleet's NATS of a cluster session, reached by port-forward to its nats pod. */
    public static NatsSource cluster(ClusterSession session) {
        return new NatsSource(NatsTarget.InCluster.fleet(session.namespace()), session.client(), session.contextName(),
                session.namespace());
    }

    public String label() {
        return target.label();
    }
}
