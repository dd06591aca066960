package fleet.console.sandbox;

import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.api.SandboxApiServer;
import fleet.console.sandbox.api.SandboxRoutes;
import fleet.console.sandbox.controllers.ControllerLoop;
import fleet.console.sandbox.councils.OrchestratorStandIns;
import fleet.console.sandbox.controllers.DeploymentController;
import fleet.console.sandbox.controllers.GarbageCollector;
import fleet.console.sandbox.controllers.JobController;
import fleet.console.sandbox.controllers.NamespaceController;
import fleet.console.sandbox.controllers.PodFacts;
import fleet.console.sandbox.controllers.ReplicaSetController;
import fleet.console.sandbox.controllers.Scheduler;
import fleet.console.sandbox.controllers.StatefulSetController;
import fleet.console.sandbox.controllers.Storage;
import fleet.console.sandbox.events.EventRecorder;
import fleet.console.sandbox.fleet.EventTrickle;
import fleet.console.sandbox.fleet.FleetPrograms;
import fleet.console.manifests.FleetManifests;
import fleet.console.sandbox.fleet.FleetSeed;
import fleet.console.sandbox.fleet.FleetWorld;
import fleet.console.sandbox.kubelet.Kubelet;
import fleet.console.sandbox.kubelet.LogStore;
import fleet.console.sandbox.nats.NatsServerProcess;
import fleet.console.sandbox.registry.RegistryProcess;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded demo cluster: an API server on loopback that any Kubernetes client can use, controllers
 * and a kubelet that make it behave like a cluster, a real nats-server (and registry) when installed,
 * and the fleet of the profile deployed in it. A console connects to it exactly as to a real cluster;
 * only the context name tells them apart.
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Sandbox.class.getName());

    public static final String CONTEXT_NAME = "sandbox";
    public static final String KUBERNETES_VERSION = "1.31.2";

    private final FleetProfile profile;
    private final Vertx vertx;
    private final SandboxApiServer api;
    private final KubernetesClient client;
    private final Optional<NatsServerProcess> nats;
    private final Optional<RegistryProcess> registry;
    private final String natsProblem;
    private final ControllerLoop loop;
    private final EventRecorder events;
    private final Kubelet kubelet;
    private final FleetWorld world;
    private final FaultInjector faults;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final ClusterChanges changes;
    private final OrchestratorStandIns orchestrators;
    private volatile java.util.function.Consumer<Boolean> cutLogs = abrupt -> { };
    /** About one event a second across the fleet's subjects: counts move visibly, nothing floods. */
    private static final Duration TRICKLE_PERIOD = Duration.ofMillis(900);
    private EventTrickle trickle;

    private Sandbox(FleetProfile profile, Vertx vertx, SandboxApiServer api, KubernetesClient client,
                    Optional<NatsServerProcess> nats, Optional<RegistryProcess> registry, String natsProblem,
                    ControllerLoop loop, EventRecorder events, Kubelet kubelet, FleetWorld world, Clock clock,
                    ClusterChanges changes, OrchestratorStandIns orchestrators) {
        this.changes = changes;
        this.orchestrators = orchestrators;
        this.profile = profile;
        this.vertx = vertx;
        this.api = api;
        this.client = client;
        this.nats = nats;
        this.registry = registry;
        this.natsProblem = natsProblem;
        this.loop = loop;
        this.events = events;
        this.kubelet = kubelet;
        this.world = world;
        this.faults = new FaultInjector(client, profile, world, kubelet, nats, clock, this::whenever);
    }

    /**
     * Starts the sandbox; returns once its API answers and the fleet's objects exist (pods come up
     * within seconds after; {@link #awaitFleetReady(Duration)} waits for them).
     */
    public static Sandbox start(FleetProfile profile, SandboxOptions options) {
        Clock clock = Clock.systemUTC();
        String[] problem = {null};
        // The child processes start while the API server and the client warm up.
        CompletableFuture<Optional<NatsServerProcess>> natsStart = CompletableFuture.supplyAsync(() -> startNats(options, problem));
        CompletableFuture<Optional<RegistryProcess>> registryStart = CompletableFuture.supplyAsync(() -> startRegistry(options));
        // Reading the manifests loads and warms the model classes, on the other core, meanwhile.
        CompletableFuture<List<HasMetadata>> cluster = CompletableFuture.supplyAsync(() -> {
            List<HasMetadata> objects = new ArrayList<>(SandboxNodes.objects(options));
            if (!options.empty()) {
                objects.addAll(new FleetManifests(profile).objects());
            }
            return objects;
        });
        Vertx vertx = Vertx.vertx();
        SandboxApiServer api = new SandboxApiServer(vertx, KUBERNETES_VERSION);
        Sandbox sandbox = null;
        try {
            api.start(options.apiPort());
            // The sandbox's own client shares its event loop: a second Vert.x instance would cost a second
            // of a cold start for nothing.
            KubernetesClient client = new KubernetesClientBuilder().withConfig(config(api.url(), profile.namespace()))
                    .withHttpClientFactory(new Vertx5HttpClientFactory(vertx)).build();
            Optional<NatsServerProcess> nats = natsStart.join();
            Optional<RegistryProcess> registry = registryStart.join();
            FleetWorld world = new FleetWorld(profile, () -> nats.filter(NatsServerProcess::isRunning).map(NatsServerProcess::url),
                    nats.isPresent());
            ControllerLoop loop = new ControllerLoop();
            ClusterChanges changes = new ClusterChanges();
            EventRecorder events = new EventRecorder(client, clock, changes::signal);
            Set<String> nodeNames = SandboxNodes.names(options);
            // Councils hook: one orchestrator gRPC stand-in per orchestrator pod run; jobs find them through Services.
            OrchestratorStandIns orchestrators = new OrchestratorStandIns((ns, name) ->
                    Optional.ofNullable(client.services().inNamespace(ns).withName(name).get())
                            .map(s -> s.getSpec() == null ? null : s.getSpec().getSelector()));
            Kubelet kubelet = new Kubelet(client, events, clock, new FleetPrograms(world, clock, orchestrators),
                    new SandboxImages(world, registry), nodeNames, new LogStore());
            sandbox = new Sandbox(profile, vertx, api, client, nats, registry, problem[0], loop, events, kubelet, world, clock, changes,
                    orchestrators);
            // Objects first, informers after: their first list then finds everything in one answer
            // instead of competing with the seeding for the API server's event loop.
            FleetSeed.apply(client, cluster.join());
            sandbox.wire(clock, options);
            if (!options.empty() && options.eventTrickle() && nats.isPresent()) {
                sandbox.trickle = new EventTrickle(nats.get().url(), TRICKLE_PERIOD);
                sandbox.trickle.start();
            }
            return sandbox;
        } catch (RuntimeException e) {
            if (sandbox != null) {
                sandbox.close();
            } else {
                api.close();
                SandboxApiServer.await(vertx.close(), "stop the sandbox's event loop");
                natsStart.thenAccept(n -> n.ifPresent(NatsServerProcess::stop));
                registryStart.thenAccept(r -> r.ifPresent(RegistryProcess::stop));
            }
            throw e;
        }
    }

    private static Optional<NatsServerProcess> startNats(SandboxOptions options, String[] problem) {
        if (!options.startNats()) {
            problem[0] = "NATS is off in this sandbox.";
            return Optional.empty();
        }
        if (NatsServerProcess.findBinary().isEmpty()) {
            problem[0] = "nats-server is not installed, so the sandbox's NATS is simulated (no streams, no consumers). "
                    + "Install it with: sudo apt-get install -y nats-server";
            return Optional.empty();
        }
        NatsServerProcess process = new NatsServerProcess();
        try {
            process.start();
            return Optional.of(process);
        } catch (RuntimeException e) {
            problem[0] = "nats-server did not start: " + e.getMessage();
            process.stop();
            return Optional.empty();
        }
    }

    private static Optional<RegistryProcess> startRegistry(SandboxOptions options) {
        if (!options.startRegistry() || RegistryProcess.findBinary().isEmpty()) {
            return Optional.empty();
        }
        RegistryProcess process = new RegistryProcess();
        try {
            process.start();
            return Optional.of(process);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "docker-registry did not start; the sandbox has no registry of its own", e);
            process.stop();
            return Optional.empty();
        }
    }

    private void wire(Clock clock, SandboxOptions options) {
        Storage storage = new Storage(client);
        DeploymentController deployments = new DeploymentController(client, loop, events, clock);
        ReplicaSetController replicaSets = new ReplicaSetController(client, events, clock);
        StatefulSetController statefulSets = new StatefulSetController(client, events, clock, storage);
        JobController jobs = new JobController(client, loop, events, clock);
        Scheduler scheduler = new Scheduler(client, loop, events, clock);
        GarbageCollector gc = new GarbageCollector(client);
        NamespaceController namespaces = new NamespaceController(client, loop);
        loop.register(DeploymentController.KIND, deployments::reconcile);
        loop.register(ReplicaSetController.KIND, replicaSets::reconcile);
        loop.register(StatefulSetController.KIND, statefulSets::reconcile);
        loop.register(JobController.KIND, jobs::reconcile);
        loop.register(Scheduler.KIND, scheduler::reconcile);
        loop.register(GarbageCollector.KIND, gc::reconcile);
        loop.register(NamespaceController.KIND, namespaces::reconcile);

        SandboxRoutes.LogRoute logRoute = SandboxRoutes.logs(api, kubelet);
        cutLogs = logRoute.cut();
        api.addRoute(SandboxRoutes.access());
        api.addRoute(logRoute.route());
        api.addRoute(SandboxRoutes.gracefulDeletion(api, clock));
        api.addRoute(SandboxRoutes.portForward(api, this::listenerBehind));
        api.addRoute(SandboxRoutes.exec(api, kubelet));

        inform(runnable(client.apps().deployments().inAnyNamespace(), handler(
                d -> enqueue(DeploymentController.KIND, d), d -> gone(d))));
        inform(runnable(client.apps().replicaSets().inAnyNamespace(), handler(rs -> {
            enqueue(ReplicaSetController.KIND, rs);
            owner(rs, "Deployment").ifPresent(o -> loop.enqueue(DeploymentController.KIND, ns(rs), o));
        }, rs -> {
            gone(rs);
            owner(rs, "Deployment").ifPresent(o -> loop.enqueue(DeploymentController.KIND, ns(rs), o));
        })));
        inform(runnable(client.apps().statefulSets().inAnyNamespace(), handler(
                s -> enqueue(StatefulSetController.KIND, s), s -> gone(s))));
        inform(runnable(client.batch().v1().jobs().inAnyNamespace(), handler(
                j -> enqueue(JobController.KIND, j), j -> gone(j))));
        inform(runnable(client.namespaces(), handler(n -> {
            if (n.getMetadata().getDeletionTimestamp() != null) {
                loop.enqueue(NamespaceController.KIND, null, n.getMetadata().getName());
            }
        }, n -> world.dropVolumes(n.getMetadata().getName()))));
        inform(runnable(client.pods().inAnyNamespace(), handler(this::podChanged, this::podGone)));
    }

    /**
     * What really listens behind a pod's port in the sandbox: the nats-server process behind nats-0, an
     * orchestrator stand-in behind each orchestrator pod's gRPC port.
     */
    private Optional<InetSocketAddress> listenerBehind(Pod pod, int port) {
        Optional<InetSocketAddress> orchestrator = orchestrators.listenerBehind(pod, port);
        if (orchestrator.isPresent()) {
            return orchestrator;
        }
        boolean natsPod = pod.getSpec().getContainers().stream().anyMatch(c -> "nats".equals(c.getName()));
        if (!natsPod || nats.isEmpty() || !nats.get().isRunning() || world.natsDown()) {
            return Optional.empty();
        }
        if (port == 4222) {
            return Optional.of(new InetSocketAddress("127.0.0.1", nats.get().port()));
        }
        if (port == 8222) {
            return Optional.of(new InetSocketAddress("127.0.0.1", nats.get().monitoringPort()));
        }
        return Optional.empty();
    }

    private void podChanged(Pod pod) {
        kubelet.observe(pod);
        if (!PodFacts.isScheduled(pod) && pod.getMetadata().getDeletionTimestamp() == null) {
            loop.enqueue(Scheduler.KIND, ns(pod), pod.getMetadata().getName());
        }
        ownerOfPod(pod);
    }

    private void podGone(Pod pod) {
        kubelet.forget(pod);
        if (pod.getSpec().getContainers().stream().anyMatch(c -> "nats".equals(c.getName()))) {
            var ns = client.namespaces().withName(ns(pod)).get();
            if (ns == null || ns.getMetadata().getDeletionTimestamp() != null) {
                world.wipeJetStream();
            }
        }
        ownerOfPod(pod);
        // Room freed on a node: pods waiting for it get another chance, as the scheduler's queue gives them.
        client.pods().inNamespace(ns(pod)).list().getItems().stream()
                .filter(p -> !PodFacts.isScheduled(p))
                .forEach(p -> loop.enqueue(Scheduler.KIND, ns(p), p.getMetadata().getName()));
    }

    private void ownerOfPod(Pod pod) {
        owner(pod, "ReplicaSet").ifPresent(o -> loop.enqueue(ReplicaSetController.KIND, ns(pod), o));
        owner(pod, "StatefulSet").ifPresent(o -> loop.enqueue(StatefulSetController.KIND, ns(pod), o));
        owner(pod, "Job").ifPresent(o -> loop.enqueue(JobController.KIND, ns(pod), o));
    }

    private void gone(HasMetadata owner) {
        loop.enqueue(GarbageCollector.KIND, ns(owner), owner.getMetadata().getUid());
    }

    private void enqueue(String kind, HasMetadata o) {
        loop.enqueue(kind, ns(o), o.getMetadata().getName());
    }

    private static String ns(HasMetadata o) {
        return o.getMetadata().getNamespace();
    }

    private static Optional<String> owner(HasMetadata o, String kind) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        return refs == null ? Optional.empty()
                : refs.stream().filter(r -> kind.equals(r.getKind())).map(OwnerReference::getName).findFirst();
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> runnable(Informable<T> source, ResourceEventHandler<T> handler) {
        SharedIndexInformer<T> informer = source.runnableInformer(0);
        informer.addEventHandler(handler);
        return informer;
    }

    private void inform(SharedIndexInformer<?> informer) {
        informers.add(informer);
        // Not waiting for the first list: whatever exists by then arrives as an add either way.
        informer.start();
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> changed, Consumer<T> deleted) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed.accept(obj);
                changes.signal();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed.accept(newObj);
                changes.signal();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                deleted.accept(obj);
                changes.signal();
            }
        };
    }

    private static Config config(String url, String namespace) {
        return config(url, namespace, SandboxUser.ADMIN);
    }

    private static Config config(String url, String namespace, SandboxUser user) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url)
                .withNamespace(namespace)
                .withHttp2Disable(true)
                .withOauthToken(user.token())
                // Watches broken by an outage come back within ~5 s of the server (150 ms doubling, capped at 32x).
                .withWatchReconnectInterval(150)
                .build();
    }

    /** The API server's faults in force, with when each began. */
    private final java.util.Map<Fault, java.time.Instant> apiFaults = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * {@code api-down=SECONDS}: the API server stops listening (clients get "connection refused", open
     * watches break) and comes back on the same port after that many seconds, or when the fault is
     * cleared. {@code api-slow=MILLIS}: every answer comes that much later.
     */
    private void apiFault(Fault fault) {
        long amount;
        try {
            amount = Long.parseLong(fault.target().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Fault '" + fault.kind().cliName() + "' takes a number (" + (fault.kind() == FaultKind.API_DOWN
                    ? "seconds, e.g. --fault api-down=10" : "milliseconds, e.g. --fault api-slow=500") + "), not '" + fault.target() + "'.");
        }
        if (apiFaults.putIfAbsent(fault, java.time.Instant.now()) != null) {
            return;
        }
        if (fault.kind() == FaultKind.API_SLOW) {
            api.setLatencyMillis(amount);
            return;
        }
        api.stop();
        java.util.concurrent.CompletableFuture.delayedExecutor(amount, java.util.concurrent.TimeUnit.SECONDS).execute(() -> clear(fault));
    }

    private void undoApiFault(Fault fault) {
        if (fault.kind() == FaultKind.API_SLOW) {
            api.setLatencyMillis(0);
        } else if (!api.isListening()) {
            api.start(api.port());
        }
    }

    /** Whether the API server is listening (false during an {@code api-down} fault). */
    public boolean apiListening() {
        return api.isListening();
    }

    /** Client configuration for this sandbox, as a kubeconfig context would give it. */
    public Config clientConfig() {
        return clientConfig(SandboxUser.ADMIN);
    }

    /** Client configuration for one of the sandbox's users (a viewer is refused every change). */
    public Config clientConfig(SandboxUser user) {
        return config(api.url(), profile.namespace(), user);
    }

    /** The sandbox's own client (controllers and tests use it). */
    public KubernetesClient client() {
        return client;
    }

    public FleetProfile profile() {
        return profile;
    }

    public String namespace() {
        return profile.namespace();
    }

    public String apiUrl() {
        return api.url();
    }

    /** The real NATS server's URL on loopback, while it runs. */
    public Optional<String> natsUrl() {
        return world.natsUrl();
    }

    /** Why NATS is not real in this sandbox (not installed, failed to start), with what to do. */
    public Optional<String> natsUnavailableReason() {
        return Optional.ofNullable(natsProblem);
    }

    /** The sandbox's own registry ({@code 127.0.0.1:PORT}), when docker-registry is installed. */
    public Optional<String> registryHost() {
        return registry.filter(RegistryProcess::isRunning).map(RegistryProcess::host);
    }

    /**
     * Ends every open log follow, as an API server timeout ({@code abrupt} false) or a network blip
     * ({@code abrupt} true) would; the containers keep writing. A resumable reader must carry on.
     */
    public void cutLogStreams(boolean abrupt) {
        cutLogs.accept(abrupt);
    }

    public void inject(Fault fault) {
        if (fault.kind() == FaultKind.API_DOWN || fault.kind() == FaultKind.API_SLOW) {
            apiFault(fault);
            return;
        }
        faults.inject(fault);
    }

    public void clear(Fault fault) {
        if (apiFaults.remove(fault) != null) {
            undoApiFault(fault);
            return;
        }
        faults.clear(fault);
    }

    public void clearFaults() {
        for (Fault f : List.copyOf(apiFaults.keySet())) {
            clear(f);
        }
        faults.clearAll();
    }

    public List<Fault> activeFaults() {
        List<Fault> all = new ArrayList<>(faults.active());
        all.addAll(apiFaults.keySet());
        return List.copyOf(all);
    }

    /**
     * The CLI's and the GUI's {@code --fault}: waits until the fleet is up, injects the faults, then waits
     * until each shows on the cluster (a CrashLoopBackOff pod, an ImagePullBackOff, nats-0 not Ready...),
     * so what follows sees the fault rather than a fleet still starting. False on timeout.
     */
    public boolean injectOnceReady(List<Fault> toInject, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!awaitFleetReady(timeout)) {
            return false;
        }
        for (Fault f : toInject) {
            inject(f);
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        return await(c -> toInject.stream().allMatch(f -> faults.evident(f)), left);
    }

    /**
     * Waits until a condition on the cluster holds, re-checking on every change the sandbox's informers
     * see (not on a timer). Returns false on timeout.
     */
    public boolean await(Predicate<KubernetesClient> condition, Duration timeout) throws InterruptedException {
        return changes.await(() -> condition.test(client), timeout);
    }

    /** Waits until every Deployment and StatefulSet of the fleet is fully ready and every Job finished. */
    public boolean awaitFleetReady(Duration timeout) throws InterruptedException {
        return await(c -> FleetReadiness.ready(c, profile.namespace()), timeout);
    }

    /** Runs an action in the background once a condition holds (or gives up after a while, doing nothing). */
    private void whenever(Predicate<KubernetesClient> condition, Runnable action) {
        Thread waiter = new Thread(() -> {
            try {
                if (await(condition, Duration.ofSeconds(120))) {
                    action.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A step of a sandbox fault failed", e);
            }
        }, "sandbox-fault-step");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Writes a kubeconfig with one context, {@value #CONTEXT_NAME}, so other processes connect like to any cluster. */
    public Path writeKubeconfig(Path file) {
        return writeKubeconfig(file, SandboxUser.ADMIN);
    }

    /** The same, as one of the sandbox's users. */
    public Path writeKubeconfig(Path file, SandboxUser user) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sandbox
                  cluster:
                    server: %s
                contexts:
                - name: %s
                  context:
                    cluster: sandbox
                    user: %s
                    namespace: %s
                current-context: %s
                users:
                - name: %s
                  user:
                    token: %s
                """.formatted(api.url(), CONTEXT_NAME, user.userName(), profile.namespace(), CONTEXT_NAME, user.userName(), user.token());
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the sandbox kubeconfig to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stops everything it started: no processes, threads or temporary files are left behind. */
    @Override
    public void close() {
        // Every step runs even if one before it fails: a half-closed sandbox would keep the JVM alive
        // (Vert.x threads) or leave nats-server behind.
        List<Runnable> steps = List.of(
                () -> {
                    if (trickle != null) {
                        trickle.close();
                    }
                },
                () -> informers.forEach(SharedIndexInformer::close),
                changes::close,
                loop::close,
                kubelet::close,
                orchestrators::close,
                events::close,
                client::close,
                api::close,
                () -> SandboxApiServer.await(vertx.close(), "stop the sandbox's event loop"),
                () -> nats.ifPresent(NatsServerProcess::stop),
                () -> registry.ifPresent(RegistryProcess::stop));
        RuntimeException first = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A step of stopping the sandbox failed; going on with the others", e);
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
