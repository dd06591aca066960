package fleet.console.ui;

import fleet.console.cluster.FleetHealth;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.ui.overview.WorkloadHealthSource;
import fleet.console.ui.shell.SandboxFaults;
import fleet.console.ui.shell.SandboxHandle;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real embedded sandbox with the fleet of the built-in profile, started once per test class and
 * handed over only when every workload is ready. NATS and the registry stay off: no test here needs
 * them, and the sandbox simulates both.
 */
public final class FleetSandbox implements AutoCloseable {

    public static final FleetProfile PROFILE = FleetProfile.defaults();
    public static final String NAMESPACE = PROFILE.namespace();
    private static final Duration READY = Duration.ofSeconds(60);

    private final Sandbox sandbox;

    private FleetSandbox(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public static FleetSandbox start() {
        return start(SandboxOptions.defaults().withNats(false).withRegistry(false));
    }

    /** With other options (the NATS area's tests want the real nats-server, without the event trickle). */
    public static FleetSandbox start(SandboxOptions options) {
        Sandbox sandbox = Sandbox.start(PROFILE, options);
        FleetSandbox fleet = new FleetSandbox(sandbox);
        fleet.awaitReady();
        return fleet;
    }

    /** The fleet's health as the application reads it. */
    public static WorkloadHealthSource health() {
        return (client, namespace) -> FleetHealth.read(client, namespace, PROFILE);
    }

    public KubernetesClient client() {
        return sandbox.client();
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public void awaitReady() {
        try {
            if (!sandbox.awaitFleetReady(READY)) {
                throw new IllegalStateException("The sandbox's fleet was not ready within " + READY.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How the shell reaches this sandbox, as the application wires it. */
    public SandboxHandle handle() {
        SandboxFaults faults = new SandboxFaults() {
            @Override
            public void inject(Fault fault) {
                sandbox.inject(fault);
            }

            @Override
            public void clear(Fault fault) {
                sandbox.clear(fault);
            }

            @Override
            public List<Fault> activeFaults() {
                return sandbox.activeFaults();
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
                return Optional.of(faults);
            }
        };
    }

    @Override
    public void close() {
        sandbox.close();
    }

    /**
     * Ends a test class: faults cleared and the fleet quiet again, then the sandbox, then the
     * sessions, then the executor ({@code background}: null when the class was skipped before it made one).
     * <p>
     * Works around a sandbox defect (reported): when a watch connection closes while the emulator
     * still has events queued for it, the emulator's close handler waits on the API server's only
     * event loop for a send that needs that same loop, and the sandbox stalls for 30 s. So nothing
     * is closed while the fleet is changing; the sandbox is closed from the server side before the
     * sessions; and a short pause lets the events of the last change reach every watch.
     */
    public static void stopThenDispose(FleetSandbox sandbox, ExecutorService background, Runnable disposeSessions) {
        sandbox.sandbox.clearFaults();
        sandbox.awaitReady();
        WaitForAsyncUtils.sleep(500, TimeUnit.MILLISECONDS);
        sandbox.close();
        disposeSessions.run();
        if (background == null) {
            return; // the class was skipped (no nats-server) before it made one
        }
        if (background instanceof ScheduledThreadPoolExecutor pool) {
            // Pending debounced re-reads are moot once the sandbox is gone.
            pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }
        background.shutdown();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
