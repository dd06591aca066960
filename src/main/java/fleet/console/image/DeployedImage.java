package fleet.console.image;

import fleet.console.profile.ServiceSpec;
import fleet.console.profile.WorkloadKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * The image a service's workload is set to run: its pod template's container, what
 * {@code kubectl set image} last changed. The tag in it is where a bump starts from, and the one
 * a build must not overwrite without confirmation.
 *
 * @param workload  the Deployment or StatefulSet
 * @param container the container of the service
 * @param image     its image reference as written in the template
 */
public record DeployedImage(String workload, String container, String image) {

    /** The workload's image, when the workload and the service's container exist in the namespace. */
    public static Optional<DeployedImage> read(KubernetesClient client, String namespace, ServiceSpec service) {
        PodTemplateSpec template;
        if (service.kind() == WorkloadKind.STATEFULSET) {
            StatefulSet set = client.apps().statefulSets().inNamespace(namespace).withName(service.name()).get();
            template = set == null ? null : set.getSpec().getTemplate();
        } else {
            Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(service.name()).get();
            template = deployment == null ? null : deployment.getSpec().getTemplate();
        }
        if (template == null || template.getSpec() == null) {
            return Optional.empty();
        }
        List<Container> containers = template.getSpec().getContainers();
        return containers.stream().filter(c -> service.container().equals(c.getName())).findFirst()
                .map(c -> new DeployedImage(service.name(), c.getName(), c.getImage()));
    }

    /** The repository part, without tag or digest. */
    public String repository() {
        String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = noDigest.lastIndexOf(':');
        return colon > noDigest.lastIndexOf('/') ? noDigest.substring(0, colon) : noDigest;
    }

    /** The tag, {@code latest} when none is written; empty when the image is pinned by digest alone. */
    public Optional<String> tag() {
        String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = noDigest.lastIndexOf(':');
        if (colon > noDigest.lastIndexOf('/')) {
            return Optional.of(noDigest.substring(colon + 1));
        }
        return image.contains("@") ? Optional.empty() : Optional.of("latest");
    }
}
