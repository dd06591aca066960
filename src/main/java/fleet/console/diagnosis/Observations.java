package fleet.console.diagnosis;

import fleet.console.cluster.pods.PodRows;
import fleet.console.cluster.pods.WorkloadRef;
import fleet.console.cluster.rollouts.Revision;
import fleet.console.cluster.rollouts.RolloutHistory;
import fleet.console.cluster.rollouts.RolloutProblem;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The namespace as the diagnosis saw it: one read of its pods, events, workloads, jobs, claims and nodes,
 * plus what is read only when a rule needs it (a container's log, NATS, the registry, revisions), each
 * read once. Rules look here and nowhere else, so a diagnosis is of one moment.
 */
public final class Observations {

    private final KubernetesClient client;
    private final String namespace;
    private final FleetProfile profile;
    private final DiagnosisOptions options;
    private final Instant now;
    private final Predicate<PodView> focus;
    private final boolean wholeNamespace;

    final List<Pod> pods;
    final List<Event> events;
    final List<Deployment> deployments;
    final List<StatefulSet> statefulSets;
    final List<ReplicaSet> replicaSets;
    final List<Job> jobs;
    final List<PersistentVolumeClaim> claims;
    final List<Node> nodes;

    private final NatsSource natsSource;
    private final RegistryLookup registry;
    private NatsFacts nats;
    private List<StorageClass> storageClasses;
    private List<Event> nodeEvents;
    private List<PodView> views;
    private final Map<String, List<String>> logs = new HashMap<>();
    private final Map<String, TagCheck> tags = new HashMap<>();
    private final Map<String, List<Revision>> revisions = new HashMap<>();

    private Observations(KubernetesClient client, String namespace, FleetProfile profile, DiagnosisOptions options, Instant now,
                         Predicate<PodView> focus, boolean wholeNamespace, NatsSource natsSource, RegistryLookup registry) {
        this.client = client;
        this.namespace = namespace;
        this.profile = profile;
        this.options = options;
        this.now = now;
        this.focus = focus;
        this.wholeNamespace = wholeNamespace;
        this.natsSource = natsSource;
        this.registry = registry;
        var ns = client.pods().inNamespace(namespace);
        this.pods = ns.list().getItems();
        // One list of the namespace's events, matched to objects here: not every API server filters events by
        // involvedObject.name (the sandbox's does not), and one list is cheaper than one per pod anyway.
        this.events = client.v1().events().inNamespace(namespace).list().getItems();
        this.deployments = client.apps().deployments().inNamespace(namespace).list().getItems();
        this.statefulSets = client.apps().statefulSets().inNamespace(namespace).list().getItems();
        this.replicaSets = client.apps().replicaSets().inNamespace(namespace).list().getItems();
        this.jobs = client.batch().v1().jobs().inNamespace(namespace).list().getItems();
        this.claims = optional(() -> client.persistentVolumeClaims().inNamespace(namespace).list().getItems());
        this.nodes = optional(() -> client.nodes().list().getItems());
    }

    /**
     * Reads the namespace now.
     *
     * @param focus          the pods to diagnose (the others are still read: NATS's pod matters to all)
     * @param wholeNamespace whether the namespace-wide rules run too (NATS consumers, Jobs)
     */
    public static Observations read(KubernetesClient client, String namespace, FleetProfile profile, DiagnosisOptions options,
                                    Instant now, Predicate<PodView> focus, boolean wholeNamespace, NatsSource nats,
                                    RegistryLookup registry) {
        return new Observations(client, namespace, profile, options, now, focus, wholeNamespace, nats, registry);
    }

    /** A list the account may not be allowed to read (nodes, claims, storage classes): empty then. */
    private static <T> List<T> optional(Supplier<List<T>> read) {
        try {
            return read.get();
        } catch (KubernetesClientException e) {
            return List.of();
        }
    }

    public String namespace() {
        return namespace;
    }

    public FleetProfile profile() {
        return profile;
    }

    public DiagnosisOptions options() {
        return options;
    }

    public Instant now() {
        return now;
    }

    KubernetesClient client() {
        return client;
    }

    boolean wholeNamespace() {
        return wholeNamespace;
    }

    /** Every pod of the namespace that is not on its way out, as the rules see it. */
    public synchronized List<PodView> pods() {
        if (views == null) {
            List<PodView> out = new ArrayList<>();
            for (Pod p : pods) {
                if (p.getMetadata().getDeletionTimestamp() == null) {
                    WorkloadRef w = PodRows.of(p, this::workloadOfOwner).workload();
                    Optional<WorkloadRef> workload = "Pod".equals(w.kind()) ? Optional.empty() : Optional.of(w);
                    Optional<ServiceSpec> service = workload.filter(x -> "Deployment".equals(x.kind()) || "StatefulSet".equals(x.kind()))
                            .flatMap(x -> profile.service(x.name()));
                    out.add(new PodView(this, p, workload, service));
                }
            }
            views = List.copyOf(out);
        }
        return views;
    }

    /** The pods the rules should diagnose. */
    public List<PodView> focusedPods() {
        return pods().stream().filter(focus).toList();
    }

    private Optional<WorkloadRef> workloadOfOwner(OwnerReference owner) {
        if (!"ReplicaSet".equals(owner.getKind())) {
            return Optional.empty();
        }
        return replicaSets.stream().filter(rs -> rs.getMetadata().getName().equals(owner.getName())).findFirst()
                .map(PodRows::workloadOfReplicaSet);
    }

    /** The events about an object, newest last as they were written; by uid when the event names one. */
    public List<Event> eventsAbout(HasMetadata object) {
        String uid = object.getMetadata().getUid();
        String name = object.getMetadata().getName();
        String kind = object.getKind();
        return events.stream()
                .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName())
                        && (kind == null || kind.equals(e.getInvolvedObject().getKind())))
                .filter(e -> uid == null || e.getInvolvedObject().getUid() == null || uid.equals(e.getInvolvedObject().getUid()))
                .sorted(java.util.Comparator.comparing(Observations::lastSeen))
                .toList();
    }

    static String lastSeen(Event e) {
        return e.getLastTimestamp() != null ? e.getLastTimestamp()
                : e.getEventTime() != null && e.getEventTime().getTime() != null ? e.getEventTime().getTime()
                : e.getMetadata().getCreationTimestamp() == null ? "" : e.getMetadata().getCreationTimestamp();
    }

    /** Events about nodes (kept in the default namespace by Kubernetes): reboots and the like. */
    public synchronized List<Event> nodeEvents() {
        if (nodeEvents == null) {
            nodeEvents = optional(() -> client.v1().events().inNamespace("default").list().getItems()).stream()
                    .filter(e -> e.getInvolvedObject() != null && "Node".equals(e.getInvolvedObject().getKind())).toList();
        }
        return nodeEvents;
    }

    public synchronized List<StorageClass> storageClasses() {
        if (storageClasses == null) {
            storageClasses = optional(() -> client.storage().v1().storageClasses().list().getItems());
        }
        return storageClasses;
    }

    /**
     * The last lines of a container's log, the current run or the previous one (after a crash); empty when
     * there is none (never started, or the API refuses).
     */
    public synchronized List<String> log(String pod, String container, boolean previous) {
        String key = pod + "/" + container + (previous ? "/previous" : "");
        List<String> cached = logs.get(key);
        if (cached != null) {
            return cached;
        }
        List<String> lines;
        try {
            var c = client.pods().inNamespace(namespace).withName(pod).inContainer(container);
            String text = previous ? c.terminated().tailingLines(options.logLines()).getLog()
                    : c.tailingLines(options.logLines()).getLog();
            lines = text == null ? List.of() : text.lines().toList();
        } catch (KubernetesClientException e) {
            lines = List.of();
        }
        logs.put(key, lines);
        return lines;
    }

    /** What the NATS server holds, read once per diagnosis. */
    public synchronized NatsFacts nats() {
        if (nats == null) {
            boolean natsPodReady = natsReady();
            nats = natsPods().isEmpty() || natsPodReady ? natsSource.read()
                    : NatsFacts.unavailable("nats-0 is not Ready, so its consumers cannot be read", now);
        }
        return nats;
    }

    /** The registry's answer for an image, asked once per diagnosis. */
    public synchronized TagCheck registry(String image) {
        return tags.computeIfAbsent(image, i -> registry.check(ImageRef.parse(i)));
    }

    /** A workload's revisions, newest first (empty when it has none to show). */
    public synchronized List<Revision> revisions(WorkloadRef workload) {
        return revisions.computeIfAbsent(workload.kind() + "/" + workload.name(), k -> {
            try {
                return new RolloutHistory(client, namespace).revisions(workload.kind(), workload.name());
            } catch (RolloutProblem | KubernetesClientException e) {
                return List.of();
            }
        });
    }

    /** The NATS server's pods: the nats StatefulSet's, or containers named nats. */
    public List<PodView> natsPods() {
        return pods().stream().filter(PodView::isNats).toList();
    }

    /** At least one NATS pod is Ready (no NATS pods at all counts as not ready only if the profile has NATS). */
    public boolean natsReady() {
        List<PodView> nats = natsPods();
        if (nats.isEmpty()) {
            return profile.service("nats").isEmpty();
        }
        return nats.stream().anyMatch(PodView::ready);
    }

    public Optional<Deployment> deployment(String name) {
        return deployments.stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst();
    }

    public Optional<StatefulSet> statefulSet(String name) {
        return statefulSets.stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst();
    }

    public Optional<PersistentVolumeClaim> claim(String name) {
        return claims.stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<Job> jobs() {
        return jobs;
    }
}
