package fleet.console.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.function.Supplier;

/**
 * Writes that race the cluster's own controllers (which update the same objects' status and
 * annotations) get 409 Conflict; like kubectl, read again and retry a few times.
 */
public final class Writes {

    private static final int ATTEMPTS = 5;

    private Writes() {
    }

    public static <T> T retryOnConflict(Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
