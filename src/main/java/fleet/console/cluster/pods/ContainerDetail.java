package fleet.console.cluster.pods;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container of a pod, as the detail pane shows it.
 *
 * @param state        {@code Running}, {@code Waiting}, {@code Terminated}
 * @param stateReason  the waiting or terminated reason (CrashLoopBackOff, Error, OOMKilled...)
 * @param probes       kind ({@code readiness}, {@code liveness}, {@code startup}) to a one-line description
 *                     ({@code http-get :8080/api/health every 10s, fails after 3})
 */
public record ContainerDetail(String name, boolean init, String image, String imageId, String state,
                              String stateReason, String stateMessage, boolean ready, int restarts,
                              Optional<Termination> lastTermination, Map<String, String> requests,
                              Map<String, String> limits, Map<String, String> probes, List<EnvRef> env) {

    public ContainerDetail {
        requests = Map.copyOf(requests);
        limits = Map.copyOf(limits);
        probes = Map.copyOf(probes);
        env = List.copyOf(env);
    }
}
