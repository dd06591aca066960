package fleet.console.cluster;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether this user may do something, asked of the API server before it is offered
 * ({@code kubectl auth can-i}, a SelfSubjectAccessReview). Answers are kept for the session: RBAC
 * changes rarely, and an action the server then refuses still fails with its 403.
 */
public final class Access {

    /** One permission: a verb on a resource (and subresource) in an API group, in a namespace. */
    public record Permission(String verb, String group, String resource, String subresource, String namespace) {
        public static Permission of(String verb, String group, String resource, String namespace) {
            return new Permission(verb, group, resource, "", namespace);
        }

        public Permission sub(String value) {
            return new Permission(verb, group, resource, value, namespace);
        }

        /** {@code patch deployments/scale in swe-ai-fleet}. */
        public String describe() {
            return verb + " " + (subresource.isEmpty() ? resource : resource + "/" + subresource)
                    + (group.isEmpty() ? "" : " (" + group + ")") + (namespace.isEmpty() ? "" : " in " + namespace);
        }

        /** The equivalent question on the command line. */
        public String kubectl() {
            return "kubectl auth can-i " + verb + " " + (group.isEmpty() ? resource : resource + "." + group)
                    + (subresource.isEmpty() ? "" : " --subresource=" + subresource) + (namespace.isEmpty() ? "" : " -n " + namespace);
        }
    }

    /** The server's answer, with its reason in its own words. */
    public record Decision(boolean allowed, boolean known, String reason) {
        /** What to tell the operator when it is not allowed. */
        public String refusal(Permission p) {
            return "not allowed to " + p.describe() + ": " + reason + ". Ask your cluster administrator for that permission ("
                    + p.kubectl() + " says no); nothing was changed.";
        }
    }

    private final KubernetesClient client;
    private final Map<Permission, Decision> answers = new ConcurrentHashMap<>();

    public Access(KubernetesClient client) {
        this.client = client;
    }

    /** Asks once per permission and session. */
    public Decision check(Permission p) {
        return answers.computeIfAbsent(p, this::ask);
    }

    private Decision ask(Permission p) {
        try {
            SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview().create(
                    new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
                            .withVerb(p.verb()).withGroup(p.group()).withResource(p.resource())
                            .withSubresource(p.subresource().isEmpty() ? null : p.subresource())
                            .withNamespace(p.namespace().isEmpty() ? null : p.namespace())
                            .endResourceAttributes().endSpec().build());
            if (review == null || review.getStatus() == null || review.getStatus().getAllowed() == null) {
                return new Decision(true, false, "the server gave no answer; the action will be tried");
            }
            String reason = review.getStatus().getReason() == null || review.getStatus().getReason().isBlank()
                    ? (review.getStatus().getAllowed() ? "allowed" : "RBAC gives no role that allows it")
                    : review.getStatus().getReason();
            return new Decision(review.getStatus().getAllowed(), true, reason);
        } catch (KubernetesClientException e) {
            // A server that cannot answer reviews (very old, or reviews forbidden): the action itself will say.
            return new Decision(true, false, "the server could not be asked (" + e.getCode() + "); the action will be tried");
        }
    }
}
