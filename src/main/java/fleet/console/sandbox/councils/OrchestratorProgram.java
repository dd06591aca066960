package fleet.console.sandbox.councils;

import fleet.console.profile.ServiceSpec;
import fleet.console.sandbox.kubelet.ContainerProgram;
import fleet.console.sandbox.kubelet.ProgramContext;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The orchestrator container: the fleet service it is (startup lines, NATS, faults) plus its gRPC server
 * holding the councils. The server listens before the service starts, serves once the container is ready,
 * and dies with the run, so a restarted container starts with no councils, as the real one does.
 */
public final class OrchestratorProgram implements ContainerProgram {

    private final ContainerProgram service;
    private final OrchestratorStandIns standIns;
    private final int port;
    private final Clock clock;
    private volatile OrchestratorStandIn standIn;
    private volatile Pod pod;

    /** @param service what the container does as a fleet service; the gRPC server is added around it */
    public OrchestratorProgram(ContainerProgram service, ServiceSpec spec, OrchestratorStandIns standIns, Clock clock) {
        this.service = service;
        this.standIns = standIns;
        this.port = OrchestratorStandIns.portOf(spec);
        this.clock = clock;
    }

    @Override
    public void start(ProgramContext ctx) {
        pod = ctx.pod();
        OrchestratorStandIn run = new OrchestratorStandIn(ctx.pod().getMetadata().getName(),
                ctx.environment().getOrDefault("VLLM_MODEL", ""), clock);
        standIn = run;
        ctx.blocking(run::start, listening -> {
            if (!listening) {
                return;
            }
            standIns.register(ctx.pod(), port, run);
            service.start(new ReadinessShared(ctx, run));
        }, error -> {
            ctx.log("ERROR Failed to start the gRPC server on port " + port + ": " + error.getMessage());
            ctx.exit(1, "Error");
        });
    }

    @Override
    public void stop(ProgramContext ctx) {
        OrchestratorStandIn run = standIn;
        if (run != null) {
            // SIGTERM: the server stops taking calls while the process says its last words.
            run.ready(false);
        }
        service.stop(ctx);
    }

    @Override
    public void released() {
        service.released();
        OrchestratorStandIn run = standIn;
        if (run != null) {
            run.stop();
            Pod p = pod;
            if (p != null) {
                standIns.unregister(p, run);
            }
        }
    }

    /** The service's context, with its readiness also deciding whether the gRPC server serves. */
    private static final class ReadinessShared implements ProgramContext {
        private final ProgramContext ctx;
        private final OrchestratorStandIn run;

        ReadinessShared(ProgramContext ctx, OrchestratorStandIn run) {
            this.ctx = ctx;
            this.run = run;
        }

        @Override
        public void ready(boolean ready) {
            run.ready(ready && ctx.running());
            ctx.ready(ready);
        }

        @Override
        public void readinessFailed(String message) {
            run.ready(false);
            ctx.readinessFailed(message);
        }

        @Override
        public void exit(int exitCode, String reason) {
            run.ready(false);
            ctx.exit(exitCode, reason);
        }

        @Override
        public Pod pod() {
            return ctx.pod();
        }

        @Override
        public Container container() {
            return ctx.container();
        }

        @Override
        public int restartCount() {
            return ctx.restartCount();
        }

        @Override
        public Map<String, String> environment() {
            return ctx.environment();
        }

        @Override
        public void log(String line) {
            ctx.log(line);
        }

        @Override
        public void after(Duration delay, Runnable action) {
            ctx.after(delay, action);
        }

        @Override
        public void every(Duration period, Runnable action) {
            ctx.every(period, action);
        }

        @Override
        public <T> void blocking(Supplier<T> work, Consumer<T> then, Consumer<Throwable> failed) {
            ctx.blocking(work, then, failed);
        }

        @Override
        public boolean running() {
            return ctx.running();
        }
    }
}
