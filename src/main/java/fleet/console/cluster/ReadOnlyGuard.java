package fleet.console.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.util.Locale;

/**
 * Read-only mode at the lowest level: a client built with this interceptor sends no request that can
 * change the cluster (anything but GET and HEAD, and exec). The console's actions are disabled above it
 * with a reason; this makes sure a forgotten one still changes nothing. Asking whether something is
 * allowed (a SelfSubjectAccessReview) and port-forwarding (to read NATS) remain possible.
 */
public final class ReadOnlyGuard implements Interceptor {

    public static final String NAME = "fleet-console-read-only";
    public static final String MESSAGE = "read-only mode is on: the console changes nothing";

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        String method = request.method().toUpperCase(Locale.ROOT);
        String path = request.uri().getPath();
        boolean reads = method.equals("GET") || method.equals("HEAD");
        boolean review = method.equals("POST") && path.endsWith("/selfsubjectaccessreviews");
        if ((reads && !path.endsWith("/exec") && !path.endsWith("/attach")) || review) {
            return;
        }
        throw new KubernetesClientException(MESSAGE + " (refused " + method + " " + path + ")", 403, null);
    }
}
