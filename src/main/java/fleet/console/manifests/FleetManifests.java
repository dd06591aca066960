package fleet.console.manifests;

import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;
import fleet.console.profile.WorkloadKind;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's own manifests of the profile's fleet ({@code fleet.yaml}, filled from the profile, plus a
 * plain workload for every profile service it does not describe): what the sandbox is seeded with, and
 * what the initial-deployment runbook applies when no manifests folder is given.
 */
public final class FleetManifests {

    private static final String TEMPLATE = "/fleet/console/manifests/fleet.yaml";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z.]+)(?::([a-z0-9-]+))?}");
    private static final List<String> ORDER = List.of("Namespace", "ConfigMap", "Secret", "Service", "StatefulSet", "Job", "Deployment");

    private final FleetProfile profile;

    public FleetManifests(FleetProfile profile) {
        this.profile = profile;
    }

    /** The objects of the fleet, in the order the runbook's initial deployment applies them. */
    public List<HasMetadata> objects() {
        String template = read();
        Set<String> described = new HashSet<>();
        StringBuilder yaml = new StringBuilder();
        for (String doc : template.split("\n---\n")) {
            if (doc.strip().startsWith("#@template ")) {
                continue;
            }
            String service = marker(doc);
            if (service != null) {
                if (profile.service(service).isEmpty()) {
                    continue;
                }
                described.add(service);
            }
            yaml.append(fill(doc)).append("\n---\n");
        }
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.toString().split("\n---\n")) {
            if (doc.lines().anyMatch(l -> !l.isBlank() && !l.trim().startsWith("#"))) {
                objects.add(Serialization.unmarshal(doc, HasMetadata.class));
            }
        }
        for (ServiceSpec s : profile.services()) {
            if (!described.contains(s.name())) {
                objects.addAll(plainWorkload(s));
            }
        }
        objects.sort(Comparator.comparingInt(o -> {
            int i = ORDER.indexOf(o.getKind());
            return i < 0 ? ORDER.size() : i;
        }));
        return objects;
    }

    /**
     * A manifest kept for on-demand use, never deployed with the fleet ({@code #@template NAME}), such as
     * the stream deletion job of the NATS clean slate.
     */
    public java.util.Optional<HasMetadata> template(String name) {
        for (String doc : read().split("\n---\n")) {
            String first = doc.strip().lines().findFirst().orElse("");
            if (first.equals("#@template " + name)) {
                return java.util.Optional.of(Serialization.unmarshal(fill(doc), HasMetadata.class));
            }
        }
        return java.util.Optional.empty();
    }

    /** One object of the fleet's manifests by kind and name (the stream init job, say). */
    public java.util.Optional<HasMetadata> object(String kind, String name) {
        return objects().stream().filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name)).findFirst();
    }

    /**
     * The object as the API server would store it: a Secret's stringData base64-encoded under data (the
     * emulator does not do it, and a reader of data must find the values).
     */
    public static HasMetadata asStored(HasMetadata object) {
        if (object instanceof io.fabric8.kubernetes.api.model.Secret secret && secret.getStringData() != null) {
            io.fabric8.kubernetes.api.model.Secret copy = Serialization.clone(secret);
            Map<String, String> data = new java.util.LinkedHashMap<>(copy.getData() == null ? Map.of() : copy.getData());
            copy.getStringData().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
            copy.setData(data);
            copy.setStringData(null);
            return copy;
        }
        return object;
    }

    private static String marker(String doc) {
        String first = doc.strip().lines().findFirst().orElse("");
        return first.startsWith("#@service ") ? first.substring("#@service ".length()).trim() : null;
    }

    private String fill(String doc) {
        Matcher m = PLACEHOLDER.matcher(doc);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1), m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String value(String key, String arg) {
        return switch (key) {
            case "namespace" -> profile.namespace();
            case "registry" -> profile.registry().host() + "/" + profile.registry().path();
            case "image" -> profile.imageFor(service(arg));
            case "replicas" -> Integer.toString(service(arg).replicas());
            case "tag" -> service(arg).tag();
            case "councils.model" -> profile.councils().model();
            case "councils.agents" -> Integer.toString(profile.councils().agentsPerCouncil());
            case "councils.roles" -> String.join(", ", profile.councils().roles());
            case "secret" -> randomSecret();
            default -> throw new IllegalStateException("Unknown placeholder ${" + key + "} in " + TEMPLATE);
        };
    }

    private ServiceSpec service(String name) {
        return profile.service(name).orElseThrow(() -> new IllegalStateException(
                TEMPLATE + " refers to service '" + name + "', which the profile does not have"));
    }

    private List<HasMetadata> plainWorkload(ServiceSpec s) {
        Map<String, String> labels = Map.of("app", s.name());
        ContainerBuilder container = new ContainerBuilder().withName(s.container()).withImage(profile.imageFor(s))
                .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("128Mi")).endResources();
        if (s.natsConsumers()) {
            container.addNewEnv().withName("NATS_URL").withNewValueFrom().withNewConfigMapKeyRef("NATS_URL", "service-urls", false)
                    .endValueFrom().endEnv();
        }
        s.port().ifPresent(p -> container.addNewPort().withContainerPort(p).endPort());
        List<HasMetadata> out = new ArrayList<>();
        if (s.kind() == WorkloadKind.STATEFULSET) {
            out.add(new StatefulSetBuilder().withNewMetadata().withName(s.name()).withNamespace(profile.namespace()).withLabels(labels).endMetadata()
                    .withNewSpec().withServiceName(s.name()).withReplicas(s.replicas()).withNewSelector().withMatchLabels(labels).endSelector()
                    .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                    .withNewSpec().withContainers(container.build()).endSpec().endTemplate().endSpec().build());
        } else {
            out.add(new DeploymentBuilder().withNewMetadata().withName(s.name()).withNamespace(profile.namespace()).withLabels(labels).endMetadata()
                    .withNewSpec().withReplicas(s.replicas()).withNewSelector().withMatchLabels(labels).endSelector()
                    .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                    .withNewSpec().withContainers(container.build()).endSpec().endTemplate().endSpec().build());
        }
        s.port().ifPresent(p -> out.add(new ServiceBuilder().withNewMetadata().withName(s.name()).withNamespace(profile.namespace())
                .withLabels(labels).endMetadata().withNewSpec().withSelector(labels).addNewPort().withPort(p).endPort().endSpec().build()));
        return out;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String read() {
        try (InputStream in = FleetManifests.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("The sandbox's fleet manifests " + TEMPLATE + " are missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
