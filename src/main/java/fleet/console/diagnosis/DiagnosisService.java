package fleet.console.diagnosis;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.messaging.NatsActions;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsProblem;
import fleet.console.messaging.NatsTarget;
import fleet.console.profile.FleetProfile;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The diagnosis for one namespace, as the UI and the command line use it: the whole namespace, one pod
 * or one workload, computed from fresh cluster reads on the background executor it is given (never the
 * caller's, so the FX thread can ask); a test publish that proves a NATS path; and a live variant fed by
 * informers ({@link #live}).
 */
public final class DiagnosisService implements AutoCloseable {

    private final KubernetesClient client;
    private final String contextName;
    private final String namespace;
    private final FleetProfile profile;
    private final NatsSource nats;
    private final RegistryLookup registry;
    private final DiagnosisOptions options;
    private final Executor background;
    private final Clock clock;
    private final Consumer<AuditEntry> journal;
    private final Diagnostician diagnostician;

    public DiagnosisService(KubernetesClient client, String contextName, String namespace, FleetProfile profile, NatsSource nats,
                            RegistryLookup registry, DiagnosisOptions options, Executor background, Clock clock,
                            Consumer<AuditEntry> journal) {
        this.client = client;
        this.contextName = contextName;
        this.namespace = namespace;
        this.profile = profile;
        this.nats = nats;
        this.registry = registry;
        this.options = options;
        this.background = background;
        this.clock = clock;
        this.journal = journal;
        this.diagnostician = Diagnostician.standard();
    }

    /**
     * The usual wiring for a cluster (or the sandbox): NATS through a port-forward to the fleet's NATS
     * Service, the registry asked over HTTPS.
     */
    public static DiagnosisService forCluster(KubernetesClient client, String contextName, String namespace, FleetProfile profile,
                                              Executor background, Consumer<AuditEntry> journal) {
        Clock clock = Clock.systemUTC();
        LinkedNats nats = new LinkedNats(() -> NatsLink.open(NatsTarget.InCluster.fleet(namespace), client, Duration.ofSeconds(5)), clock);
        return new DiagnosisService(client, contextName, namespace, profile, nats, RegistryLookup.http(Map.of(), Duration.ofSeconds(3)),
                DiagnosisOptions.defaults(), background, clock, journal);
    }

    public String namespace() {
        return namespace;
    }

    /** The whole namespace, now, on the caller's thread (the command line; the background tasks below). */
    public DiagnosisReport namespaceNow() {
        return diagnose(p -> true, true);
    }

    /** The whole namespace, read and judged on the background executor. */
    public CompletableFuture<DiagnosisReport> namespaceReport() {
        return CompletableFuture.supplyAsync(this::namespaceNow, background);
    }

    /**
     * One pod's diagnoses (and the NATS pod's, which may block it): {@code report.forPod(name)} for the
     * pod's own, {@code report.byId} to show what blocks it.
     */
    public CompletableFuture<DiagnosisReport> pod(String podName) {
        return CompletableFuture.supplyAsync(() -> podNow(podName), background);
    }

    /** {@link #pod(String)} on the caller's thread (a view-model's own background executor). */
    public DiagnosisReport podNow(String podName) {
        return diagnose(p -> p.name().equals(podName) || p.isNats(), false);
    }

    /**
     * A pod's diagnoses with the namespace-wide ones too (NATS subscriptions, Jobs), on the caller's
     * thread: what the Diagnosis panel shows for a pod, its workload's causes included.
     */
    public DiagnosisReport podInContextNow(String podName) {
        return diagnose(p -> p.name().equals(podName) || p.isNats(), true);
    }

    /** A workload's pods and the workload itself (its NATS subscriptions, a Job's failure). */
    public CompletableFuture<DiagnosisReport> workload(WorkloadRef workload) {
        return CompletableFuture.supplyAsync(() -> {
            DiagnosisReport all = diagnose(p -> p.workload().filter(workload::equals).isPresent() || p.isNats(), true);
            return new DiagnosisReport(all.namespace(), all.at(), all.diagnoses().stream()
                    .filter(d -> d.subject().belongsTo(workload) || all.diagnoses().stream().anyMatch(x -> x.subject().belongsTo(workload)
                            && x.blockedBy().contains(d.id()))).toList(), all.natsNote());
        }, background);
    }

    private DiagnosisReport diagnose(Predicate<PodView> focus, boolean wholeNamespace) {
        Observations o = Observations.read(client, namespace, profile, options, clock.instant(), focus, wholeNamespace, nats, registry);
        return diagnostician.diagnose(o);
    }

    /**
     * The runbook's test publish for a diagnosis with a NATS path: publishes a test message on its
     * subject and waits (at most {@code timeout}) for the durables that should take it; the diagnosis comes
     * back with the result as more evidence.
     */
    public CompletableFuture<Diagnosis> prove(Diagnosis diagnosis, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            NatsPath path = diagnosis.path().orElseThrow(() -> new IllegalArgumentException(
                    "\"" + diagnosis.cause() + "\" is not about a NATS subscription; there is nothing to publish."));
            return diagnosis.withMoreEvidence(probe(path.subject(), timeout).evidence());
        }, background);
    }

    /** A test publish on a subject, on the caller's thread. */
    public NatsPathProbe.Result probe(String subject, Duration timeout) {
        if (!(nats instanceof LinkedNats linked)) {
            throw new IllegalStateException("This diagnosis has no NATS link to publish with.");
        }
        try {
            NatsLink link = linked.link();
            NatsActions actions = new NatsActions(link, contextName, namespace, journal, clock);
            return NatsPathProbe.prove(link, actions, profile, subject, timeout, clock);
        } catch (NatsProblem e) {
            throw new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    /**
     * Waits until every durable a diagnosis names as holding undelivered messages has taken them (after
     * its fix ran); false when one still has some at the timeout.
     */
    public boolean awaitBacklogsTaken(Diagnosis diagnosis, Duration timeout) {
        if (!(nats instanceof LinkedNats linked)) {
            throw new IllegalStateException("This diagnosis has no NATS link to follow consumers with.");
        }
        try {
            for (Evidence e : diagnosis.evidence()) {
                if (e.source() instanceof EvidenceSource.NatsConsumer c && e.text().contains("not delivered")
                        && !NatsPathProbe.awaitBacklogTaken(linked.link(), c.stream(), c.durable(), timeout)) {
                    return false;
                }
            }
            return true;
        } catch (NatsProblem e) {
            throw new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    /**
     * The namespace's diagnosis kept current: informers on pods, events, jobs and workloads trigger a new
     * one, debounced; NATS, which no informer sees, is read again every {@code refresh}. The listener gets
     * each report that differs from the last, on the live diagnosis's own thread.
     */
    public LiveDiagnosis live(Consumer<DiagnosisReport> listener, Duration debounce, Duration refresh) {
        return LiveDiagnosis.start(this, client, namespace, listener, debounce, refresh);
    }

    @Override
    public void close() {
        if (nats instanceof LinkedNats linked) {
            linked.close();
        }
    }
}
