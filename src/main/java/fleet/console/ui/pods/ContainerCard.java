package fleet.console.ui.pods;

import fleet.console.cluster.pods.EnvRef;
import fleet.console.ui.common.Severity;

import java.util.List;

/**
 * One container of the selected pod in the detail pane's words.
 *
 * @param state           "Waiting: CrashLoopBackOff", "Running", "Terminated: Completed"
 * @param stateDetail     the state's message (back-off 40s restarting failed container...)
 * @param lastTermination "Error, exit code 1, started 12:00:01, finished 12:00:03 (40s ago)"; empty when it never ended
 * @param resources       "requests cpu 100m, memory 256Mi · limits memory 512Mi"
 * @param probes          one line per probe: "readiness: http-get :8080/health every 10s"
 * @param env             variables; secrets by name only
 */
public record ContainerCard(String name, boolean init, String state, Severity severity, String stateDetail,
                            boolean ready, int restarts, String lastTermination, String image, String imageId,
                            String resources, List<String> probes, List<EnvRef> env) {

    public ContainerCard {
        probes = List.copyOf(probes);
        env = List.copyOf(env);
    }

    /** How an env variable is shown: {@code NAME = value}, or {@code NAME from secret s / k} with no value. */
    public static String envText(EnvRef e) {
        if (e.secret()) {
            return e.name() + " from " + e.source() + " (value not shown)";
        }
        if ("value".equals(e.source())) {
            return e.name() + " = " + e.value();
        }
        return e.name() + " from " + e.source() + (e.value() == null || e.value().isEmpty() ? "" : " = " + e.value());
    }
}
