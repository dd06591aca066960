package fleet.console.sandbox.fleet;

import fleet.console.profile.ServiceSpec;
import fleet.console.sandbox.councils.CouncilJobProgram;
import fleet.console.sandbox.councils.OrchestratorProgram;
import fleet.console.sandbox.councils.OrchestratorStandIns;
import fleet.console.sandbox.kubelet.ContainerProgram;
import fleet.console.sandbox.kubelet.ProgramCatalog;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What each container of the sandbox runs: the fleet's services, its data stores, its jobs, or a plain process. */
public final class FleetPrograms implements ProgramCatalog {

    private final FleetWorld world;
    private final Clock clock;
    private final OrchestratorStandIns orchestrators;

    /** @param orchestrators where the orchestrator pods' gRPC stand-ins run (councils hook) */
    public FleetPrograms(FleetWorld world, Clock clock, OrchestratorStandIns orchestrators) {
        this.world = world;
        this.clock = clock;
        this.orchestrators = orchestrators;
    }

    /** Marks the pods of a job a sandbox fault made (it fails as scripted, not as the fleet's job of that name). */
    public static final String FAULT_LABEL = "sandbox.fleet-console/fault";

    @Override
    public ContainerProgram programFor(Pod pod, Container container) {
        String job = Optional.ofNullable(pod.getMetadata().getLabels()).orElse(Map.of()).get("job-name");
        if (job != null && Optional.ofNullable(pod.getMetadata().getLabels()).orElse(Map.of()).containsKey(FAULT_LABEL)) {
            // A job a fault made: it does exactly what its command says, whatever its name.
            return new ShellJobProgram(job, container);
        }
        if (job != null) {
            return jobProgram(job, container);
        }
        Optional<ServiceSpec> service = world.serviceOfContainer(container.getName());
        String image = container.getImage() == null ? "" : container.getImage();
        if ("nats".equals(container.getName()) || image.contains("/nats:") || image.startsWith("nats:")) {
            return new NatsServerProgram(world, clock);
        }
        if (service.isPresent() && service.get().kind() == fleet.console.profile.WorkloadKind.STATEFULSET) {
            return new DataStoreProgram(storeLines(service.get()), null, world);
        }
        if (service.isPresent()) {
            ContainerProgram program = new ServiceProgram(world, service.get(), clock);
            // Councils hook: the orchestrator also serves its gRPC contract, with councils that live as long as the run.
            return OrchestratorStandIns.isOrchestrator(service.get())
                    ? new OrchestratorProgram(program, service.get(), orchestrators, clock) : program;
        }
        return new DataStoreProgram(List.of("Started " + image), null, world);
    }

    private List<String> storeLines(ServiceSpec store) {
        return store.startupLines().isEmpty() ? List.of("Started " + store.name()) : store.startupLines();
    }

    private ContainerProgram jobProgram(String job, Container container) {
        if (job.contains("delete-streams")) {
            return new StreamJobProgram(world, StreamJobProgram.Mode.DELETE);
        }
        if (job.contains("init-streams") || job.contains("streams-init")) {
            return new StreamJobProgram(world, StreamJobProgram.Mode.CREATE);
        }
        // Councils hook: the runbook's council jobs call the orchestrator stand-in over gRPC.
        if (job.contains("delete-councils")) {
            return new CouncilJobProgram(CouncilJobProgram.Mode.DELETE, orchestrators, world.profile().councils().roles());
        }
        if (job.contains("init-councils")) {
            return new CouncilJobProgram(CouncilJobProgram.Mode.INIT, orchestrators, world.profile().councils().roles());
        }
        return new ShellJobProgram(job, container);
    }
}
