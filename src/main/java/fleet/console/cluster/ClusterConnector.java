package fleet.console.cluster;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens a {@link ClusterSession} and proves it usable before handing it out: the API server answers
 * within a few seconds, the credentials are accepted, the namespace exists. Every failure becomes a
 * {@link ConnectionProblem} naming what was wrong and what to do.
 */
public final class ClusterConnector {

    /**
     * One JSON mapper for every session's client. fabric8 gives each client a mapper of its own, and a new
     * mapper builds its decoders for the model's classes again on first use: the first list of a
     * reconnected session (another context, namespace, read-only mode) paid that again, a third of the time
     * decoding 10,000 pods took. The mapper is safe to share between threads and holds no session state.
     */
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final Duration timeout;
    private final boolean readOnly;

    public ClusterConnector(Duration timeout) {
        this(timeout, false);
    }

    private ClusterConnector(Duration timeout, boolean readOnly) {
        this.timeout = timeout;
        this.readOnly = readOnly;
    }

    /** Sessions whose client cannot change the cluster ({@link ReadOnlyGuard}). */
    public ClusterConnector readOnly(boolean on) {
        return new ClusterConnector(timeout, on);
    }

    /** Whether its sessions are read-only. */
    public boolean isReadOnly() {
        return readOnly;
    }

    public static ClusterConnector withDefaultTimeout() {
        return new ClusterConnector(Duration.ofSeconds(4));
    }

    /** Connects with a kubeconfig context; namespace null means the context's own, else swe-ai-fleet. */
    public ClusterSession connect(KubeconfigFile kubeconfig, String context, String namespace, String defaultNamespace)
            throws ConnectionProblem {
        Config config = kubeconfig.configFor(context);
        String contextName = context != null ? context : kubeconfig.currentContext().orElse("?");
        String ns = namespace != null ? namespace : kubeconfig.namespaceOf(contextName).orElse(defaultNamespace);
        return connect(config, contextName, ns, false);
    }

    /** Connects with a ready-made client configuration (the sandbox, tests). */
    public ClusterSession connect(Config base, String contextName, String namespace, boolean sandbox)
            throws ConnectionProblem {
        Config config = new ConfigBuilder(base)
                .withNamespace(namespace)
                .withConnectionTimeout((int) timeout.toMillis())
                .withRequestTimeout((int) timeout.toMillis())
                // A dead server must fail in seconds, not after fabric8's ten exponential retries.
                .withRequestRetryBackoffLimit(1)
                .withRequestRetryBackoffInterval(200)
                // Watches broken by an outage come back within ~5 s of the server (150 ms doubling, capped at 32x).
                .withWatchReconnectInterval(150)
                .build();
        ApiReachability reachability = new ApiReachability();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).withKubernetesSerialization(SERIALIZATION)
                .withHttpClientBuilderConsumer(b -> {
                    b.addOrReplaceInterceptor(ApiReachability.NAME, reachability);
                    if (readOnly) {
                        b.addOrReplaceInterceptor(ReadOnlyGuard.NAME, new ReadOnlyGuard());
                    }
                }).build();
        reachability.register(client);
        try {
            String version = probe(client, contextName, config.getMasterUrl());
            requireNamespace(client, contextName, namespace);
            reachability.heartbeat(client);
            return new ClusterSession(client, contextName, namespace, config.getMasterUrl(), version, sandbox, readOnly);
        } catch (ConnectionProblem | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private String probe(KubernetesClient client, String context, String url) throws ConnectionProblem {
        CompletableFuture<VersionInfo> version = CompletableFuture.supplyAsync(client::getKubernetesVersion);
        try {
            VersionInfo info = version.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return info == null ? "unknown" : info.getGitVersion();
        } catch (TimeoutException e) {
            version.cancel(true);
            throw unreachable(context, url, "it did not answer within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(context, url, "the attempt was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KubernetesClientException kce && (kce.getCode() == 401 || kce.getCode() == 403)) {
                throw new ConnectionProblem(ConnectionProblem.Kind.UNAUTHORIZED,
                        "The API server of context '" + context + "' (" + url + ") refused the credentials (HTTP "
                                + kce.getCode() + ").",
                        "Renew the token or certificate of this context (log in again), then reconnect.", cause);
            }
            throw unreachable(context, url, describeCause(cause), cause);
        }
    }

    private void requireNamespace(KubernetesClient client, String context, String namespace) throws ConnectionProblem {
        try {
            Namespace ns = client.namespaces().withName(namespace).get();
            if (ns != null) {
                return;
            }
            List<String> existing = client.namespaces().list().getItems().stream()
                    .map(n -> n.getMetadata().getName()).sorted().toList();
            throw new ConnectionProblem(ConnectionProblem.Kind.NAMESPACE_MISSING,
                    "Namespace '" + namespace + "' does not exist on context '" + context + "'.",
                    existing.isEmpty() ? "Create it (kubectl create namespace " + namespace
                            + "), or run the initial deployment runbook."
                            : "Choose one of: " + String.join(", ", existing)
                            + ", or run the initial deployment runbook to create it.");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                // Listing namespaces is often forbidden to namespace-scoped users: let them in, the
                // areas will say what they may not see.
                return;
            }
            throw unreachable(context, client.getMasterUrl().toString(), describeCause(e), e);
        }
    }

    private static ConnectionProblem unreachable(String context, String url, String why, Throwable cause) {
        return new ConnectionProblem(ConnectionProblem.Kind.UNREACHABLE,
                "Cannot reach the API server of context '" + context + "' at " + url + ": " + why + ".",
                "Check the VPN or network, that the cluster is running (kubectl --context " + context
                        + " cluster-info), or pick another context; the sandbox needs no cluster.", cause);
    }

    private static String describeCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof HttpTimeoutException || t instanceof java.net.SocketTimeoutException) {
                return "it did not answer in time";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return KubeconfigFile.rootMessage(e);
    }
}
