package fleet.console.sandbox.kubelet;

import fleet.console.sandbox.events.EventRecorder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The simulated kubelet of the sandbox's node(s): takes pods bound to its node through the states a
 * real one shows (ContainerCreating, image pulls with ErrImagePull/ImagePullBackOff, config errors,
 * Running, readiness, crash loops with growing back-off and the previous run kept, Completed jobs,
 * graceful termination) and reports them in pod status and Events. Each container runs a
 * {@link ContainerProgram} that writes its log. All state lives on one thread.
 */
public final class Kubelet implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Kubelet.class.getName());
    /** Kubernetes backs off 10 s doubling to 5 min; the sandbox keeps the doubling at a demo's pace. */
    static final Duration CRASH_BACKOFF_START = Duration.ofMillis(800);
    static final Duration CRASH_BACKOFF_MAX = Duration.ofSeconds(8);
    static final Duration PULL_BACKOFF_START = Duration.ofMillis(800);
    static final Duration PULL_BACKOFF_MAX = Duration.ofSeconds(8);
    static final Duration CONFIG_RETRY = Duration.ofMillis(1500);
    static final Duration GRACE = Duration.ofMillis(400);

    private final KubernetesClient client;
    private final EventRecorder events;
    private final Clock clock;
    private final ProgramCatalog programs;
    private final ImagePolicy images;
    private final Set<String> nodes;
    private final LogStore logs;
    private final ScheduledThreadPoolExecutor thread;
    private final ExecutorService blocking;
    private final Map<String, PodRun> pods = new HashMap<>();
    private final Map<String, ContainerView> views = new ConcurrentHashMap<>();
    private final Set<String> pulled = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ips = new AtomicInteger(10);
    private volatile boolean closed;

    public Kubelet(KubernetesClient client, EventRecorder events, Clock clock, ProgramCatalog programs,
                   ImagePolicy images, Set<String> nodes, LogStore logs) {
        this.client = client;
        this.events = events;
        this.clock = clock;
        this.programs = programs;
        this.images = images;
        this.nodes = Set.copyOf(nodes);
        this.logs = logs;
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sandbox-kubelet");
            t.setDaemon(true);
            return t;
        });
        this.thread.setRemoveOnCancelPolicy(true);
        this.blocking = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sandbox-kubelet-io");
            t.setDaemon(true);
            return t;
        });
    }

    public LogStore logs() {
        return logs;
    }

    /** What the log endpoint needs to know about a pod this kubelet runs. */
    public Optional<ContainerView> view(String namespace, String pod) {
        return Optional.ofNullable(views.get(namespace + "/" + pod));
    }

    /** A pod was added or changed (informer callback). */
    public void observe(Pod pod) {
        run(() -> onPod(pod));
    }

    /** A pod is gone from the API (informer callback). */
    public void forget(Pod pod) {
        run(() -> onGone(pod));
    }

    /**
     * Runs a command in a running container, as {@code kubectl exec} does: the container's program
     * answers on the kubelet's thread. Fails, with the message the API gives, when the pod is not on
     * this node or the container is not running.
     *
     * @param container null: the pod's first container
     */
    public java.util.concurrent.CompletableFuture<ExecResult> exec(String namespace, String pod, String container,
                                                                   List<String> command) {
        java.util.concurrent.CompletableFuture<ExecResult> result = new java.util.concurrent.CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("the node is shutting down"));
            return result;
        }
        thread.execute(() -> {
            try {
                PodRun p = pods.values().stream()
                        .filter(r -> r.namespace.equals(namespace) && r.name.equals(pod) && !r.gone)
                        .findFirst().orElse(null);
                if (p == null) {
                    throw new IllegalStateException("pod " + pod + " does not exist");
                }
                ContainerRun c = container == null || container.isEmpty()
                        ? p.containers.values().iterator().next() : p.containers.get(container);
                if (c == null) {
                    throw new IllegalStateException("container " + container + " is not valid for pod " + pod);
                }
                if (c.state != State.RUNNING || c.context == null || p.terminating) {
                    throw new IllegalStateException("unable to upgrade connection: container not found (\"" + c.name + "\")");
                }
                result.complete(c.context.program.exec(List.copyOf(command), c.context));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Kills the running containers that match, as an OOM killer or a crashed process would: they exit
     * with an error and the restart policy takes over. Faults use it to make running services fail.
     */
    public void kill(Predicate<Container> which, int exitCode, String reason) {
        run(() -> {
            for (PodRun p : List.copyOf(pods.values())) {
                for (ContainerRun c : p.containers.values()) {
                    if (c.state == State.RUNNING && which.test(c.spec) && !p.terminating) {
                        c.exited(exitCode, reason);
                    }
                }
            }
        });
    }

    /**
     * The node reboots under the matching pods: their containers are gone without a trace, so the runtime
     * reports them as ContainerStatusUnknown (exit code 137) and nothing restarts them until the pods are
     * replaced. The node records a Rebooted event, as after a real reboot.
     */
    public void reboot(Predicate<Pod> which) {
        run(() -> {
            java.util.Set<String> rebooted = new java.util.LinkedHashSet<>();
            for (PodRun p : List.copyOf(pods.values())) {
                if (p.terminating || !which.test(p.pod)) {
                    continue;
                }
                p.cancelTimers();
                for (ContainerRun c : p.containers.values()) {
                    c.stopProgram();
                    c.lost();
                }
                p.dirty();
                rebooted.add(p.node());
            }
            for (String nodeName : rebooted) {
                io.fabric8.kubernetes.api.model.Node node = client.nodes().withName(nodeName).get();
                if (node != null) {
                    events.record(node, null, EventRecorder.Source.kubelet(nodeName), "Warning", "Rebooted",
                            "Node " + nodeName + " has been rebooted, boot id: " + java.util.UUID.randomUUID());
                }
            }
        });
    }

    private void run(Runnable task) {
        if (closed) {
            return;
        }
        thread.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Simulated kubelet step failed", e);
            }
        });
    }

    private ScheduledFuture<?> later(Duration delay, Runnable task) {
        if (closed) {
            return null;
        }
        return thread.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Simulated kubelet step failed", e);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onPod(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getNodeName() == null || !nodes.contains(pod.getSpec().getNodeName())) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        PodRun run = pods.get(uid);
        if (run == null) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                return;
            }
            run = new PodRun(pod);
            pods.put(uid, run);
            run.begin();
        } else {
            run.pod = pod;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null && !run.terminating) {
            run.terminate();
        }
    }

    private void onGone(Pod pod) {
        PodRun run = pods.remove(pod.getMetadata().getUid());
        if (run != null) {
            run.containers.values().forEach(ContainerRun::stopProgram);
            run.cancelTimers();
        }
        views.remove(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
        logs.remove(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    private enum State { WAITING, RUNNING, TERMINATED }

    /** One pod on this node. */
    private final class PodRun {
        final String uid;
        final String namespace;
        final String name;
        Pod pod;
        final Map<String, ContainerRun> containers = new LinkedHashMap<>();
        final String podIp;
        Instant startTime;
        boolean terminating;
        boolean gone;
        ScheduledFuture<?> flush;
        final List<ScheduledFuture<?>> timers = new ArrayList<>();

        PodRun(Pod pod) {
            this.pod = pod;
            this.uid = pod.getMetadata().getUid();
            this.namespace = pod.getMetadata().getNamespace();
            this.name = pod.getMetadata().getName();
            this.podIp = "10.244.0." + (ips.getAndIncrement() % 250 + 2);
            for (Container c : pod.getSpec().getContainers()) {
                containers.put(c.getName(), new ContainerRun(this, c));
            }
        }

        String node() {
            return pod.getSpec().getNodeName();
        }

        String restartPolicy() {
            return pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        }

        void begin() {
            startTime = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            containers.values().forEach(c -> c.waiting("ContainerCreating", null));
            dirty();
            schedule(Duration.ofMillis(60), this::mountVolumes);
        }

        void schedule(Duration delay, Runnable task) {
            ScheduledFuture<?> f = later(delay, () -> {
                if (!gone && !terminating) {
                    task.run();
                }
            });
            if (f != null) {
                timers.removeIf(ScheduledFuture::isDone);
                timers.add(f);
            }
        }

        void cancelTimers() {
            timers.forEach(t -> t.cancel(false));
            timers.clear();
        }

        /** Volumes first, as the kubelet does: a missing ConfigMap volume keeps the pod in ContainerCreating. */
        void mountVolumes() {
            for (Volume v : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
                String missing = null;
                if (v.getConfigMap() != null && !Boolean.TRUE.equals(v.getConfigMap().getOptional())
                        && configMap(namespace, v.getConfigMap().getName()) == null) {
                    missing = "configmap \"" + v.getConfigMap().getName() + "\" not found";
                } else if (v.getSecret() != null && !Boolean.TRUE.equals(v.getSecret().getOptional())
                        && secret(namespace, v.getSecret().getSecretName()) == null) {
                    missing = "secret \"" + v.getSecret().getSecretName() + "\" not found";
                }
                if (missing != null) {
                    events.record(pod, null, EventRecorder.Source.kubelet(node()), "Warning", "FailedMount",
                            "MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + missing);
                    schedule(CONFIG_RETRY, this::mountVolumes);
                    return;
                }
            }
            containers.values().forEach(ContainerRun::prepare);
        }

        void terminate() {
            terminating = true;
            cancelTimers();
            boolean anyRunning = false;
            for (ContainerRun c : containers.values()) {
                if (c.state == State.RUNNING) {
                    anyRunning = true;
                    events.container(pod, c.name, "Normal", "Killing", "Stopping container " + c.name, node());
                    c.programStop();
                }
            }
            Duration grace = anyRunning ? GRACE : Duration.ofMillis(20);
            later(grace, () -> {
                for (ContainerRun c : containers.values()) {
                    if (c.state == State.RUNNING) {
                        c.terminated(0, "Completed");
                    }
                    c.stopProgram();
                }
                flushNow();
                blocking.execute(() -> {
                    try {
                        client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
                    } catch (KubernetesClientException e) {
                        LOG.log(Level.FINE, "Pod " + name + " was already gone", e);
                    }
                });
            });
        }

        void dirty() {
            publishView();
            if (flush == null || flush.isDone()) {
                flush = later(Duration.ofMillis(25), this::flushNow);
            }
        }

        void publishView() {
            List<String> names = new ArrayList<>(containers.keySet());
            List<String> waiting = containers.values().stream()
                    .map(c -> c.everStarted ? null : c.waitingReason == null ? "ContainerCreating" : c.waitingReason).toList();
            views.put(namespace + "/" + name, new ContainerView(namespace, name, uid, names, waiting));
        }

        void flushNow() {
            if (gone) {
                return;
            }
            try {
                Pod fresh = client.pods().inNamespace(namespace).withName(name).get();
                if (fresh == null || !uid.equals(fresh.getMetadata().getUid())) {
                    return;
                }
                fresh.setStatus(status(fresh.getStatus()));
                client.pods().inNamespace(namespace).resource(fresh).updateStatus();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    dirty();
                } else if (e.getCode() != 404) {
                    LOG.log(Level.FINE, "Status of " + name + " not written", e);
                }
            }
        }

        PodStatus status(PodStatus previous) {
            String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
            List<ContainerStatus> statuses = new ArrayList<>();
            for (ContainerRun c : containers.values()) {
                statuses.add(c.status());
            }
            boolean allReady = containers.values().stream().allMatch(c -> c.state == State.RUNNING && c.ready);
            boolean anyRunning = containers.values().stream().anyMatch(c -> c.state == State.RUNNING);
            boolean allTerminated = containers.values().stream().allMatch(c -> c.state == State.TERMINATED);
            boolean allSucceeded = allTerminated && containers.values().stream().allMatch(c -> c.exitCode == 0);
            boolean restarts = !"Never".equals(restartPolicy());
            String phase;
            if (allTerminated && !restarts && !terminating) {
                phase = allSucceeded ? "Succeeded" : "Failed";
            } else if (allTerminated && "OnFailure".equals(restartPolicy()) && allSucceeded && !terminating) {
                phase = "Succeeded";
            } else if (anyRunning || containers.values().stream().anyMatch(c -> c.everStarted)) {
                phase = "Running";
            } else {
                phase = "Pending";
            }
            boolean finished = "Succeeded".equals(phase) || "Failed".equals(phase);
            List<PodCondition> conditions = new ArrayList<>();
            PodCondition scheduled = previous == null || previous.getConditions() == null ? null
                    : previous.getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
            conditions.add(cond(previous, "PodReadyToStartContainers", finished ? "False" : "True", null, now));
            conditions.add(cond(previous, "Initialized", "True", finished ? "PodCompleted" : null, now));
            String readyStatus = allReady && !finished ? "True" : "False";
            String readyReason = finished ? "PodCompleted" : allReady ? null : "ContainersNotReady";
            String readyMessage = allReady || finished ? null : "containers with unready status: ["
                    + String.join(" ", containers.values().stream().filter(c -> !(c.state == State.RUNNING && c.ready)).map(c -> c.name).toList()) + "]";
            conditions.add(withMessage(cond(previous, "ContainersReady", readyStatus, readyReason, now), readyMessage));
            conditions.add(withMessage(cond(previous, "Ready", readyStatus, readyReason, now), readyMessage));
            if (scheduled != null) {
                conditions.add(scheduled);
            }
            PodStatus status = new PodStatus();
            status.setPhase(phase);
            status.setConditions(conditions);
            status.setHostIP("10.0.0.10");
            status.setPodIP(podIp);
            status.setStartTime(startTime.toString());
            status.setContainerStatuses(statuses);
            status.setQosClass(previous == null ? "Burstable" : previous.getQosClass());
            return status;
        }
    }

    private static PodCondition cond(PodStatus previous, String type, String status, String reason, String now) {
        String transition = previous == null || previous.getConditions() == null ? now
                : previous.getConditions().stream().filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                        .map(PodCondition::getLastTransitionTime).findFirst().orElse(now);
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withLastTransitionTime(transition).build();
    }

    private static PodCondition withMessage(PodCondition c, String message) {
        c.setMessage(message);
        return c;
    }

    /** One container of a pod. */
    private final class ContainerRun {
        final PodRun pod;
        final Container spec;
        final String name;
        State state = State.WAITING;
        String waitingReason = "ContainerCreating";
        String waitingMessage;
        boolean everStarted;
        boolean ready;
        int restartCount;
        int exitCode;
        String containerId;
        String imageId = "";
        Instant startedAt;
        ContainerStateTerminated terminated;
        ContainerStateTerminated lastTerminated;
        Duration crashBackoff = CRASH_BACKOFF_START;
        Duration pullBackoff = PULL_BACKOFF_START;
        RunContext context;

        ContainerRun(PodRun pod, Container spec) {
            this.pod = pod;
            this.spec = spec;
            this.name = spec.getName();
        }

        void waiting(String reason, String message) {
            state = State.WAITING;
            waitingReason = reason;
            waitingMessage = message;
            ready = false;
            pod.dirty();
        }

        void event(String type, String reason, String message) {
            events.container(pod.pod, name, type, reason, message, pod.node());
        }

        /** Environment references first: a missing ConfigMap or key is CreateContainerConfigError. */
        void prepare() {
            Optional<String> problem = configProblem();
            if (problem.isPresent()) {
                waiting("CreateContainerConfigError", problem.get());
                event("Warning", "Failed", "Error: " + problem.get());
                pod.schedule(CONFIG_RETRY, this::prepare);
                return;
            }
            pull();
        }

        Optional<String> configProblem() {
            for (EnvFromSource from : Optional.ofNullable(spec.getEnvFrom()).orElse(List.of())) {
                if (from.getConfigMapRef() != null && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())
                        && configMap(pod.namespace, from.getConfigMapRef().getName()) == null) {
                    return Optional.of("configmap \"" + from.getConfigMapRef().getName() + "\" not found");
                }
                if (from.getSecretRef() != null && !Boolean.TRUE.equals(from.getSecretRef().getOptional())
                        && secret(pod.namespace, from.getSecretRef().getName()) == null) {
                    return Optional.of("secret \"" + from.getSecretRef().getName() + "\" not found");
                }
            }
            for (EnvVar env : Optional.ofNullable(spec.getEnv()).orElse(List.of())) {
                if (env.getValueFrom() == null) {
                    continue;
                }
                var cmRef = env.getValueFrom().getConfigMapKeyRef();
                if (cmRef != null && !Boolean.TRUE.equals(cmRef.getOptional())) {
                    ConfigMap cm = configMap(pod.namespace, cmRef.getName());
                    if (cm == null) {
                        return Optional.of("configmap \"" + cmRef.getName() + "\" not found");
                    }
                    if (cm.getData() == null || !cm.getData().containsKey(cmRef.getKey())) {
                        return Optional.of("couldn't find key " + cmRef.getKey() + " in ConfigMap " + pod.namespace + "/" + cmRef.getName());
                    }
                }
                var secretRef = env.getValueFrom().getSecretKeyRef();
                if (secretRef != null && !Boolean.TRUE.equals(secretRef.getOptional())) {
                    Secret s = secret(pod.namespace, secretRef.getName());
                    if (s == null) {
                        return Optional.of("secret \"" + secretRef.getName() + "\" not found");
                    }
                    boolean has = s.getData() != null && s.getData().containsKey(secretRef.getKey())
                            || s.getStringData() != null && s.getStringData().containsKey(secretRef.getKey());
                    if (!has) {
                        return Optional.of("couldn't find key " + secretRef.getKey() + " in Secret " + pod.namespace + "/" + secretRef.getName());
                    }
                }
            }
            return Optional.empty();
        }

        void pull() {
            String image = spec.getImage();
            boolean always = "Always".equals(spec.getImagePullPolicy())
                    || spec.getImagePullPolicy() == null && (image.endsWith(":latest") || !image.substring(image.lastIndexOf('/') + 1).contains(":"));
            if (!always && pulled.contains(image)) {
                event("Normal", "Pulled", "Container image \"" + image + "\" already present on machine");
                create();
                return;
            }
            event("Normal", "Pulling", "Pulling image \"" + image + "\"");
            long took = 120 + ThreadLocalRandom.current().nextInt(180);
            Instant began = clock.instant();
            pod.schedule(Duration.ofMillis(took), () -> blocking.execute(() -> {
                Optional<String> error;
                try {
                    error = images.pullError(image);
                } catch (RuntimeException e) {
                    error = Optional.of("rpc error: code = Unknown desc = " + e.getMessage());
                }
                Optional<String> result = error;
                run(() -> {
                    if (pod.gone || pod.terminating) {
                        return;
                    }
                    if (result.isPresent()) {
                        pullFailed(image, result.get());
                    } else {
                        pulled.add(image);
                        long ms = Math.max(took, Duration.between(began, clock.instant()).toMillis());
                        event("Normal", "Pulled", "Successfully pulled image \"" + image + "\" in " + ms + "ms (" + ms
                                + "ms including waiting). Image size: " + (80_000_000 + Math.abs(image.hashCode() % 400_000_000)) + " bytes.");
                        pullBackoff = PULL_BACKOFF_START;
                        create();
                    }
                });
            }));
        }

        void pullFailed(String image, String error) {
            event("Warning", "Failed", "Failed to pull image \"" + image + "\": " + error);
            event("Warning", "Failed", "Error: ErrImagePull");
            waiting("ErrImagePull", "failed to pull and unpack image \"" + image + "\": " + error);
            Duration wait = pullBackoff;
            pullBackoff = min(pullBackoff.multipliedBy(2), PULL_BACKOFF_MAX);
            pod.schedule(Duration.ofMillis(Math.min(300, wait.toMillis() / 2)), () -> {
                waiting("ImagePullBackOff", "Back-off pulling image \"" + image + "\"");
                event("Normal", "BackOff", "Back-off pulling image \"" + image + "\"");
                event("Warning", "Failed", "Error: ImagePullBackOff");
                pod.schedule(wait, this::pull);
            });
        }

        void create() {
            event("Normal", "Created", "Created container " + name);
            state = State.RUNNING;
            waitingReason = null;
            waitingMessage = null;
            everStarted = true;
            terminated = null;
            startedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            containerId = "containerd://" + hex64();
            imageId = imageId(spec.getImage());
            ready = spec.getReadinessProbe() == null;
            LogStore.Run log = logs.container(pod.namespace, pod.name, name).newRun();
            context = new RunContext(this, log);
            event("Normal", "Started", "Started container " + name);
            pod.dirty();
            try {
                context.program.start(context);
            } catch (RuntimeException e) {
                context.log("panic: " + e);
                exited(2, "Error");
            }
        }

        void exited(int code, String reason) {
            if (state != State.RUNNING) {
                return;
            }
            terminated(code, reason);
            stopProgram();
            boolean restart = "Always".equals(pod.restartPolicy()) || "OnFailure".equals(pod.restartPolicy()) && code != 0;
            if (!restart || pod.terminating) {
                pod.dirty();
                return;
            }
            // The dead container counts as a restart at once, as the kubelet counts them; its log becomes
            // what --previous shows.
            boolean first = restartCount == 0;
            restartCount++;
            logs.container(pod.namespace, pod.name, name).restarting();
            if (first) {
                // The first restart comes at once; the back-off starts after it.
                pod.schedule(Duration.ofMillis(150), this::restart);
                return;
            }
            Duration wait = crashBackoff;
            crashBackoff = min(crashBackoff.multipliedBy(2), CRASH_BACKOFF_MAX);
            // The terminated state is visible for a moment, then the back-off, as `kubectl get pods -w` shows it.
            pod.schedule(Duration.ofMillis(150), () -> {
                lastTerminated = terminated;
                waiting("CrashLoopBackOff", "back-off " + goDuration(wait) + " restarting failed container=" + name
                        + " pod=" + pod.name + "_" + pod.namespace + "(" + pod.uid + ")");
                event("Warning", "BackOff", "Back-off restarting failed container " + name + " in pod "
                        + pod.name + "_" + pod.namespace + "(" + pod.uid + ")");
                pod.schedule(wait, this::restart);
            });
        }

        /** The container vanished with its node's reboot: its status is unknown, and it is not restarted. */
        void lost() {
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            if (state == State.RUNNING || terminated == null) {
                terminated = new ContainerStateTerminatedBuilder()
                        .withExitCode(137)
                        .withReason("ContainerStatusUnknown")
                        .withMessage("The container could not be located when the pod was terminated")
                        .withStartedAt(startedAt == null ? now.toString() : startedAt.toString())
                        .withFinishedAt(now.toString())
                        .build();
            }
            exitCode = 137;
            ready = false;
            state = State.TERMINATED;
            everStarted = true;
            if (context != null) {
                context.log.end();
            }
        }

        void restart() {
            lastTerminated = terminated;
            terminated = null;
            event("Normal", "Pulled", "Container image \"" + spec.getImage() + "\" already present on machine");
            create();
        }

        void terminated(int code, String reason) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            exitCode = code;
            ready = false;
            state = State.TERMINATED;
            terminated = new ContainerStateTerminatedBuilder()
                    .withExitCode(code)
                    .withReason(reason)
                    .withStartedAt(startedAt == null ? now.toString() : startedAt.toString())
                    .withFinishedAt(now.toString())
                    .withContainerID(containerId)
                    .withSignal("OOMKilled".equals(reason) ? 9 : null)
                    .build();
            if (context != null) {
                context.log.end();
            }
            pod.dirty();
        }

        void programStop() {
            if (context != null && context.alive) {
                try {
                    context.program.stop(context);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "Program stop failed", e);
                }
            }
        }

        void stopProgram() {
            if (context != null && context.alive) {
                context.alive = false;
                context.cancel();
                try {
                    context.program.released();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "Program release failed", e);
                }
            }
        }

        ContainerStatus status() {
            ContainerState current;
            if (state == State.RUNNING) {
                current = new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt.toString()).endRunning().build();
            } else if (state == State.TERMINATED && terminated != null) {
                current = new ContainerStateBuilder().withTerminated(terminated).build();
            } else {
                current = new ContainerStateBuilder().withNewWaiting().withReason(waitingReason).withMessage(waitingMessage).endWaiting().build();
            }
            ContainerState last = lastTerminated == null ? new ContainerState()
                    : new ContainerStateBuilder().withTerminated(lastTerminated).build();
            return new ContainerStatusBuilder()
                    .withName(name)
                    .withImage(spec.getImage())
                    .withImageID(imageId)
                    .withContainerID(state == State.WAITING && !everStarted ? null : containerId)
                    .withReady(state == State.RUNNING && ready)
                    .withStarted(state == State.RUNNING)
                    .withRestartCount(restartCount)
                    .withState(current)
                    .withLastState(last)
                    .build();
        }
    }

    /** The context a program runs in; dead once its container stops, so late timers do nothing. */
    private final class RunContext implements ProgramContext {
        final ContainerRun container;
        final LogStore.Run log;
        final ContainerProgram program;
        final List<ScheduledFuture<?>> timers = new ArrayList<>();
        volatile boolean alive = true;
        Map<String, String> environment;

        RunContext(ContainerRun container, LogStore.Run log) {
            this.container = container;
            this.log = log;
            this.program = programs.programFor(container.pod.pod, container.spec);
        }

        @Override
        public Pod pod() {
            return container.pod.pod;
        }

        @Override
        public Container container() {
            return container.spec;
        }

        @Override
        public int restartCount() {
            return container.restartCount;
        }

        @Override
        public Map<String, String> environment() {
            if (environment == null) {
                environment = resolveEnvironment(container.pod.namespace, container.spec);
            }
            return environment;
        }

        @Override
        public void log(String line) {
            log.append(new LogStore.Line(clock.instant(), line));
        }

        @Override
        public void after(Duration delay, Runnable action) {
            if (!alive) {
                return;
            }
            ScheduledFuture<?> f = later(delay, () -> {
                if (alive) {
                    action.run();
                }
            });
            if (f != null) {
                timers.removeIf(ScheduledFuture::isDone);
                timers.add(f);
            }
        }

        @Override
        public void every(Duration period, Runnable action) {
            after(period, () -> {
                action.run();
                every(period, action);
            });
        }

        @Override
        public <T> void blocking(Supplier<T> work, Consumer<T> then, Consumer<Throwable> failed) {
            blocking.execute(() -> {
                T result;
                try {
                    result = work.get();
                } catch (RuntimeException e) {
                    run(() -> {
                        if (alive) {
                            failed.accept(e);
                        }
                    });
                    return;
                }
                run(() -> {
                    if (alive) {
                        then.accept(result);
                    }
                });
            });
        }

        @Override
        public void ready(boolean value) {
            if (alive && container.ready != value) {
                container.ready = value;
                container.pod.dirty();
            }
        }

        @Override
        public void readinessFailed(String message) {
            if (!alive) {
                return;
            }
            ready(false);
            container.event("Warning", "Unhealthy", "Readiness probe failed: " + message);
        }

        @Override
        public void exit(int exitCode, String reason) {
            if (alive) {
                container.exited(exitCode, reason);
            }
        }

        @Override
        public boolean running() {
            return alive;
        }

        void cancel() {
            timers.forEach(t -> t.cancel(false));
            timers.clear();
        }
    }

    private Map<String, String> resolveEnvironment(String namespace, Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
            if (from.getConfigMapRef() != null) {
                ConfigMap cm = configMap(namespace, from.getConfigMapRef().getName());
                if (cm != null && cm.getData() != null) {
                    env.putAll(cm.getData());
                }
            }
            if (from.getSecretRef() != null) {
                Secret s = secret(namespace, from.getSecretRef().getName());
                if (s != null && s.getData() != null) {
                    s.getData().forEach((k, v) -> env.put(k, decode(v)));
                }
            }
        }
        for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
            if (e.getValueFrom() == null) {
                env.put(e.getName(), e.getValue() == null ? "" : e.getValue());
            } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
                ConfigMap cm = configMap(namespace, e.getValueFrom().getConfigMapKeyRef().getName());
                if (cm != null && cm.getData() != null && cm.getData().get(e.getValueFrom().getConfigMapKeyRef().getKey()) != null) {
                    env.put(e.getName(), cm.getData().get(e.getValueFrom().getConfigMapKeyRef().getKey()));
                }
            } else if (e.getValueFrom().getSecretKeyRef() != null) {
                Secret s = secret(namespace, e.getValueFrom().getSecretKeyRef().getName());
                if (s != null && s.getData() != null && s.getData().get(e.getValueFrom().getSecretKeyRef().getKey()) != null) {
                    env.put(e.getName(), decode(s.getData().get(e.getValueFrom().getSecretKeyRef().getKey())));
                }
            }
        }
        return env;
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return base64;
        }
    }

    private ConfigMap configMap(String namespace, String name) {
        return client.configMaps().inNamespace(namespace).withName(name).get();
    }

    private Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    /** A duration as Go prints it, which is how the kubelet's messages show it ({@code 800ms}, {@code 1.6s}, {@code 10s}). */
    static String goDuration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 1000 == 0) {
            return (ms / 1000) + "s";
        }
        return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String hex64() {
        StringBuilder out = new StringBuilder(64);
        for (int i = 0; i < 4; i++) {
            out.append(String.format("%016x", ThreadLocalRandom.current().nextLong()));
        }
        return out.toString();
    }

    private static String imageId(String image) {
        String repo = image.contains("@") ? image.substring(0, image.indexOf('@'))
                : image.lastIndexOf(':') > image.lastIndexOf('/') ? image.substring(0, image.lastIndexOf(':')) : image;
        String digest = String.format("%016x%016x%016x%016x", (long) image.hashCode() * 31, (long) repo.hashCode() * 17,
                (long) image.length() * 1_000_003L, (long) image.hashCode() ^ 0x5bd1e995L);
        return repo + "@sha256:" + digest;
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        blocking.shutdownNow();
    }
}
