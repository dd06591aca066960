package fleet.console.ui;

import fleet.console.sandbox.Fault;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.ui.shell.SandboxFaults;
import fleet.console.ui.shell.SandboxHandle;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real embedded sandbox for UI tests, with the fleet in it. Until the sandbox deploys the fleet
 * itself (its simulated controllers and kubelet are being built), the workloads and pods a laptop
 * sandbox would show are written into it here: everything Ready except vllm-server, which asks for a
 * GPU the laptop has not got. Once the sandbox brings its own fleet, nothing is written.
 */
public final class FleetSandbox implements AutoCloseable {

    public static final String NAMESPACE = "swe-ai-fleet";

    private final Sandbox sandbox;
    /** Faults asked for through the Sandbox menu, recorded: the sandbox cannot inject on demand yet. */
    private final List<Fault> injected = new CopyOnWriteArrayList<>();

    private FleetSandbox(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public static FleetSandbox start() {
        Sandbox sandbox = Sandbox.start(NAMESPACE, SandboxOptions.defaults());
        FleetSandbox fleet = new FleetSandbox(sandbox);
        if (sandbox.client().apps().deployments().inNamespace(NAMESPACE).list().getItems().isEmpty()) {
            fleet.deployLaptopFleet();
        }
        return fleet;
    }

    public KubernetesClient client() {
        return sandbox.client();
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public List<Fault> injected() {
        return List.copyOf(injected);
    }

    /** How the shell reaches this sandbox, with a fault switch that records what it is asked. */
    public SandboxHandle handle() {
        SandboxFaults recorder = new SandboxFaults() {
            @Override
            public void inject(Fault fault) {
                injected.add(fault);
            }

            @Override
            public void clear(Fault fault) {
                injected.remove(fault);
            }

            @Override
            public List<Fault> activeFaults() {
                return List.copyOf(injected);
            }
        };
        return new SandboxHandle() {
            @Override
            public Config clientConfig() {
                return sandbox.clientConfig();
            }

            @Override
            public String namespace() {
                return sandbox.namespace();
            }

            @Override
            public Optional<SandboxFaults> faults() {
                return Optional.of(recorder);
            }
        };
    }

    private void deployLaptopFleet() {
        statefulSet("nats", "nats", 1, 1);
        deployment("orchestrator", "orchestrator", 2, 2);
        deployment("context", "context", 2, 2);
        // The dashboard's pods carry app=monitoring, not its own name: found by selector or not at all.
        deployment("monitoring-dashboard", "monitoring", 1, 1);
        deployment("ray-executor", "ray-executor", 1, 1);
        statefulSet("neo4j", "neo4j", 1, 1);
        statefulSet("valkey", "valkey", 1, 1);
        deployment("vllm-server", "vllm-server", 1, 0);
        pending("vllm-server-6c9d7f5b8-x2k4q", "vllm-server",
                "0/1 nodes are available: 1 Insufficient nvidia.com/gpu.");
    }

    public void deployment(String name, String app, int desired, int ready) {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withReplicas(desired)
                .withNewSelector().addToMatchLabels("app", app).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName(app).withImage("registry.local/swe-ai-fleet/" + app + ":v1")
                .endContainer().endSpec().endTemplate().endSpec()
                .build();
        Deployment created = client().apps().deployments().inNamespace(NAMESPACE).resource(d).create();
        created.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                .withReplicas(desired).withReadyReplicas(ready).withAvailableReplicas(ready).build());
        client().apps().deployments().inNamespace(NAMESPACE).resource(created).updateStatus();
        for (int i = 0; i < ready; i++) {
            running(name + "-5f7c9d8b6-" + Integer.toString(46_656 + i * 7_919, 36), app);
        }
    }

    public void statefulSet(String name, String app, int desired, int ready) {
        StatefulSet s = new StatefulSetBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withReplicas(desired).withServiceName(name)
                .withNewSelector().addToMatchLabels("app", app).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName(app).withImage(app + ":stable").endContainer().endSpec()
                .endTemplate().endSpec()
                .build();
        StatefulSet created = client().apps().statefulSets().inNamespace(NAMESPACE).resource(s).create();
        created.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
                .withReplicas(desired).withReadyReplicas(ready).build());
        client().apps().statefulSets().inNamespace(NAMESPACE).resource(created).updateStatus();
        for (int i = 0; i < ready; i++) {
            running(name + "-" + i, app);
        }
    }

    public void running(String pod, String app) {
        withStatus(pod, app, new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                .addToContainerStatuses(new ContainerStatusBuilder().withName(app).withReady(true).withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning().endState()
                        .build())
                .build());
    }

    public void crashLooping(String pod, String app, int restarts, String message) {
        withStatus(pod, app, new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                .addToContainerStatuses(new ContainerStatusBuilder().withName(app).withReady(false)
                        .withRestartCount(restarts)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage(message)
                        .endWaiting().endState()
                        .build())
                .build());
    }

    public void pending(String pod, String app, String schedulerMessage) {
        withStatus(pod, app, new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Pending")
                .addToConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                        .withReason("Unschedulable").withMessage(schedulerMessage).build())
                .build());
    }

    private void withStatus(String name, String app, io.fabric8.kubernetes.api.model.PodStatus status) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().addNewContainer().withName(app).withImage(app).endContainer().endSpec()
                .build();
        Pod created = client().pods().inNamespace(NAMESPACE).resource(pod).createOr(existing -> existing.update());
        created.setStatus(status);
        client().pods().inNamespace(NAMESPACE).resource(created).updateStatus();
    }

    @Override
    public void close() {
        sandbox.close();
    }

    /**
     * Ends a test class: the sandbox first, then the sessions, then the executor.
     * <p>
     * Works around a sandbox defect (reported): when a watch connection closes while the emulator
     * still has events queued for it, the emulator's close handler waits on the API server's only
     * event loop for a send that needs that same loop, and the sandbox stalls for 30 s. Closing from
     * the server side avoids the young watches' first events; the short pause lets the events of the
     * last change drain to every watch before the server stops.
     */
    public static void stopThenDispose(FleetSandbox sandbox, java.util.concurrent.ExecutorService background,
                                       Runnable disposeSessions) {
        org.testfx.util.WaitForAsyncUtils.sleep(500, java.util.concurrent.TimeUnit.MILLISECONDS);
        sandbox.close();
        disposeSessions.run();
        if (background instanceof java.util.concurrent.ScheduledThreadPoolExecutor pool) {
            // Pending debounced re-reads are moot once the sandbox is gone.
            pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }
        background.shutdown();
        try {
            background.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
