package fleet.console.runbook;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The runbook's {@code 00-verify-prerequisites.sh}: the cluster answers and has nodes, cert-manager and
 * ingress-nginx run, and the registry answers; GPU nodes and an existing fleet namespace are warnings.
 */
final class Prerequisites {

    private Prerequisites() {
    }

    static Runbook plan(RunContext run) {
        List<Step> steps = List.of(
                SimpleStep.of("cluster", "The cluster is reachable", "kubectl configured to the correct context, cluster reachable.",
                        "Asks the API server for its version.", List.of("kubectl version", "kubectl cluster-info"), Duration.ofSeconds(15), r -> {
                            var v = r.client().getKubernetesVersion();
                            r.log("Kubernetes " + v.getGitVersion() + " on context " + r.contextName());
                        }),
                SimpleStep.of("nodes", "The cluster has Ready nodes", "Pods need somewhere to run.", "Counts the nodes and their Ready condition.",
                        List.of("kubectl get nodes"), Duration.ofSeconds(15), r -> {
                            List<Node> nodes = r.client().nodes().list().getItems();
                            long ready = nodes.stream().filter(n -> n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus()
                                    .getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))).count();
                            if (ready == 0) {
                                throw new StepFailure("No Ready node (" + nodes.size() + " nodes).", "Check the nodes (kubectl describe nodes).");
                            }
                            long gpus = nodes.stream().filter(n -> n.getStatus().getAllocatable() != null
                                    && n.getStatus().getAllocatable().containsKey("nvidia.com/gpu")).count();
                            r.log(ready + " of " + nodes.size() + " node(s) Ready");
                            if (gpus == 0) {
                                r.log("WARNING: no node offers nvidia.com/gpu; the vLLM server cannot be scheduled here.");
                            }
                        }),
                platform("cert-manager", "cert-manager", "TLS certificates for the ingresses."),
                platform("ingress-nginx", "ingress-nginx", "External access to the dashboards."),
                SimpleStep.of("namespace", "The fleet's namespace", "deploy-all creates it; one already there is redeployed over.",
                        "Checks whether namespace " + run.namespace() + " exists.", List.of("kubectl get namespace " + run.namespace()),
                        Duration.ofSeconds(10), r -> {
                            boolean exists = r.client().namespaces().withName(r.namespace()).get() != null;
                            r.log(exists ? "WARNING: namespace " + r.namespace() + " already exists; deploy-all applies over what is there."
                                    : "namespace " + r.namespace() + " does not exist yet; deploy-all creates it");
                        }),
                SimpleStep.of("registry", "The registry answers", "Registry " + run.profile().registry().host() + " accessible.",
                        "Asks the registry's API (/v2/).", List.of("curl -k https://" + run.profile().registry().host() + "/v2/"),
                        Duration.ofSeconds(15), r -> {
                            String scheme = r.profile().registry().insecure() ? "http" : "https";
                            URI uri = URI.create(scheme + "://" + r.profile().registry().host() + "/v2/");
                            try {
                                HttpResponse<Void> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                                        .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                                r.log("registry " + uri + " answered " + answer.statusCode()
                                        + (answer.statusCode() == 401 ? " (it wants credentials: docker login / podman login)" : ""));
                            } catch (java.io.IOException e) {
                                r.log("WARNING: registry " + uri + " did not answer (" + e.getMessage() + "); builds and pushes will fail until it does.");
                            }
                        }));
        return new Runbook("verify-prerequisites", "Verify prerequisites", "What the initial deployment needs on the cluster.", steps,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static Step platform(String namespace, String what, String why) {
        return SimpleStep.of(namespace, what + " is installed and ready", why,
                "Looks for namespace " + namespace + " and its Deployments' readiness.",
                List.of("kubectl get deploy -n " + namespace), Duration.ofSeconds(15), r -> {
                    if (r.client().namespaces().withName(namespace).get() == null) {
                        throw new StepFailure(what + " is not installed (no namespace " + namespace + ").", "Install " + what + " first (its Helm chart).");
                    }
                    List<Deployment> ds = r.client().apps().deployments().inNamespace(namespace).list().getItems();
                    List<String> notReady = ds.stream().filter(d -> d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                            || d.getStatus().getReadyReplicas() < (d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas()))
                            .map(d -> d.getMetadata().getName()).toList();
                    if (ds.isEmpty() || !notReady.isEmpty()) {
                        throw new StepFailure(what + " is not ready" + (notReady.isEmpty() ? " (no controller)" : ": " + String.join(", ", notReady)) + ".",
                                "Look at it with kubectl get pods -n " + namespace + ".");
                    }
                    r.log(what + " ready");
                });
    }
}
