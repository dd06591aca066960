package fleet.console.sandbox;

import fleet.console.sandbox.controllers.Storage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The sandbox's nodes (capacity from the options, no GPU unless asked) and its default storage class. */
final class SandboxNodes {

    private SandboxNodes() {
    }

    /**
     * What the runbook's prerequisites expect on the cluster besides the fleet: cert-manager and
     * ingress-nginx, each a namespace with its controller.
     */
    private static List<HasMetadata> platform() {
        List<HasMetadata> out = new ArrayList<>();
        for (String[] p : new String[][] {
                {"cert-manager", "cert-manager", "quay.io/jetstack/cert-manager-controller:v1.15.3"},
                {"ingress-nginx", "ingress-nginx-controller", "registry.k8s.io/ingress-nginx/controller:v1.11.2"}}) {
            out.add(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(p[0]).endMetadata().build());
            out.add(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                    .withNewMetadata().withName(p[1]).withNamespace(p[0]).addToLabels("app.kubernetes.io/name", p[1]).endMetadata()
                    .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app.kubernetes.io/name", p[1]).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app.kubernetes.io/name", p[1]).endMetadata()
                    .withNewSpec().addNewContainer().withName("controller").withImage(p[2])
                    .withNewResources().addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi")).endResources()
                    .endContainer().endSpec()
                    .endTemplate().endSpec().build());
        }
        return out;
    }

    static Set<String> names(SandboxOptions options) {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 1; i <= options.nodes(); i++) {
            names.add("sandbox-node-" + i);
        }
        return names;
    }

    /** The nodes and the default storage class, to create before anything is scheduled. */
    static List<HasMetadata> objects(SandboxOptions options) {
        List<HasMetadata> out = new ArrayList<>();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        int i = 0;
        for (String name : names(options)) {
            i++;
            Map<String, Quantity> capacity = new LinkedHashMap<>();
            capacity.put("cpu", new Quantity(Integer.toString(options.nodeCpu())));
            capacity.put("memory", new Quantity(options.nodeMemoryGi() + "Gi"));
            capacity.put("pods", new Quantity("110"));
            capacity.put("ephemeral-storage", new Quantity("200Gi"));
            if (options.nodeGpus() > 0) {
                capacity.put("nvidia.com/gpu", new Quantity(Integer.toString(options.nodeGpus())));
            }
            Node node = new NodeBuilder()
                    .withNewMetadata().withName(name)
                    .addToLabels("kubernetes.io/hostname", name)
                    .addToLabels("kubernetes.io/os", "linux")
                    .addToLabels("kubernetes.io/arch", "amd64")
                    .addToLabels("node-role.kubernetes.io/control-plane", "")
                    .withCreationTimestamp(now)
                    .endMetadata()
                    .withNewSpec().endSpec()
                    .withNewStatus()
                    .withCapacity(capacity)
                    .withAllocatable(capacity)
                    .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                    .withMessage("kubelet is posting ready status").withLastTransitionTime(now).endCondition()
                    .addNewAddress().withType("InternalIP").withAddress("10.0.0." + (9 + i)).endAddress()
                    .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                    .withNewNodeInfo().withKubeletVersion("v" + Sandbox.KUBERNETES_VERSION)
                    .withContainerRuntimeVersion("containerd://1.7.22").withOsImage("Sandbox (simulated)")
                    .withOperatingSystem("linux").withArchitecture("amd64").endNodeInfo()
                    .endStatus()
                    .build();
            out.add(node);
        }
        out.add(new StorageClassBuilder()
                .withNewMetadata().withName(Storage.DEFAULT_CLASS)
                .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true").endMetadata()
                .withProvisioner("sandbox.fleet-console/hostpath")
                .withVolumeBindingMode("Immediate")
                .withReclaimPolicy("Delete")
                .build());
        // The fleet's own manifests ask for local-path (Rancher's provisioner on the fleet's cluster).
        out.add(new StorageClassBuilder()
                .withNewMetadata().withName("local-path").endMetadata()
                .withProvisioner("rancher.io/local-path")
                .withVolumeBindingMode("Immediate")
                .withReclaimPolicy("Delete")
                .build());
        // Every cluster has it; Kubernetes keeps the events about nodes (a reboot) there.
        out.add(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build());
        out.addAll(platform());
        return out;
    }
}
