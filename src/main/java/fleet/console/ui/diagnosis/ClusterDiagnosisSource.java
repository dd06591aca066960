package fleet.console.ui.diagnosis;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.ClusterSession;
import fleet.console.diagnosis.Diagnosis;
import fleet.console.diagnosis.DiagnosisReport;
import fleet.console.diagnosis.DiagnosisService;
import fleet.console.profile.FleetProfile;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The diagnosis of the session the console is connected to: one {@link DiagnosisService} per session
 * (NATS through a port-forward, as the console reaches it), replaced when the session changes.
 */
public final class ClusterDiagnosisSource implements DiagnosisSource, AutoCloseable {

    private static final Duration DEBOUNCE = Duration.ofMillis(500);
    /** NATS, which no informer sees, is read again this often. */
    private static final Duration NATS_REFRESH = Duration.ofSeconds(15);
    private static final Duration PROVE = Duration.ofSeconds(10);

    private final FleetProfile profile;
    private final Executor background;
    private final Consumer<AuditEntry> journal;
    private ClusterSession session;
    private DiagnosisService service;

    public ClusterDiagnosisSource(FleetProfile profile, Executor background, Consumer<AuditEntry> journal) {
        this.profile = Objects.requireNonNull(profile);
        this.background = Objects.requireNonNull(background);
        this.journal = Objects.requireNonNull(journal);
    }

    private synchronized DiagnosisService service(ClusterSession s) {
        if (session != s) {
            if (service != null) {
                service.close();
            }
            session = s;
            service = DiagnosisService.forCluster(s.client(), s.contextName(), s.namespace(), profile, background, journal);
        }
        return service;
    }

    @Override
    public AutoCloseable follow(ClusterSession s, Consumer<DiagnosisReport> listener) {
        return service(s).live(listener, DEBOUNCE, NATS_REFRESH);
    }

    @Override
    public DiagnosisReport pod(ClusterSession s, String pod) {
        return service(s).podInContextNow(pod);
    }

    @Override
    public Diagnosis prove(ClusterSession s, Diagnosis diagnosis) {
        return service(s).prove(diagnosis, PROVE).join();
    }

    @Override
    public synchronized void close() {
        if (service != null) {
            service.close();
            service = null;
        }
    }
}
