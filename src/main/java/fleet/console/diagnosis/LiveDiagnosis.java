package fleet.console.diagnosis;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The namespace's diagnosis kept current for a view: a burst of cluster changes (a rollout touches pods,
 * ReplicaSets and events many times a second) makes one new diagnosis after it settles for the debounce
 * time; NATS, which no informer sees, is looked at again every refresh period. Reports reach the listener
 * on this object's thread, only when something an operator would see changed.
 */
public final class LiveDiagnosis implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LiveDiagnosis.class.getName());

    private final DiagnosisService service;
    private final Consumer<DiagnosisReport> listener;
    private final Duration debounce;
    private final ScheduledExecutorService thread;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private ScheduledFuture<?> pending;
    private List<Object> lastSignature;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong runs = new java.util.concurrent.atomic.AtomicLong();
    private volatile java.util.Optional<DiagnosisReport> latest = java.util.Optional.empty();

    private LiveDiagnosis(DiagnosisService service, Consumer<DiagnosisReport> listener, Duration debounce) {
        this.service = service;
        this.listener = listener;
        this.debounce = debounce;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "live-diagnosis");
            t.setDaemon(true);
            return t;
        });
    }

    static LiveDiagnosis start(DiagnosisService service, KubernetesClient client, String namespace, Consumer<DiagnosisReport> listener,
                               Duration debounce, Duration refresh) {
        LiveDiagnosis live = new LiveDiagnosis(service, listener, debounce);
        live.watch(client.pods().inNamespace(namespace));
        live.watch(client.v1().events().inNamespace(namespace));
        live.watch(client.batch().v1().jobs().inNamespace(namespace));
        live.watch(client.apps().deployments().inNamespace(namespace));
        live.watch(client.apps().statefulSets().inNamespace(namespace));
        live.thread.scheduleWithFixedDelay(live::changed, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
        live.changed();
        return live;
    }

    private <T extends HasMetadata> void watch(Informable<T> source) {
        SharedIndexInformer<T> informer = source.inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed();
            }
        });
        informers.add(informer);
    }

    /** Something changed: diagnose once things have been quiet for the debounce time. */
    private synchronized void changed() {
        if (closed) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        pending = thread.schedule(this::run, debounce.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            DiagnosisReport report = service.namespaceNow();
            latest = java.util.Optional.of(report);
            runs.incrementAndGet();
            List<Object> signature = signature(report);
            if (!closed && !Objects.equals(signature, lastSignature)) {
                lastSignature = signature;
                listener.accept(report);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A live diagnosis failed; the next change tries again", e);
        }
    }

    /** How many diagnoses it has made (for "checked N times"; a test that needs it to have looked). */
    public long runs() {
        return runs.get();
    }

    /** The last report made, delivered or not (its {@code at} says when it looked). */
    public java.util.Optional<DiagnosisReport> latest() {
        return latest;
    }

    /** What an operator would notice change: the causes, their subjects, severity, confidence, blockers, fixes. */
    static List<Object> signature(DiagnosisReport report) {
        List<Object> out = new ArrayList<>();
        for (Diagnosis d : report.diagnoses()) {
            out.add(List.of(d.id(), d.cause(), d.severity(), d.confidence(), d.blockedBy(), d.fix().map(Fix::commands).orElse(List.of())));
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        informers.forEach(SharedIndexInformer::close);
        thread.shutdownNow();
    }
}
