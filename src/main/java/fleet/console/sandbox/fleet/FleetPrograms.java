package fleet.console.sandbox.fleet;

import fleet.console.profile.ServiceSpec;
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

    public FleetPrograms(FleetWorld world, Clock clock) {
        this.world = world;
        this.clock = clock;
    }

    @Override
    public ContainerProgram programFor(Pod pod, Container container) {
        String job = Optional.ofNullable(pod.getMetadata().getLabels()).orElse(Map.of()).get("job-name");
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
            return new ServiceProgram(world, service.get(), clock);
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
        return new ShellJobProgram(job, container);
    }
}
