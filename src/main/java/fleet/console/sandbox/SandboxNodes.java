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
        return out;
    }
}
