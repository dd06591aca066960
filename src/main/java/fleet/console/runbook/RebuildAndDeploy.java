package fleet.console.runbook;

import fleet.console.cluster.PodState;
import fleet.console.cluster.rollouts.WorkloadStatus;
import fleet.console.profile.ServiceSpec;
import fleet.console.profile.WorkloadKind;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runbook's {@code rebuild-and-deploy.sh}: build and push every service, update every deployment
 * (the NATS consumers by their safe path: all of them stopped before any new pod starts), wait for the
 * rollouts, then fail if any pod is in CrashLoopBackOff or any deployment is not fully Ready, counting
 * pods by each deployment's own selector (the script's label guesses count nothing on the real fleet).
 */
final class RebuildAndDeploy {

    private RebuildAndDeploy() {
    }

    static Runbook plan(RunContext run) throws StepFailure {
        List<ServiceSpec> services = run.profile().services().stream()
                .filter(s -> s.kind() == WorkloadKind.DEPLOYMENT && s.build().isPresent()).toList();
        if (services.isEmpty()) {
            throw new StepFailure("No service in the profile has a build.", "Add build: sections to the services (see the README's Service images).");
        }
        List<ServiceSpec> nats = services.stream().filter(ServiceSpec::natsConsumers).toList();
        List<ServiceSpec> rolling = services.stream().filter(s -> !s.natsConsumers()).toList();
        List<Step> steps = new ArrayList<>();
        services.forEach(s -> steps.add(ServiceSteps.remember(s)));
        services.forEach(s -> steps.add(ImageSteps.build(s, run)));
        nats.forEach(s -> steps.add(ServiceSteps.scaleToZero(s)));
        nats.forEach(s -> steps.add(ServiceSteps.awaitGone(s)));
        services.forEach(s -> steps.add(ImageSteps.setImage(s, run)));
        nats.forEach(s -> steps.add(ServiceSteps.scaleBack(s)));
        for (ServiceSpec s : services) {
            steps.add(ServiceSteps.awaitReady(s).skippedWhen(r -> r.options().noWait() ? Optional.of("--no-wait") : Optional.empty()));
        }
        steps.add(SimpleStep.of("verify-pods", "Verify: no CrashLoopBackOff, every deployment fully Ready",
                "The script's last check: it fails when a pod crash-loops or a deployment is short of Ready pods.",
                "Counts each deployment's pods by its own selector: Ready ones, and any in CrashLoopBackOff.",
                List.of("kubectl get pods -n " + run.namespace() + " | grep CrashLoopBackOff", "kubectl get deploy -n " + run.namespace()),
                Duration.ofSeconds(30), r -> verify(r, services))
                .skippedWhen(r -> r.options().noWait() ? Optional.of("--no-wait: the rollouts may still be going") : Optional.empty()));
        return new Runbook("rebuild-and-deploy", "Rebuild and redeploy all",
                "Builds " + services.size() + " services, then updates them: " + names(nats) + " by the safe path (scale to 0 first), "
                        + names(rolling) + " by a rolling update.", steps,
                nats.isEmpty() ? Optional.empty() : Optional.of("all pods of " + names(nats) + " are stopped for a moment"),
                Optional.empty(), Optional.of(Runbooks.scaleBackCompensation(nats)));
    }

    private static void verify(RunContext run, List<ServiceSpec> services) throws StepFailure {
        List<String> problems = new ArrayList<>();
        for (ServiceSpec s : services) {
            WorkloadStatus w = ServiceSteps.workload(run, s);
            List<Pod> pods = ServiceSteps.pods(run, s);
            long ready = pods.stream().filter(p -> { PodState st = PodState.of(p); return st.total() > 0 && st.ready() == st.total(); }).count();
            pods.stream().filter(p -> "CrashLoopBackOff".equals(PodState.of(p).status()))
                    .forEach(p -> problems.add(p.getMetadata().getName() + " CrashLoopBackOff"));
            if (ready < w.desired()) {
                problems.add(s.name() + " " + ready + "/" + w.desired() + " Ready");
            }
            run.log(s.name() + ": " + ready + "/" + w.desired() + " Ready");
        }
        if (!problems.isEmpty()) {
            throw new StepFailure("Deployed, but: " + String.join(", ", problems) + ".",
                    "Open the Pods area: the diagnosis names the cause. Roll back with the rollback runbook if the new image is at fault.");
        }
    }

    private static String names(List<ServiceSpec> services) {
        return services.isEmpty() ? "none" : String.join(", ", services.stream().map(ServiceSpec::name).toList());
    }
}
