package fleet.console.sandbox;

import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;
import fleet.console.sandbox.controllers.PodFacts;
import fleet.console.sandbox.fleet.FleetWorld;
import fleet.console.sandbox.fleet.NatsSurgery;
import fleet.console.sandbox.kubelet.Kubelet;
import fleet.console.sandbox.nats.NatsServerProcess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Makes the runbook's troubleshooting cases happen in the sandbox, and undoes them. Each fault changes
 * the cluster the way the real cause would (an image tag no registry has, a deleted ConfigMap, a
 * workload asking for a GPU, a stopped NATS server) so the console sees real evidence, not a flag.
 */
final class FaultInjector {

    static final String MISSING_STORAGE_CLASS = "fast-ssd";
    static final String TAINT_KEY = "dedicated";
    static final String WRONG_PROBE_PATH = "/healthz";

    private final KubernetesClient client;
    private final FleetProfile profile;
    private final FleetWorld world;
    private final Kubelet kubelet;
    private final Optional<NatsServerProcess> nats;
    private final Clock clock;
    private final Map<Fault, Runnable> undo = new LinkedHashMap<>();
    private final BiConsumer<Predicate<KubernetesClient>, Runnable> when;

    /**
     * @param when runs an action once a condition on the cluster holds (in the background, woken by the
     *             sandbox's informers), for faults that unfold in steps
     */
    FaultInjector(KubernetesClient client, FleetProfile profile, FleetWorld world, Kubelet kubelet,
                  Optional<NatsServerProcess> nats, Clock clock, BiConsumer<Predicate<KubernetesClient>, Runnable> when) {
        this.when = when;
        this.client = client;
        this.profile = profile;
        this.world = world;
        this.kubelet = kubelet;
        this.nats = nats;
        this.clock = clock;
    }

    synchronized List<Fault> active() {
        return List.copyOf(undo.keySet());
    }

    synchronized void inject(Fault fault) {
        if (undo.containsKey(fault)) {
            return;
        }
        Runnable reverse = switch (fault.kind()) {
            case CRASH -> crash(service(fault));
            case BAD_IMAGE -> badImage(service(fault), fault.target().endsWith(":path"));
            case MISSING_CONFIGMAP -> missingConfigMap(fault.target());
            case NATS_DOWN -> natsDown();
            case UNSCHEDULABLE -> unschedulable(fault.target());
            case DOUBLE_BIND -> doubleBind(service(fault));
            case OOM -> outOfMemory(service(fault));
            case IMPORT_ERROR -> flawedImage(pythonService(fault), FleetWorld.ImageFlaw.IMPORT_ERROR);
            case WRONG_TAG -> flawedImage(pythonService(fault), FleetWorld.ImageFlaw.OLD_BUILD);
            case PVC_UNBOUND -> unboundClaim(service(fault));
            case TAINT -> taintNodes(service(fault));
            case NODE_SELECTOR -> nodeSelector(service(fault));
            case READINESS -> readinessPath(pythonService(fault));
            case STATUS_UNKNOWN -> reboot(service(fault));
            case JOB_BACKOFF -> failingJob(service(fault));
            case MISSING_DURABLE -> missingDurable(subscribingService(fault));
            case WRONG_FILTER -> wrongFilter(subscribingService(fault));
            case MISSING_STREAM -> missingStream(fault.target());
            case STALLED_CONSUMER -> stalled(subscribingService(fault));
            case API_DOWN, API_SLOW -> throw new IllegalArgumentException(fault + " is the API server's, handled by the Sandbox");
        };
        undo.put(fault, reverse);
    }

    synchronized void clear(Fault fault) {
        Runnable reverse = undo.remove(fault);
        if (reverse != null) {
            reverse.run();
        }
    }

    synchronized void clearAll() {
        for (Fault f : new ArrayList<>(undo.keySet())) {
            clear(f);
        }
    }

    /** Whether the fault's effect shows on the cluster yet, as an operator would see it. */
    boolean evident(Fault fault) {
        String namespace = profile.namespace();
        if (EVIDENT_AT_ONCE.contains(fault.kind())) {
            // Changes on the NATS server: done by the time inject returns.
            return true;
        }
        if (fault.kind() == FaultKind.JOB_BACKOFF) {
            var job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName(fault.target())).get();
            return job != null && job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions().stream()
                    .anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()));
        }
        if (fault.kind() == FaultKind.NATS_DOWN) {
            return pods(profile.service("nats").orElse(null)).stream().anyMatch(p -> !PodFacts.isReady(p));
        }
        String target = fault.target().split(":", 2)[0];
        Optional<ServiceSpec> service = profile.service(target);
        if (service.isEmpty()) {
            return fault.kind() == FaultKind.MISSING_CONFIGMAP && client.configMaps().inNamespace(namespace).withName(target).get() == null;
        }
        List<Pod> pods = pods(service.get());
        return switch (fault.kind()) {
            case CRASH, DOUBLE_BIND -> pods.stream().anyMatch(p -> waiting(p, "CrashLoopBackOff"));
            case BAD_IMAGE -> pods.stream().anyMatch(p -> waiting(p, "ImagePullBackOff") || waiting(p, "ErrImagePull"));
            case MISSING_CONFIGMAP -> pods.stream().anyMatch(p -> waiting(p, "CreateContainerConfigError"))
                    || client.v1().events().inNamespace(namespace).list().getItems().stream().anyMatch(e -> "FailedMount".equals(e.getReason())
                    && pods.stream().anyMatch(p -> p.getMetadata().getName().equals(e.getInvolvedObject().getName())));
            case UNSCHEDULABLE, PVC_UNBOUND, TAINT, NODE_SELECTOR -> pods.stream().anyMatch(p -> p.getStatus() != null
                    && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                    .anyMatch(c -> "PodScheduled".equals(c.getType()) && "Unschedulable".equals(c.getReason())));
            case IMPORT_ERROR, WRONG_TAG -> pods.stream().anyMatch(p -> waiting(p, "CrashLoopBackOff"));
            case READINESS -> pods.stream().anyMatch(p -> running(p) && !PodFacts.isReady(p))
                    && client.v1().events().inNamespace(namespace).list().getItems().stream().anyMatch(e -> "Unhealthy".equals(e.getReason())
                    && pods.stream().anyMatch(p -> p.getMetadata().getName().equals(e.getInvolvedObject().getName())));
            case STATUS_UNKNOWN -> pods.stream().anyMatch(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                    && p.getStatus().getContainerStatuses().stream().anyMatch(c -> c.getState() != null && c.getState().getTerminated() != null
                    && "ContainerStatusUnknown".equals(c.getState().getTerminated().getReason())));
            case NATS_DOWN, API_DOWN, API_SLOW, JOB_BACKOFF, MISSING_DURABLE, WRONG_FILTER, MISSING_STREAM, STALLED_CONSUMER -> true;
            case OOM -> pods.stream().anyMatch(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                    && p.getStatus().getContainerStatuses().stream().anyMatch(c -> c.getLastState() != null
                    && c.getLastState().getTerminated() != null && "OOMKilled".equals(c.getLastState().getTerminated().getReason())));
        };
    }

    private List<Pod> pods(ServiceSpec s) {
        if (s == null) {
            return List.of();
        }
        Optional<PodTemplateSpec> template = template(s);
        if (template.isEmpty()) {
            return List.of();
        }
        Map<String, String> labels = template.get().getMetadata().getLabels();
        return client.pods().inNamespace(profile.namespace()).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getMetadata().getLabels() != null && p.getMetadata().getLabels().entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    private static final java.util.Set<FaultKind> EVIDENT_AT_ONCE = java.util.EnumSet.of(FaultKind.MISSING_DURABLE, FaultKind.WRONG_FILTER,
            FaultKind.MISSING_STREAM, FaultKind.STALLED_CONSUMER);

    private static boolean running(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null && pod.getStatus().getContainerStatuses().stream()
                .anyMatch(c -> c.getState() != null && c.getState().getRunning() != null);
    }

    private static boolean waiting(Pod pod, String reason) {
        return pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null && pod.getStatus().getContainerStatuses().stream()
                .anyMatch(c -> c.getState() != null && c.getState().getWaiting() != null && reason.equals(c.getState().getWaiting().getReason()));
    }

    private ServiceSpec service(Fault fault) {
        return serviceNamed(fault.target().split(":", 2)[0]);
    }

    private ServiceSpec serviceNamed(String name) {
        Optional<ServiceSpec> s = profile.service(name);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("No service '" + name + "' in the fleet profile; choose one of: "
                    + String.join(", ", profile.services().stream().map(ServiceSpec::name).toList()) + ".");
        }
        if (template(s.get()).isEmpty()) {
            throw new IllegalArgumentException("Service '" + name + "' is not deployed in namespace " + profile.namespace() + ".");
        }
        return s.get();
    }

    private Runnable crash(ServiceSpec s) {
        world.setCrashing(s.name(), true);
        kubelet.kill(c -> c.getName().equals(s.container()), 1, "Error");
        return () -> {
            world.setCrashing(s.name(), false);
            restartPods(s);
        };
    }

    /**
     * A tag no registry has; with {@code :path}, the tag the profile deploys under the older manifests' path
     * ({@code swe-fleet/} for {@code swe-ai-fleet/}), which the build scripts never push to.
     */
    private Runnable badImage(ServiceSpec s, boolean otherPath) {
        String good = container(s).getImage();
        String repo = good.lastIndexOf(':') > good.lastIndexOf('/') ? good.substring(0, good.lastIndexOf(':')) : good;
        String bad = otherPath ? repo.replace("/swe-ai-fleet/", "/swe-fleet/") + ":" + s.tag() : repo + ":" + s.tag() + "-typo";
        if (bad.equals(good)) {
            throw new IllegalArgumentException("The image of " + s.name() + " (" + good + ") has no swe-ai-fleet/ path to mix up.");
        }
        // No registry has this image, before the fault or after it: it stays unpullable once the fault is
        // cleared, or a pod of the broken rollout retrying its pull then would cache it, and the same fault
        // injected again would break nothing.
        world.breakImage(bad);
        setImage(s, bad, "sandbox fault: image tag set to " + bad);
        return () -> setImage(s, good, "sandbox: image restored to " + good);
    }

    private Runnable missingConfigMap(String target) {
        String namespace = profile.namespace();
        ConfigMap victim = client.configMaps().inNamespace(namespace).withName(target).get();
        Optional<ServiceSpec> service = profile.service(target);
        if (victim == null) {
            ServiceSpec s = serviceNamed(target);
            String name = chooseConfigMap(s).orElseThrow(() -> new IllegalArgumentException(
                    "Service '" + target + "' reads no ConfigMap, so none can go missing."));
            victim = client.configMaps().inNamespace(namespace).withName(name).get();
            if (victim == null) {
                throw new IllegalArgumentException("ConfigMap '" + name + "' is already missing.");
            }
        }
        ConfigMap saved = Serialization.clone(victim);
        client.configMaps().inNamespace(namespace).withName(victim.getMetadata().getName()).delete();
        service.ifPresent(this::restartPods);
        return () -> {
            saved.getMetadata().setResourceVersion(null);
            saved.getMetadata().setUid(null);
            saved.getMetadata().setCreationTimestamp(null);
            if (client.configMaps().inNamespace(namespace).withName(saved.getMetadata().getName()).get() == null) {
                client.configMaps().inNamespace(namespace).resource(saved).create();
            }
        };
    }

    /** The ConfigMap the service's containers read through their environment that the fewest other workloads need. */
    private Optional<String> chooseConfigMap(ServiceSpec s) {
        PodTemplateSpec template = template(s).orElseThrow();
        List<String> env = new ArrayList<>();
        List<String> volumes = new ArrayList<>();
        for (Container c : template.getSpec().getContainers()) {
            for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
                if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                    env.add(e.getValueFrom().getConfigMapKeyRef().getName());
                }
            }
            for (EnvFromSource e : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
                if (e.getConfigMapRef() != null) {
                    env.add(e.getConfigMapRef().getName());
                }
            }
        }
        for (Volume v : Optional.ofNullable(template.getSpec().getVolumes()).orElse(List.of())) {
            if (v.getConfigMap() != null) {
                volumes.add(v.getConfigMap().getName());
            }
        }
        List<String> candidates = env.isEmpty() ? volumes : env;
        Map<String, Long> users = new LinkedHashMap<>();
        for (String cm : candidates.stream().distinct().toList()) {
            long n = profile.services().stream().map(this::template).flatMap(Optional::stream)
                    .filter(t -> Serialization.asJson(t).contains("\"" + cm + "\"")).count();
            users.put(cm, n);
        }
        return users.entrySet().stream().min(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
    }

    private Runnable natsDown() {
        world.setNatsDown(true);
        nats.ifPresent(NatsServerProcess::pause);
        return () -> {
            nats.ifPresent(NatsServerProcess::resume);
            world.setNatsDown(false);
        };
    }

    private Runnable unschedulable(String target) {
        String[] parts = target.split(":", 2);
        ServiceSpec s = serviceNamed(parts[0]);
        boolean memory = parts.length > 1 && parts[1].startsWith("mem");
        ResourceRequirements original = Serialization.clone(Optional.ofNullable(container(s).getResources()).orElse(new ResourceRequirements()));
        ResourceRequirements hungry = Serialization.clone(original);
        Map<String, Quantity> requests = new LinkedHashMap<>(Optional.ofNullable(hungry.getRequests()).orElse(Map.of()));
        Map<String, Quantity> limits = new LinkedHashMap<>(Optional.ofNullable(hungry.getLimits()).orElse(Map.of()));
        if (memory) {
            requests.put("memory", new Quantity("512Gi"));
            limits.put("memory", new Quantity("512Gi"));
        } else {
            requests.put("nvidia.com/gpu", new Quantity("1"));
            limits.put("nvidia.com/gpu", new Quantity("1"));
        }
        hungry.setRequests(requests);
        hungry.setLimits(limits);
        editContainer(s, c -> {
            c.setResources(hungry);
            return c;
        }, "sandbox fault: asks for " + (memory ? "512Gi of memory" : "nvidia.com/gpu: 1"));
        return () -> editContainer(s, c -> {
            c.setResources(original);
            return c;
        }, "sandbox: resources restored");
    }

    private Runnable outOfMemory(ServiceSpec s) {
        world.setOutOfMemory(s.name(), true);
        kubelet.kill(c -> c.getName().equals(s.container()), 137, "OOMKilled");
        return () -> {
            world.setOutOfMemory(s.name(), false);
            restartPods(s);
        };
    }

    /**
     * The service's code binds a push durable (the fleet's first collector). Its running pods are replaced
     * by pods that bind it; once they are Ready, the workload is rolled as a redeploy would, and the new
     * pods meet the old ones still holding the binding: the runbook's case A.
     */
    private Runnable doubleBind(ServiceSpec s) {
        world.setDoubleBinding(s.name(), true);
        List<String> before = pods(s).stream().map(p -> p.getMetadata().getName()).toList();
        int replicas = replicas(s);
        restartPods(s);
        when.accept(c -> pods(s).stream().filter(p -> !before.contains(p.getMetadata().getName()) && PodFacts.isReady(p)).count() >= replicas,
                () -> {
                    if (world.doubleBinding(s.name())) {
                        restartRollout(s);
                    }
                });
        return () -> {
            world.setDoubleBinding(s.name(), false);
            restartPods(s);
        };
    }

    /** A fleet service the sandbox runs as a Python program (the StatefulSets are data stores). */
    private ServiceSpec pythonService(Fault fault) {
        ServiceSpec s = service(fault);
        if (s.kind() != fleet.console.profile.WorkloadKind.DEPLOYMENT || s.name().equals("nats")) {
            throw new IllegalArgumentException("Fault '" + fault.kind().cliName() + "' applies to the fleet's own services (Deployments),"
                    + " not to " + s.name() + ".");
        }
        return s;
    }

    /** A service whose profile names the subjects of its durables. */
    private ServiceSpec subscribingService(Fault fault) {
        ServiceSpec s = service(fault);
        if (s.subscriptions().isEmpty()) {
            throw new IllegalArgumentException("Service '" + s.name() + "' subscribes to nothing the profile knows of; choose one of: "
                    + String.join(", ", profile.services().stream().filter(x -> !x.subscriptions().isEmpty()).map(ServiceSpec::name).toList())
                    + ".");
        }
        return s;
    }

    /**
     * A new image of the service whose code fails at start: an import left behind by the src/ to core/
     * move, or an older build than the profile's. Set as kubectl set image would: a new revision whose pods
     * crash while the old ones keep serving.
     */
    private Runnable flawedImage(ServiceSpec s, FleetWorld.ImageFlaw flaw) {
        String good = container(s).getImage();
        String repo = good.lastIndexOf(':') > good.lastIndexOf('/') ? good.substring(0, good.lastIndexOf(':')) : good;
        String bad = repo + ":" + (flaw == FleetWorld.ImageFlaw.IMPORT_ERROR ? s.tag() + "-next" : "v2.2.3");
        world.setImageFlaw(bad, flaw);
        setImage(s, bad, flaw == FleetWorld.ImageFlaw.IMPORT_ERROR ? "kubectl set image: " + bad
                : "kubectl set image: " + bad + " (an older build)");
        return () -> {
            setImage(s, good, "sandbox: image restored to " + good);
            world.setImageFlaw(bad, null);
        };
    }

    /** The service's claim (of its first pod) asks for a storage class no provisioner serves. */
    private Runnable unboundClaim(ServiceSpec s) {
        if (s.kind() != fleet.console.profile.WorkloadKind.STATEFULSET) {
            throw new IllegalArgumentException("Fault 'pvc-unbound' applies to a StatefulSet with a volume claim template (neo4j, valkey, nats).");
        }
        StatefulSet sts = client.apps().statefulSets().inNamespace(profile.namespace()).withName(s.name()).get();
        if (sts.getSpec().getVolumeClaimTemplates() == null || sts.getSpec().getVolumeClaimTemplates().isEmpty()) {
            throw new IllegalArgumentException("StatefulSet " + s.name() + " has no volume claim template.");
        }
        String claim = sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName() + "-" + s.name() + "-0";
        String pod = s.name() + "-0";
        var claims = client.persistentVolumeClaims().inNamespace(profile.namespace());
        claims.withName(claim).edit(c -> {
            c.getSpec().setStorageClassName(MISSING_STORAGE_CLASS);
            c.getSpec().setVolumeName(null);
            return c;
        });
        var pending = claims.withName(claim).get();
        pending.setStatus(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder().withPhase("Pending").build());
        claims.resource(pending).updateStatus();
        client.pods().inNamespace(profile.namespace()).withName(pod).delete();
        return () -> {
            claims.withName(claim).delete();
            client.pods().inNamespace(profile.namespace()).withName(pod).delete();
        };
    }

    /** Every node tainted (as for a GPU pool) and the service's pods replaced: the new ones fit nowhere. */
    private Runnable taintNodes(ServiceSpec s) {
        io.fabric8.kubernetes.api.model.Taint taint = new io.fabric8.kubernetes.api.model.TaintBuilder()
                .withKey(TAINT_KEY).withValue("gpu").withEffect("NoSchedule").build();
        for (var node : client.nodes().list().getItems()) {
            client.nodes().withName(node.getMetadata().getName()).edit(n -> {
                List<io.fabric8.kubernetes.api.model.Taint> taints = new ArrayList<>(Optional.ofNullable(n.getSpec().getTaints()).orElse(List.of()));
                taints.add(taint);
                n.getSpec().setTaints(taints);
                return n;
            });
        }
        restartPods(s);
        return () -> {
            for (var node : client.nodes().list().getItems()) {
                client.nodes().withName(node.getMetadata().getName()).edit(n -> {
                    if (n.getSpec().getTaints() != null) {
                        n.getSpec().setTaints(new ArrayList<>(n.getSpec().getTaints().stream().filter(t -> !TAINT_KEY.equals(t.getKey())).toList()));
                    }
                    return n;
                });
            }
        };
    }

    /** The template asks for a node label no node has: a new revision whose pod stays Pending. */
    private Runnable nodeSelector(ServiceSpec s) {
        Map<String, String> original = template(s).orElseThrow().getSpec().getNodeSelector();
        editTemplate(s, t -> {
            Map<String, String> selector = new LinkedHashMap<>(Optional.ofNullable(t.getSpec().getNodeSelector()).orElse(Map.of()));
            selector.put("accelerator", "nvidia-a100");
            t.getSpec().setNodeSelector(selector);
            return t;
        }, "kubectl apply: nodeSelector accelerator=nvidia-a100");
        return () -> editTemplate(s, t -> {
            t.getSpec().setNodeSelector(original == null ? null : new LinkedHashMap<>(original));
            return t;
        }, "sandbox: node selector restored");
    }

    /** The readiness probe asks /healthz, which the service does not serve: its new pod never becomes Ready. */
    private Runnable readinessPath(ServiceSpec s) {
        io.fabric8.kubernetes.api.model.Probe original = container(s).getReadinessProbe();
        int port = s.port().orElse(8080);
        world.setProbePathFailing(WRONG_PROBE_PATH, true);
        editContainer(s, c -> {
            c.setReadinessProbe(new io.fabric8.kubernetes.api.model.ProbeBuilder()
                    .withNewHttpGet().withPath(WRONG_PROBE_PATH).withNewPort(port).endHttpGet()
                    .withPeriodSeconds(10).withFailureThreshold(3).build());
            return c;
        }, "kubectl apply: readiness probe http-get :" + port + WRONG_PROBE_PATH);
        return () -> {
            editContainer(s, c -> {
                c.setReadinessProbe(original == null ? null : Serialization.clone(original));
                return c;
            }, "sandbox: readiness probe restored");
            world.setProbePathFailing(WRONG_PROBE_PATH, false);
        };
    }

    /** The node reboots under the service's pods: ContainerStatusUnknown, and they stay so. */
    private Runnable reboot(ServiceSpec s) {
        Map<String, String> labels = template(s).orElseThrow().getMetadata().getLabels();
        kubelet.reboot(p -> p.getMetadata().getLabels() != null && p.getMetadata().getLabels().entrySet().containsAll(labels.entrySet()));
        return () -> restartPods(s);
    }

    static String jobName(String service) {
        String s = service.split(":", 2)[0];
        return "orchestrator".equals(s) ? "orchestrator-init-councils" : s + "-init";
    }

    /** A one-off job of the service (the councils' init for the orchestrator) that fails every try. */
    private Runnable failingJob(ServiceSpec s) {
        String name = jobName(s.name());
        String address = s.name() + "." + profile.namespace() + ".svc.cluster.local:" + s.port().orElse(80);
        io.fabric8.kubernetes.api.model.batch.v1.Job job = new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                .withNewMetadata().withName(name).withNamespace(profile.namespace()).addToLabels("app", name).endMetadata()
                .withNewSpec().withBackoffLimit(1)
                .withNewTemplate().withNewMetadata().addToLabels("app", name)
                .addToLabels(fleet.console.sandbox.fleet.FleetPrograms.FAULT_LABEL, "job-backoff").endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("init").withImage(s.image() + ":" + s.tag())
                .withCommand("sh", "-c", "echo 'Waiting for " + s.name() + " at " + address + "'"
                        + " && echo 'grpc._channel._InactiveRpcError: status = StatusCode.UNAVAILABLE, details = \"failed to connect to all addresses\"'"
                        + " && echo 'Giving up after 30 attempts' && exit 1")
                .endContainer().endSpec().endTemplate().endSpec().build();
        client.batch().v1().jobs().inNamespace(profile.namespace()).resource(job).create();
        return () -> client.batch().v1().jobs().inNamespace(profile.namespace()).withName(name).delete();
    }

    private Map.Entry<String, String> firstSubscription(ServiceSpec s) {
        return s.subscriptions().entrySet().iterator().next();
    }

    /** The service's first durable vanishes from the server while its pods run (a hand-made cleanup gone wrong). */
    private Runnable missingDurable(ServiceSpec s) {
        NatsSurgery nats = new NatsSurgery(world);
        Map.Entry<String, String> sub = firstSubscription(s);
        String stream = nats.streamOf(sub.getValue()).orElseThrow(() -> new IllegalArgumentException(
                "No stream captures " + sub.getValue() + ", so " + sub.getKey() + " cannot exist to be deleted."));
        nats.deleteConsumer(stream, sub.getKey());
        return () -> {
            if (nats.streamOf(sub.getValue()).isPresent() && nats.filterOf(stream, sub.getKey()).isEmpty()) {
                restartPods(s);
            }
        };
    }

    /** The service's first durable is recreated on another subject of its stream: it gets none of its messages. */
    private Runnable wrongFilter(ServiceSpec s) {
        NatsSurgery nats = new NatsSurgery(world);
        Map.Entry<String, String> sub = firstSubscription(s);
        String stream = nats.streamOf(sub.getValue()).orElseThrow(() -> new IllegalArgumentException(
                "No stream captures " + sub.getValue() + "."));
        String other = profile.services().stream().flatMap(x -> x.subscriptions().values().stream())
                .filter(subject -> !subject.equals(sub.getValue()) && !subject.contains("*") && !subject.contains(">"))
                .filter(subject -> nats.streamOf(subject).filter(stream::equals).isPresent())
                .findFirst().orElse(sub.getValue() + ".v2");
        nats.refilter(stream, sub.getKey(), other);
        return () -> {
            // Unless a fix has put it right meanwhile, the service can only recreate it once it is gone.
            if (nats.streamOf(sub.getValue()).isPresent() && nats.filterOf(stream, sub.getKey()).filter(other::equals).isPresent()) {
                nats.deleteConsumer(stream, sub.getKey());
                restartPods(s);
            }
        };
    }

    /** A declared stream deleted (by name, or the stream of a service's first subscription). */
    private Runnable missingStream(String target) {
        NatsSurgery nats = new NatsSurgery(world);
        String name = profile.stream(target).map(fleet.console.profile.StreamSpec::name)
                .or(() -> profile.service(target).filter(x -> !x.subscriptions().isEmpty())
                        .flatMap(x -> nats.streamOf(firstSubscription(x).getValue())))
                .orElseThrow(() -> new IllegalArgumentException("No declared stream '" + target + "'; choose one of: "
                        + String.join(", ", profile.streams().stream().map(fleet.console.profile.StreamSpec::name).toList()) + "."));
        nats.deleteStream(name);
        return () -> {
            if (nats.streamOf(profile.stream(name).orElseThrow().subjects().get(0).replace(">", "x").replace("*", "x")).isEmpty()) {
                nats.recreate(profile.stream(name).orElseThrow());
                profile.servicesWithNatsConsumers().stream().filter(x -> template(x).isPresent()).forEach(this::restartPods);
            }
        };
    }

    /** The service's running pods stop pulling (their consumer loop died); new pods are fine. */
    private Runnable stalled(ServiceSpec s) {
        List<String> uids = pods(s).stream().map(p -> p.getMetadata().getUid()).toList();
        uids.forEach(uid -> world.setStalled(uid, true));
        return () -> uids.forEach(uid -> world.setStalled(uid, false));
    }

    private void restartPods(ServiceSpec s) {
        PodTemplateSpec template = template(s).orElseThrow();
        Map<String, String> labels = template.getMetadata().getLabels();
        client.pods().inNamespace(profile.namespace()).list().getItems().stream()
                .filter(p -> p.getMetadata().getLabels() != null && p.getMetadata().getLabels().entrySet().containsAll(labels.entrySet()))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .forEach(p -> client.pods().inNamespace(profile.namespace()).withName(p.getMetadata().getName()).delete());
    }

    /** {@code kubectl rollout restart}: a template annotation, so new pods start beside the old ones. */
    private void restartRollout(ServiceSpec s) {
        String now = clock.instant().toString();
        UnaryOperator<PodTemplateSpec> stamp = t -> {
            Map<String, String> a = new LinkedHashMap<>(Optional.ofNullable(t.getMetadata().getAnnotations()).orElse(Map.of()));
            a.put("kubectl.kubernetes.io/restartedAt", now);
            t.getMetadata().setAnnotations(a);
            return t;
        };
        editTemplate(s, stamp, "sandbox fault: rollout restart with a push durable bound by every pod");
    }

    private int replicas(ServiceSpec s) {
        if (s.kind() == fleet.console.profile.WorkloadKind.STATEFULSET) {
            StatefulSet sts = client.apps().statefulSets().inNamespace(profile.namespace()).withName(s.name()).get();
            return sts == null || sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        }
        Deployment d = client.apps().deployments().inNamespace(profile.namespace()).withName(s.name()).get();
        return d == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    private Container container(ServiceSpec s) {
        return template(s).orElseThrow().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(s.container())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Workload " + s.name() + " has no container " + s.container()));
    }

    private Optional<PodTemplateSpec> template(ServiceSpec s) {
        if (s.kind() == fleet.console.profile.WorkloadKind.STATEFULSET) {
            StatefulSet sts = client.apps().statefulSets().inNamespace(profile.namespace()).withName(s.name()).get();
            return Optional.ofNullable(sts).map(x -> x.getSpec().getTemplate());
        }
        Deployment d = client.apps().deployments().inNamespace(profile.namespace()).withName(s.name()).get();
        return Optional.ofNullable(d).map(x -> x.getSpec().getTemplate());
    }

    private void setImage(ServiceSpec s, String image, String cause) {
        editContainer(s, c -> {
            c.setImage(image);
            return c;
        }, cause);
    }

    private void editContainer(ServiceSpec s, UnaryOperator<Container> change, String cause) {
        editTemplate(s, t -> {
            t.getSpec().getContainers().replaceAll(c -> c.getName().equals(s.container()) ? change.apply(c) : c);
            return t;
        }, cause);
    }

    private void editTemplate(ServiceSpec s, UnaryOperator<PodTemplateSpec> change, String cause) {
        // The controllers write the same object's status meanwhile: a conflict is read again and retried,
        // as kubectl does (edit reads the latest version each time).
        for (int attempt = 1; ; attempt++) {
            try {
                editTemplateOnce(s, change, cause);
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    private void editTemplateOnce(ServiceSpec s, UnaryOperator<PodTemplateSpec> change, String cause) {
        if (s.kind() == fleet.console.profile.WorkloadKind.STATEFULSET) {
            client.apps().statefulSets().inNamespace(profile.namespace()).withName(s.name()).edit(x -> {
                x.getSpec().setTemplate(change.apply(x.getSpec().getTemplate()));
                annotate(x.getMetadata(), cause);
                return x;
            });
        } else {
            client.apps().deployments().inNamespace(profile.namespace()).withName(s.name()).edit(x -> {
                x.getSpec().setTemplate(change.apply(x.getSpec().getTemplate()));
                annotate(x.getMetadata(), cause);
                return x;
            });
        }
    }

    private static void annotate(io.fabric8.kubernetes.api.model.ObjectMeta meta, String cause) {
        Map<String, String> a = new LinkedHashMap<>(Optional.ofNullable(meta.getAnnotations()).orElse(Map.of()));
        a.put("kubernetes.io/change-cause", cause);
        meta.setAnnotations(a);
    }
}
