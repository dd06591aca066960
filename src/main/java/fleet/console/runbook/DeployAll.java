package fleet.console.runbook;

import fleet.console.cluster.FleetHealth;
import fleet.console.cluster.WorkloadHealth;
import fleet.console.cluster.rollouts.RolloutActions;
import fleet.console.cluster.rollouts.RolloutHistory;
import fleet.console.cluster.rollouts.RolloutProblem;
import fleet.console.cluster.rollouts.WorkloadStatus;
import fleet.console.manifests.FleetManifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The runbook's initial deployment ({@code deploy-all.sh}), in its dependency order: namespace, NATS and
 * wait for nats-0, initialise the streams, ConfigMaps and Secrets, data stores, services, wait until all
 * are Ready, initialise the councils, verify health. From a manifests folder like the runbook's
 * {@code deploy/k8s/} (flat or numbered sub-folders), or the console's own manifests of the profile's fleet.
 * Parts can be left out: {@code --skip streams,councils}.
 */
final class DeployAll {

    /** The manifests of one run, sorted into the runbook's groups. */
    record Manifests(String source, List<HasMetadata> namespaces, List<HasMetadata> nats, List<Job> streamJobs, List<HasMetadata> config,
                     List<HasMetadata> dataStores, List<HasMetadata> services, List<Job> councilJobs) {
    }

    private DeployAll() {
    }

    static Runbook plan(RunContext run) throws StepFailure {
        Manifests m = read(run);
        String ns = run.namespace();
        List<Step> steps = new ArrayList<>();
        steps.add(apply("namespace", "Create the namespace", "kubectl apply -f 00-namespace.yaml", m.namespaces(), run));
        steps.add(apply("nats", "Deploy NATS JetStream (the messaging backbone)", "kubectl apply -f 01-nats.yaml", m.nats(), run));
        steps.add(SimpleStep.of("wait-nats", "Wait until NATS is Ready",
                "The streams and every service need NATS first.", "Waits until the NATS StatefulSet's pods are Ready.",
                List.of("kubectl wait --for=condition=ready pod/nats-0 -n " + ns + " --timeout=120s"), Duration.ofSeconds(120), r -> {
                    for (HasMetadata o : m.nats()) {
                        if (o instanceof StatefulSet s) {
                            awaitReady(r, "StatefulSet", s.getMetadata().getName());
                        }
                    }
                }).skippedWhen(r -> m.nats().isEmpty() ? Optional.of("the manifests have no NATS") : Optional.empty()));
        steps.add(SimpleStep.of("init-streams", "Initialise the NATS streams (critical: before the services)",
                "Services create their consumers on these streams at start.",
                "Runs the stream init job(s): " + names(m.streamJobs()) + ".",
                m.streamJobs().stream().map(j -> "kubectl apply -f <" + j.getMetadata().getName() + "> && kubectl wait --for=condition=complete job/"
                        + j.getMetadata().getName() + " -n " + ns + " --timeout=60s").toList(), Duration.ofSeconds(120), r -> {
                    for (Job j : m.streamJobs()) {
                        JobRuns.run(r, j);
                    }
                }).skippedWhen(r -> r.options().skips("streams") ? Optional.of("--skip streams")
                        : m.streamJobs().isEmpty() ? Optional.of("the manifests have no stream init job") : Optional.empty()));
        steps.add(apply("config", "Deploy ConfigMaps and Secrets", "kubectl apply -f 00-configmaps.yaml -f 03-configmaps.yaml ...", m.config(), run));
        steps.add(apply("data-stores", "Deploy the data stores (Neo4j, Valkey)", "kubectl apply -f 09-neo4j.yaml -f 10-valkey.yaml",
                m.dataStores(), run));
        steps.add(apply("services", "Deploy the microservices", "kubectl apply -f 08-context-service.yaml -f 11-orchestrator-service.yaml ...",
                m.services(), run));
        steps.add(SimpleStep.of("wait-ready", "Wait until every workload is Ready",
                "kubectl wait for orchestrator and context, and every other workload, each through its own rollout status.",
                "Waits until each Deployment and StatefulSet of the manifests runs all its replicas Ready.",
                List.of("kubectl rollout status deployment/NAME -n " + ns + " --timeout=120s   (for each)"), Duration.ofSeconds(180), r -> {
                    for (HasMetadata o : workloads(m)) {
                        awaitReady(r, o.getKind(), o.getMetadata().getName());
                    }
                }).skippedWhen(r -> r.options().noWait() ? Optional.of("--no-wait") : Optional.empty()));
        steps.add(SimpleStep.of("init-councils", "Initialise the councils",
                "The orchestrator needs its councils (DEV, QA, ARCHITECT, DEVOPS, DATA).",
                "Runs the council init job(s): " + names(m.councilJobs()) + ".",
                m.councilJobs().stream().map(j -> "kubectl apply -f <" + j.getMetadata().getName() + "> && kubectl wait --for=condition=complete job/"
                        + j.getMetadata().getName() + " -n " + ns + " --timeout=120s").toList(), Duration.ofSeconds(180), r -> {
                    for (Job j : m.councilJobs()) {
                        JobRuns.run(r, j);
                    }
                }).skippedWhen(r -> r.options().skips("councils") ? Optional.of("--skip councils")
                        : m.councilJobs().isEmpty() ? Optional.of("the manifests have no council init job") : Optional.empty()));
        steps.add(SimpleStep.of("verify-health", "Verify the fleet's health", "The runbook's last step: kubectl get pods, every workload Running.",
                "Reads every workload's health.", List.of("kubectl get pods -n " + ns), Duration.ofSeconds(30), r -> {
                    List<WorkloadHealth> rows = FleetHealth.read(r.client(), r.namespace(), r.profile());
                    FleetHealth.render(rows).lines().forEach(r::log);
                    List<String> names = workloads(m).stream().map(o -> o.getMetadata().getName()).toList();
                    List<String> bad = rows.stream().filter(x -> names.contains(x.name()) && !x.healthy()).map(x -> x.name() + " " + x.state()).toList();
                    if (!bad.isEmpty()) {
                        throw new StepFailure("Deployed, but not healthy: " + String.join(", ", bad) + ".", "Open the Pods area for the reason.");
                    }
                }).skippedWhen(r -> r.options().noWait() ? Optional.of("--no-wait") : Optional.empty()));
        return new Runbook("deploy-all", "Initial deployment", "From " + m.source() + ", in the runbook's order.", steps, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static SimpleStep apply(String id, String title, String command, List<? extends HasMetadata> objects, RunContext run) {
        return SimpleStep.of(id, title, "The runbook's order: what depends on it comes after.",
                objects.isEmpty() ? "Nothing of this kind in the manifests." : "Applies " + objects.size() + " object(s): " + describe(objects) + ".",
                List.of(command), Duration.ofSeconds(60), r -> {
                    for (HasMetadata o : objects) {
                        applyOne(r, o);
                    }
                }).skippedWhen(r -> objects.isEmpty() ? Optional.of("nothing of this kind in the manifests") : Optional.empty());
    }

    /** kubectl apply: create, or replace what exists (keeping the cluster's own fields). */
    static void applyOne(RunContext run, HasMetadata object) throws StepFailure {
        HasMetadata o = io.fabric8.kubernetes.client.utils.Serialization.clone(FleetManifests.asStored(object));
        if (!(o instanceof Namespace) && o.getMetadata().getNamespace() == null && !clusterScoped(o)) {
            o.getMetadata().setNamespace(run.namespace());
        }
        try {
            var resource = run.client().resource(o);
            if (resource.get() == null) {
                resource.create();
                run.log("created " + o.getKind().toLowerCase(Locale.ROOT) + "/" + o.getMetadata().getName());
            } else {
                resource.update();
                run.log("configured " + o.getKind().toLowerCase(Locale.ROOT) + "/" + o.getMetadata().getName());
            }
        } catch (KubernetesClientException e) {
            throw new StepFailure("Could not apply " + o.getKind() + " " + o.getMetadata().getName() + ": " + e.getMessage(),
                    "Fix the manifest (or the namespace), then resume from this step.", e);
        }
    }

    private static boolean clusterScoped(HasMetadata o) {
        return List.of("Namespace", "Node", "StorageClass", "ClusterRole", "ClusterRoleBinding", "PersistentVolume",
                "CustomResourceDefinition").contains(o.getKind());
    }

    private static void awaitReady(RunContext run, String kind, String name) throws StepFailure, InterruptedException {
        RolloutActions actions = ServiceSteps.actions(run);
        WorkloadStatus w = new RolloutHistory(run.client(), run.namespace()).workload(kind, name)
                .orElseThrow(() -> new StepFailure("There is no " + kind + " " + name + " to wait for.", "Resume from the step that applies it."));
        try {
            actions.awaitRolledOut(w, w.desired(), run.timeLeft(), run.cancellation());
            run.log(w.kubectlName() + " is Ready (" + w.desired() + "/" + w.desired() + ")");
        } catch (RolloutProblem e) {
            throw new StepFailure(e.getMessage(), e.whatToDo());
        }
    }

    private static List<HasMetadata> workloads(Manifests m) {
        List<HasMetadata> out = new ArrayList<>();
        Stream.of(m.nats(), m.dataStores(), m.services()).flatMap(List::stream)
                .filter(o -> "Deployment".equals(o.getKind()) || "StatefulSet".equals(o.getKind())).forEach(out::add);
        return out;
    }

    /** Reads the manifests of the run and sorts them into the runbook's groups. */
    static Manifests read(RunContext run) throws StepFailure {
        List<HasMetadata> all;
        String source;
        if (run.options().manifests().isPresent()) {
            Path dir = run.options().manifests().get();
            source = dir.toString();
            all = load(run, dir);
        } else {
            source = "the console's own manifests of the profile's fleet";
            all = new FleetManifests(run.profile()).objects();
        }
        List<HasMetadata> namespaces = new ArrayList<>();
        List<HasMetadata> nats = new ArrayList<>();
        List<Job> streamJobs = new ArrayList<>();
        List<HasMetadata> config = new ArrayList<>();
        List<HasMetadata> dataStores = new ArrayList<>();
        List<HasMetadata> services = new ArrayList<>();
        List<Job> councilJobs = new ArrayList<>();
        Predicate<HasMetadata> isNats = o -> o.getMetadata().getName().equals("nats")
                || "nats".equals(o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get("app"));
        for (HasMetadata o : all) {
            String name = o.getMetadata().getName().toLowerCase(Locale.ROOT);
            switch (o.getKind()) {
                case "Namespace" -> namespaces.add(o);
                case "ConfigMap", "Secret" -> config.add(o);
                case "Job" -> {
                    Job j = (Job) o;
                    if (name.contains("council")) {
                        if (!name.contains("delete")) {
                            councilJobs.add(j);
                        }
                    } else if (name.contains("stream")) {
                        if (!name.contains("delete")) {
                            streamJobs.add(j);
                        }
                    } else {
                        services.add(o);
                    }
                }
                case "StatefulSet" -> (isNats.test(o) ? nats : dataStores).add(o);
                case "Service" -> (isNats.test(o) ? nats : services).add(o);
                default -> services.add(o);
            }
        }
        // Services of the data stores go with them, so a store's DNS name exists when it starts.
        List<String> storeNames = dataStores.stream().map(o -> o.getMetadata().getName()).toList();
        List<HasMetadata> storeServices = services.stream().filter(o -> "Service".equals(o.getKind())
                && storeNames.stream().anyMatch(n -> o.getMetadata().getName().contains(n))).toList();
        services.removeAll(storeServices);
        dataStores.addAll(storeServices);
        return new Manifests(source, namespaces, nats, streamJobs, config, dataStores, services, councilJobs);
    }

    private static List<HasMetadata> load(RunContext run, Path dir) throws StepFailure {
        if (!Files.isDirectory(dir)) {
            throw new StepFailure("The manifests folder " + dir + " does not exist.", "Give the folder of the fleet's manifests with --manifests DIR.");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new StepFailure("Cannot read " + dir + ": " + e.getMessage(), "Check the folder's permissions.", e);
        }
        if (files.isEmpty()) {
            throw new StepFailure("No .yaml manifests in " + dir + ".", "Give the folder of the fleet's manifests with --manifests DIR.");
        }
        List<HasMetadata> out = new ArrayList<>();
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                out.addAll(run.client().load(in).items());
            } catch (IOException | RuntimeException e) {
                throw new StepFailure("The manifest " + f + " cannot be read: " + e.getMessage(), "Fix it (kubectl apply --dry-run=client -f "
                        + f + " says where), then run again.", e);
            }
        }
        return out;
    }

    private static String names(List<Job> jobs) {
        return jobs.isEmpty() ? "none" : String.join(", ", jobs.stream().map(j -> j.getMetadata().getName()).toList());
    }

    private static String describe(List<? extends HasMetadata> objects) {
        List<String> parts = objects.stream().map(o -> o.getKind().toLowerCase(Locale.ROOT) + "/" + o.getMetadata().getName()).toList();
        return parts.size() <= 8 ? String.join(", ", parts) : String.join(", ", parts.subList(0, 8)) + " and " + (parts.size() - 8) + " more";
    }
}
