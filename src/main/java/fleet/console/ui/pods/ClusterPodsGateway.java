package fleet.console.ui.pods;

import fleet.console.audit.AuditJournal;
import fleet.console.cluster.ClusterSession;
import fleet.console.cluster.KubectlCommands;
import fleet.console.cluster.pods.PodActions;
import fleet.console.cluster.pods.PodDetail;
import fleet.console.cluster.pods.PodGoneException;
import fleet.console.cluster.pods.PodInspector;
import fleet.console.cluster.pods.PodRow;
import fleet.console.cluster.pods.PodWatch;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.ui.logs.ClusterLogOrigin;
import fleet.console.ui.logs.LogOrigin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** The Pods area's seam to a real cluster (or the sandbox): the gateway's watch, inspector, actions and journal. */
public final class ClusterPodsGateway implements PodsGateway {

    private final AuditJournal journal;

    public ClusterPodsGateway(AuditJournal journal) {
        this.journal = Objects.requireNonNull(journal);
    }

    @Override
    public AutoCloseable watch(ClusterSession session, RowListener listener) {
        return PodWatch.start(session.client(), session.namespace(), new PodWatch.Listener() {
            @Override
            public void changed(List<PodRow> upserted, List<String> removedUids) {
                listener.changed(upserted, removedUids);
            }

            @Override
            public void connection(boolean stale, Instant since, String why) {
                listener.connection(stale, since, why);
            }
        });
    }

    @Override
    public Optional<PodDetail> inspect(ClusterSession session, String pod) {
        try {
            return Optional.of(new PodInspector(session.client(), session.namespace()).inspect(pod));
        } catch (PodGoneException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(ClusterSession session, String pod) {
        new PodActions(session.client(), session.contextName(), session.namespace(), journal).delete(pod);
    }

    @Override
    public AuditContents audit() {
        AuditJournal.Contents contents = journal.contents();
        return new AuditContents(journal.file(), contents.entries(), contents.unreadableLines());
    }

    @Override
    public LogOrigin podLogs(ClusterSession session, PodRow pod, List<String> containers) {
        return ClusterLogOrigin.ofPod(session.client(), session.contextName(), session.namespace(), pod.name(), containers);
    }

    @Override
    public LogOrigin workloadLogs(ClusterSession session, WorkloadRef workload) {
        return ClusterLogOrigin.ofWorkload(session.client(), session.contextName(), session.namespace(), workload);
    }

    @Override
    public List<KubectlCommand> kubectl(ClusterSession session, PodRow pod, Optional<PodDetail> detail) {
        KubectlCommands k = KubectlCommands.in(session.contextName(), session.namespace());
        Optional<String> container = detail.flatMap(d -> d.containers().stream().filter(c -> !c.init()).findFirst())
                .map(c -> c.name());
        List<KubectlCommand> out = new ArrayList<>();
        out.add(new KubectlCommand("Describe", k.describePod(pod.name())));
        out.add(new KubectlCommand("Events", k.podEvents(pod.name())));
        out.add(new KubectlCommand("Logs", k.logs(pod.name(), container, false, false, OptionalInt.of(1_000), false)));
        if (pod.restarts() > 0) {
            out.add(new KubectlCommand("Previous run's logs", k.logs(pod.name(), container, true, false, OptionalInt.empty(), false)));
        }
        out.add(new KubectlCommand("Delete", k.deletePod(pod.name())));
        out.add(new KubectlCommand("All pods", k.getPodsWide()));
        return out;
    }
}
