package fleet.console.sandbox.api;

import fleet.console.sandbox.SandboxUser;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Authorization as the API server does it, for the sandbox's two users ({@link SandboxUser}): answers
 * {@code SelfSubjectAccessReview}s and refuses a viewer's requests outside Kubernetes' {@code view} role
 * with 403 and the API server's own wording. Asked before every other route.
 */
final class AccessRoute implements SandboxApiServer.Route {

    static final String SSAR_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private static final Pattern RESOURCE = Pattern.compile(
            "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+))?(?:/([^/]+))?$");
    private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");

    /** What one request asks to do, in RBAC's terms. */
    record Attributes(String verb, String group, String resource, String subresource, String namespace, String name) {
        String resourceWithSub() {
            return subresource.isEmpty() ? resource : resource + "/" + subresource;
        }
    }

    @Override
    public boolean handle(HttpServerRequest request, Buffer body) {
        SandboxUser user = userOf(request);
        if (request.method() == HttpMethod.POST && SSAR_PATH.equals(request.path())) {
            review(request, user, body);
            return true;
        }
        return refuse(request, user);
    }

    @Override
    public boolean handleUpgrade(HttpServerRequest request) {
        return refuse(request, userOf(request));
    }

    private boolean refuse(HttpServerRequest request, SandboxUser user) {
        if (user == SandboxUser.ADMIN) {
            return false;
        }
        Optional<Attributes> asked = attributes(request);
        if (asked.isEmpty() || allowed(user, asked.get())) {
            return false;
        }
        Attributes a = asked.get();
        SandboxApiServer.status(request.response(), 403, "Forbidden", forbidden(user, a));
        return true;
    }

    static boolean allowed(SandboxUser user, Attributes a) {
        if (user == SandboxUser.ADMIN) {
            return true;
        }
        // Kubernetes' built-in "view" role: read everything but Secrets, read logs; no exec, no port-forward.
        if (!READ_VERBS.contains(a.verb()) || "secrets".equals(a.resource())) {
            return false;
        }
        return a.subresource().isEmpty() || Set.of("log", "status", "scale").contains(a.subresource());
    }

    static String forbidden(SandboxUser user, Attributes a) {
        String kind = a.group().isEmpty() ? a.resource() : a.resource() + "." + a.group();
        String what = a.name().isEmpty() ? kind + " is forbidden" : kind + " \"" + a.name() + "\" is forbidden";
        return what + ": User \"" + user.userName() + "\" cannot " + a.verb() + " resource \"" + a.resourceWithSub()
                + "\" in API group \"" + a.group() + "\"" + (a.namespace().isEmpty() ? " at the cluster scope"
                : " in the namespace \"" + a.namespace() + "\"");
    }

    private static Optional<Attributes> attributes(HttpServerRequest request) {
        Matcher m = RESOURCE.matcher(request.path());
        if (!m.matches()) {
            return Optional.empty();
        }
        String group = m.group(1) == null ? "" : m.group(1);
        String namespace = m.group(2) == null ? "" : m.group(2);
        String resource = m.group(3);
        String name = m.group(4) == null ? "" : m.group(4);
        String sub = m.group(5) == null ? "" : m.group(5);
        if ("namespaces".equals(resource) && namespace.isEmpty() && !name.isEmpty() && sub.isEmpty()) {
            // /api/v1/namespaces/x is the namespace object itself.
            namespace = name;
        }
        boolean websocket = request.getHeader("Upgrade") != null;
        String verb = switch (request.method().name()) {
            case "GET", "HEAD" -> websocket && !sub.isEmpty() && !"log".equals(sub) ? "create"
                    : name.isEmpty() ? ("true".equals(request.getParam("watch")) ? "watch" : "list") : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> request.method().name().toLowerCase(java.util.Locale.ROOT);
        };
        return Optional.of(new Attributes(verb, group, resource, sub, namespace, name));
    }

    private void review(HttpServerRequest request, SandboxUser user, Buffer body) {
        try {
            SelfSubjectAccessReview review = Serialization.unmarshal(body.toString(), SelfSubjectAccessReview.class);
            ResourceAttributes ra = review.getSpec() == null || review.getSpec().getResourceAttributes() == null
                    ? new ResourceAttributes() : review.getSpec().getResourceAttributes();
            Attributes a = new Attributes(text(ra.getVerb()), text(ra.getGroup()), text(ra.getResource()),
                    text(ra.getSubresource()), text(ra.getNamespace()), text(ra.getName()));
            boolean allowed = allowed(user, a);
            SubjectAccessReviewStatus status = new SubjectAccessReviewStatus();
            status.setAllowed(allowed);
            if (allowed) {
                status.setReason(user == SandboxUser.ADMIN ? "the sandbox's administrator may do everything"
                        : "RBAC: allowed by ClusterRole \"view\" of User \"" + user.userName() + "\"");
            } else {
                status.setDenied(false);
                status.setReason(forbidden(user, a) + " (it holds only ClusterRole \"view\")");
            }
            review.setStatus(status);
            review.setKind("SelfSubjectAccessReview");
            review.setApiVersion("authorization.k8s.io/v1");
            SandboxApiServer.json(request.response(), 201, Serialization.asJson(review));
        } catch (Exception e) {
            SandboxApiServer.status(request.response(), 400, "BadRequest", "not a SelfSubjectAccessReview: " + e.getMessage());
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static SandboxUser userOf(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        return SandboxUser.byToken(token);
    }
}
