package fleet.console.ui.logs;

import fleet.console.cluster.KubectlCommands;
import fleet.console.cluster.logs.LogSource;
import fleet.console.cluster.logs.LogStream;
import fleet.console.cluster.logs.LogStreamStatus;
import fleet.console.cluster.logs.WorkloadPods;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A log read from a cluster through the gateway's {@link LogStream}: one pod, or every pod of a
 * workload (found as the workload finds them). Cut follows resume in the stream itself; what it says
 * about itself goes to the view's status, and its count of lost lines to the view's counters.
 */
public final class ClusterLogOrigin implements LogOrigin {

    private final KubernetesClient client;
    private final KubectlCommands kubectl;
    private final String namespace;
    private final String pod;
    private final List<String> containers;
    private final WorkloadPods workload;

    private ClusterLogOrigin(KubernetesClient client, String context, String namespace, String pod, List<String> containers,
                             WorkloadPods workload) {
        this.client = Objects.requireNonNull(client);
        this.kubectl = KubectlCommands.in(context, namespace);
        this.namespace = namespace;
        this.pod = pod;
        this.containers = List.copyOf(containers);
        this.workload = workload;
    }

    /** One pod; {@code containers} are the ones to choose from (init containers left out). */
    public static ClusterLogOrigin ofPod(KubernetesClient client, String context, String namespace, String pod,
                                        List<String> containers) {
        return new ClusterLogOrigin(client, context, namespace, pod, containers, null);
    }

    /**
     * Every pod of a workload as it is now; reopening (another tail, follow on or off) finds them again.
     * Blocks while it finds them: call off the FX thread.
     *
     * @throws IllegalArgumentException when the workload does not exist, naming those that do
     */
    public static ClusterLogOrigin ofWorkload(KubernetesClient client, String context, String namespace,
                                              fleet.console.cluster.pods.WorkloadRef workload) {
        WorkloadPods found = WorkloadPods.resolve(client, namespace, workload);
        return new ClusterLogOrigin(client, context, namespace, null, List.of(), found);
    }

    @Override
    public String title(LogOptions options) {
        if (workload != null) {
            int n = workload.pods().size();
            return workload.workload().kubectlName() + " (" + n + (n == 1 ? " pod)" : " pods)");
        }
        return pod + options.container().filter(c -> containers.size() > 1).map(c -> " / " + c).orElse("")
                + (options.previous() ? ", previous run" : "");
    }

    @Override
    public List<String> containers() {
        return containers;
    }

    @Override
    public boolean severalPods() {
        return workload != null;
    }

    @Override
    public String kubectl(LogOptions options) {
        if (workload != null && workload.kubectlSelector().isPresent()) {
            return kubectl.logsOfWorkload(workload.kubectlSelector().get(), Optional.empty(), options.follow(),
                    options.tail(), false, workload.pods().size());
        }
        String name = workload != null ? workload.pods().get(0) : pod;
        return kubectl.logs(name, options.container(), options.previous(), options.follow(), options.tail(), false);
    }

    @Override
    public AutoCloseable open(LogOptions options, LogViewModel.Feed feed) {
        LogSource source = workload != null
                ? LogSource.ofWorkload(client, namespace, workload.workload(), options.follow(), options.tail())
                : LogSource.ofPod(namespace, pod, options.container(), options.previous(), options.follow(), options.tail());
        boolean several = source.pods().size() > 1;
        LogStream stream = LogStream.open(client, source,
                feed.sink(s -> several ? s.pod() + ": " + s.message() : s.message(), LogStreamStatus::problem));
        feed.countDroppedWith(stream::dropped);
        return stream;
    }
}
