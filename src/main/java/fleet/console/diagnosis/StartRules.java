package fleet.console.diagnosis;

import fleet.console.cluster.KubectlCommands;
import fleet.console.manifests.FleetManifests;
import fleet.console.profile.ServiceSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pods that never get their container started: a ConfigMap, Secret or key they read is missing
 * (CreateContainerConfigError, or a volume that cannot be mounted), or their image cannot be pulled
 * (the runbook's Issue C, with the registry asked whether the tag exists and the fleet's two image paths
 * told apart).
 */
final class StartRules {

    private static final Pattern MISSING_OBJECT = Pattern.compile("(configmap|secret) \"([^\"]+)\" not found");
    private static final Pattern MISSING_KEY = Pattern.compile("couldn't find key (\\S+) in (ConfigMap|Secret) ([^/\\s]+)/(\\S+)");

    private StartRules() {
    }

    // Missing ConfigMap, Secret or key ----------------------------------------------------------------

    static List<Finding> missingConfig(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (PodView p : o.focusedPods()) {
            Optional<String> symptom = p.symptom().filter(s -> s.equals(PodView.CONFIG) || s.equals(PodView.MOUNT));
            if (symptom.isEmpty()) {
                continue;
            }
            Optional<ContainerStatus> waiting = p.statuses().stream()
                    .filter(s -> PodView.waitingReason(s).filter(r -> r.startsWith("CreateContainer")).isPresent()).findFirst();
            String message = waiting.map(s -> s.getState().getWaiting().getMessage()).orElse(null);
            Optional<Event> event = symptom.get().equals(PodView.MOUNT) ? p.lastEvent("FailedMount") : p.lastEvent("Failed");
            if (message == null) {
                message = event.map(Event::getMessage).orElse("");
            }
            Matcher object = MISSING_OBJECT.matcher(message);
            Matcher key = MISSING_KEY.matcher(message);
            String kind;
            String name;
            Optional<String> missingKey = Optional.empty();
            if (key.find()) {
                kind = key.group(2);
                name = key.group(4);
                missingKey = Optional.of(key.group(1));
            } else if (object.find()) {
                kind = object.group(1).equals("configmap") ? "ConfigMap" : "Secret";
                name = object.group(2);
            } else {
                continue;
            }
            String what = missingKey.map(k -> "key " + k + " of " + kind + " " + name).orElse(kind + " " + name);
            List<String> others = o.pods().stream().filter(x -> !x.name().equals(p.name()) && x.symptom().filter(symptom.get()::equals).isPresent())
                    .filter(x -> x.statuses().stream().anyMatch(s -> PodView.waitingReason(s).isPresent() && s.getState().getWaiting().getMessage() != null
                            && s.getState().getWaiting().getMessage().contains("\"" + name + "\"")))
                    .map(PodView::name).toList();
            Finding f = Finding.of(p.subject(), symptom.get(), p.name() + " cannot start: it reads " + what + ", which does not exist in "
                    + o.namespace() + (symptom.get().equals(PodView.MOUNT) ? " (mounted as a volume)" : "") + "."
                    + (others.isEmpty() ? "" : " Also waiting for it: " + String.join(", ", others) + "."))
                    .cause(missingKey.isPresent() ? "Missing " + kind + " key" : "Missing " + kind);
            waiting.ifPresent(s -> f.evidence("status", s.getState().getWaiting().getReason() + ": " + s.getState().getWaiting().getMessage(),
                    Evidences.containerStatus(p, s.getName(), "state.waiting")));
            event.ifPresent(e -> f.evidence(List.of(Evidences.event(o.namespace(), e))));
            reference(p, kind, name, missingKey).or(() -> reference(p, kind, name, Optional.empty())).ifPresent(ref -> f.evidence("spec", ref.text, Evidences.podField(p, ref.field, ref.jsonPath)));
            f.fix(restore(o, kind, name, missingKey));
            out.add(f);
        }
        return out;
    }

    private record Reference(String text, String field, String jsonPath) {
    }

    /**
     * Where the pod's spec names the missing object: an env var (the one reading the missing key, when a
     * key is missing), envFrom, or a volume.
     */
    private static Optional<Reference> reference(PodView p, String kind, String name, Optional<String> key) {
        for (Container c : p.containers()) {
            for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
                var from = e.getValueFrom();
                if (from == null) {
                    continue;
                }
                if ("ConfigMap".equals(kind) && from.getConfigMapKeyRef() != null && name.equals(from.getConfigMapKeyRef().getName())
                        || "Secret".equals(kind) && from.getSecretKeyRef() != null && name.equals(from.getSecretKeyRef().getName())) {
                    String k = from.getConfigMapKeyRef() != null ? from.getConfigMapKeyRef().getKey() : from.getSecretKeyRef().getKey();
                    if (key.isPresent() && !key.get().equals(k)) {
                        continue;
                    }
                    return Optional.of(new Reference(c.getName() + " reads " + e.getName() + " from " + kind.toLowerCase() + " " + name + " / " + k,
                            "spec.containers[" + c.getName() + "].env[" + e.getName() + "]",
                            ".spec.containers[?(@.name==\"" + c.getName() + "\")].env[?(@.name==\"" + e.getName() + "\")]"));
                }
            }
            for (var from : key.isPresent() ? List.<io.fabric8.kubernetes.api.model.EnvFromSource>of() : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
                if ("ConfigMap".equals(kind) && from.getConfigMapRef() != null && name.equals(from.getConfigMapRef().getName())
                        || "Secret".equals(kind) && from.getSecretRef() != null && name.equals(from.getSecretRef().getName())) {
                    return Optional.of(new Reference(c.getName() + " takes all of " + kind.toLowerCase() + " " + name + " as environment",
                            "spec.containers[" + c.getName() + "].envFrom", ".spec.containers[?(@.name==\"" + c.getName() + "\")].envFrom"));
                }
            }
        }
        for (Volume v : Optional.ofNullable(p.pod().getSpec().getVolumes()).orElse(List.of())) {
            if ("ConfigMap".equals(kind) && v.getConfigMap() != null && name.equals(v.getConfigMap().getName())
                    || "Secret".equals(kind) && v.getSecret() != null && name.equals(v.getSecret().getSecretName())) {
                return Optional.of(new Reference("volume " + v.getName() + " is " + kind.toLowerCase() + " " + name,
                        "spec.volumes[" + v.getName() + "]", ".spec.volumes[?(@.name==\"" + v.getName() + "\")]"));
            }
        }
        return Optional.empty();
    }

    /**
     * The command that puts it back. A ConfigMap the console's own fleet manifests define is written out
     * with their values (to check against the cluster's); a Secret's values are never guessed.
     */
    private static Fix restore(Observations o, String kind, String name, Optional<String> key) {
        String ns = Fixes.ns(o);
        Optional<ConfigMap> known = "ConfigMap".equals(kind) ? ownManifest(o, name) : Optional.empty();
        String later = " The pods that wait for it start by themselves once it is there.";
        if (key.isPresent()) {
            String value = known.map(cm -> cm.getData() == null ? null : cm.getData().get(key.get())).orElse("<value>");
            if ("Secret".equals(kind)) {
                return new Fix.CommandFix("Add the key " + key.get() + " to secret " + name + "." + later,
                        List.of("kubectl patch secret " + KubectlCommands.quote(name) + " " + ns + " --type merge -p "
                                + KubectlCommands.quote("{\"stringData\":{\"" + key.get() + "\":\"<value>\"}}")));
            }
            return new Fix.CommandFix("Add the key " + key.get() + " to configmap " + name
                    + (known.isPresent() ? " (the value is the console's fleet manifests'; check it)." : ".") + later,
                    List.of("kubectl patch configmap " + KubectlCommands.quote(name) + " " + ns + " --type merge -p "
                            + KubectlCommands.quote("{\"data\":{\"" + key.get() + "\":\"" + value + "\"}}")));
        }
        if ("Secret".equals(kind)) {
            return new Fix.CommandFix("Create secret " + name + " again with its keys (the console never guesses a secret's value)." + later,
                    List.of("kubectl get secrets " + ns, "kubectl create secret generic " + KubectlCommands.quote(name) + " " + ns
                            + " --from-literal=<KEY>=<value>"));
        }
        if (known.isPresent() && known.get().getData() != null && known.get().getData().values().stream().noneMatch(v -> v.contains("\n"))) {
            StringBuilder create = new StringBuilder("kubectl create configmap " + KubectlCommands.quote(name) + " " + ns);
            for (Map.Entry<String, String> e : known.get().getData().entrySet()) {
                create.append(" --from-literal=").append(KubectlCommands.quote(e.getKey() + "=" + e.getValue()));
            }
            return new Fix.CommandFix("Create configmap " + name + " again; the values are from the console's fleet manifests, check them"
                    + " against your cluster's." + later, List.of("kubectl get configmaps " + ns, create.toString()));
        }
        return new Fix.CommandFix("Apply the manifest that defines configmap " + name + " again (the fleet's configmaps file)." + later,
                List.of("kubectl get configmaps " + ns, "kubectl apply " + ns + " -f <the manifest that defines configmap " + name + ">"));
    }

    private static Optional<ConfigMap> ownManifest(Observations o, String name) {
        try {
            for (HasMetadata h : new FleetManifests(o.profile()).objects()) {
                if (h instanceof ConfigMap cm && name.equals(cm.getMetadata().getName())) {
                    return Optional.of(cm);
                }
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    // Image pulls ----------------------------------------------------------------------------------------

    static List<Finding> imagePull(Observations o) {
        List<Finding> out = new ArrayList<>();
        for (PodView p : o.focusedPods()) {
            if (p.symptom().filter(PodView.PULL::equals).isEmpty()) {
                continue;
            }
            Optional<ContainerStatus> pulling = p.statuses().stream()
                    .filter(s -> PodView.waitingReason(s).filter(r -> r.contains("Image")).isPresent()).findFirst();
            if (pulling.isEmpty()) {
                continue;
            }
            String container = pulling.get().getName();
            String image = p.container(container).map(Container::getImage).orElse(pulling.get().getImage());
            ImageRef ref = ImageRef.parse(image);
            Optional<Event> failed = p.events().stream().filter(e -> "Failed".equals(e.getReason()) && e.getMessage() != null
                    && e.getMessage().startsWith("Failed to pull image")).reduce((a, b) -> b);
            TagCheck check = o.registry(image);
            Optional<ServiceSpec> service = p.service().filter(s -> s.container().equals(container));
            Optional<ImageRef> declared = service.map(s -> ImageRef.parse(o.profile().imageFor(s)));
            boolean pathMix = declared.filter(d -> d.host().equals(ref.host()) && d.name().equals(ref.name()) && !d.path().equals(ref.path()))
                    .isPresent();

            String cause;
            String explanation;
            Confidence confidence = Confidence.CERTAIN;
            if (pathMix) {
                cause = "Image path mixes " + ref.path() + "/ and " + declared.get().path() + "/";
                explanation = container + " pulls from " + ref.host() + "/" + ref.repository() + ", but the fleet's images are pushed to "
                        + declared.get().host() + "/" + declared.get().repository() + " (the manifests and the build scripts spell the path"
                        + " differently)" + (check.known() ? "; the registry says: " + check.detail() + "." : ".");
                if (!check.known()) {
                    confidence = Confidence.LIKELY;
                }
            } else if (check.status() == TagCheck.Status.TAG_MISSING) {
                cause = "Image tag not in the registry";
                explanation = "The registry has " + ref.repository() + " but no tag " + ref.reference() + " (it has: "
                        + String.join(", ", check.tags().stream().limit(10).toList()) + (check.tags().size() > 10 ? ", ..." : "") + ").";
            } else if (check.status() == TagCheck.Status.REPOSITORY_MISSING) {
                cause = "Image repository not in the registry";
                explanation = "The registry " + ref.host() + " has no repository " + ref.repository() + ": the image was never pushed there.";
            } else {
                cause = "Image cannot be pulled";
                explanation = "The node cannot pull " + image + failed.map(e -> ": " + pullError(e.getMessage())).orElse("")
                        + ". The console could not check the registry: " + check.detail() + ".";
                confidence = Confidence.LIKELY;
            }
            Finding f = Finding.of(p.subject(), PodView.PULL, explanation).cause(cause).confidence(confidence);
            f.evidence("status", pulling.get().getState().getWaiting().getReason() + ": " + image, Evidences.containerSpec(p, container, "image"));
            failed.ifPresent(e -> f.evidence(List.of(Evidences.event(o.namespace(), e))));
            if (!check.url().isEmpty()) {
                f.evidence("registry", check.detail() + (check.tags().isEmpty() ? "" : " (tags: " + String.join(", ", check.tags().stream().limit(10).toList()) + ")"),
                        new EvidenceSource.Registry(check.url()));
            }
            declared.ifPresent(d -> f.evidence("profile", d.text(), new EvidenceSource.Profile(service.get().name(), "image, tag")));
            f.fix(pullFix(o, p, image, service, declared, check));
            out.add(f);
        }
        return out;
    }

    private static Fix pullFix(Observations o, PodView p, String image, Optional<ServiceSpec> service, Optional<ImageRef> declared,
                               TagCheck check) {
        if (service.isPresent() && declared.isPresent() && !declared.get().text().equals(ImageRef.parse(image).text())) {
            TagCheck theirs = o.registry(o.profile().imageFor(service.get()));
            if (theirs.status() == TagCheck.Status.TAG_MISSING || theirs.status() == TagCheck.Status.REPOSITORY_MISSING) {
                return new Fix.CommandFix("The profile's image " + o.profile().imageFor(service.get()) + " is not in the registry either: "
                        + "push it, then redeploy with the runbook.",
                        List.of("podman push " + o.profile().imageFor(service.get()),
                                "fleet-console runbook redeploy --service " + service.get().name() + " --skip-build"));
            }
            return Fixes.redeploy(service.get(), Optional.empty(), "Deploy the profile's image " + o.profile().imageFor(service.get())
                    + (theirs.status() == TagCheck.Status.FOUND ? ", which the registry has," : "") + " instead"
                    + (service.get().natsConsumers() ? " (the safe path: " + service.get().name() + " has NATS consumers)." : "."));
        }
        ImageRef ref = ImageRef.parse(image);
        String tags = check.url().isEmpty() ? "https://" + ref.host() + "/v2/" + ref.repository() + "/tags/list" : check.url();
        return new Fix.CommandFix("Push " + image + " to the registry (or set the workload to a tag that exists).",
                List.of("curl -k " + KubectlCommands.quote(tags), "podman push " + KubectlCommands.quote(image)));
    }

    /** The runtime's reason without its repetitions ({@code ...: not found}). */
    private static String pullError(String message) {
        int colon = message.lastIndexOf(": ");
        return colon < 0 ? message : message.substring(colon + 2);
    }
}
