package fleet.console.sandbox;

import fleet.console.profile.FleetProfile;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sandbox's controllers on workloads of the test's own, in an empty sandbox (no fleet): what
 * kube-controller-manager would do, seen through an ordinary client.
 */
class SandboxControllersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Sandbox sandbox;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withEmpty(true).withNats(false).withRegistry(false));
        client = sandbox.client();
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    private static Deployment deployment(String name, int replicas, String image) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private static List<Pod> runningReady(String ns, String app) {
        return client.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> "Running".equals(p.getStatus().getPhase()))
                .filter(p -> p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .toList();
    }

    private static void await(String what, Predicate<KubernetesClient> condition) throws InterruptedException {
        assertTrue(sandbox.await(condition, WAIT), "timed out waiting until " + what);
    }

    @Test
    void scaledDeploymentGetsThatManyRunningPods() throws Exception {
        String ns = namespace("scale");
        client.apps().deployments().inNamespace(ns).resource(deployment("web", 1, "nginx:1.25")).create();
        await("1 pod runs", c -> runningReady(ns, "web").size() == 1);

        client.apps().deployments().inNamespace(ns).withName("web").scale(3);

        await("3 pods run and the deployment says 3 ready", c -> runningReady(ns, "web").size() == 3
                && Integer.valueOf(3).equals(c.apps().deployments().inNamespace(ns).withName("web").get().getStatus().getReadyReplicas()));
        client.apps().deployments().inNamespace(ns).withName("web").scale(1);
        await("back to 1 pod, the others gone", c -> c.pods().inNamespace(ns).withLabel("app", "web").list().getItems().size() == 1);
    }

    @Test
    void newImageCreatesNextRevisionAndScalesOldReplicaSetToZeroAndUndoReusesIt() throws Exception {
        String ns = namespace("rollout");
        client.apps().deployments().inNamespace(ns).resource(deployment("api", 2, "registry.example/api:v1")).create();
        await("revision 1 ready", c -> runningReady(ns, "api").size() == 2);
        String first = replicaSets(ns).get(0).getMetadata().getName();

        retryOnConflict(() -> client.apps().deployments().inNamespace(ns).withName("api").updateImage("registry.example/api:v2"));

        await("revision 2 owns both pods and revision 1 is at 0", c -> {
            List<ReplicaSet> rs = replicaSets(ns);
            return rs.size() == 2 && revision(rs.get(1)) == 2 && replicas(rs.get(1)) == 2 && replicas(rs.get(0)) == 0
                    && runningReady(ns, "api").size() == 2
                    && runningReady(ns, "api").stream().allMatch(p -> p.getSpec().getContainers().get(0).getImage().endsWith(":v2"));
        });
        assertEquals("2", client.apps().deployments().inNamespace(ns).withName("api").get()
                .getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));

        retryOnConflict(() -> client.apps().deployments().inNamespace(ns).withName("api").rolling().undo());

        await("the first ReplicaSet is live again, as revision 3", c -> {
            ReplicaSet rs = c.apps().replicaSets().inNamespace(ns).withName(first).get();
            return rs != null && revision(rs) == 3 && replicas(rs) == 2 && runningReady(ns, "api").stream()
                    .allMatch(p -> p.getSpec().getContainers().get(0).getImage().endsWith(":v1"));
        });
        assertEquals("1", client.apps().replicaSets().inNamespace(ns).withName(first).get()
                .getMetadata().getAnnotations().get("deployment.kubernetes.io/revision-history"));
    }

    @Test
    void statefulSetCreatesOrdinalPodsInOrderAndKeepsControllerRevisions() throws Exception {
        String ns = namespace("stateful");
        client.apps().statefulSets().inNamespace(ns).resource(new StatefulSetBuilder()
                .withNewMetadata().withName("store").endMetadata()
                .withNewSpec().withReplicas(2).withServiceName("store")
                .withNewSelector().addToMatchLabels("app", "store").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "store").endMetadata()
                .withNewSpec().addNewContainer().withName("store").withImage("valkey/valkey:8.0").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        await("store-0 and store-1 run", c -> runningReady(ns, "store").stream().map(p -> p.getMetadata().getName()).sorted()
                .toList().equals(List.of("store-0", "store-1")));
        retryOnConflict(() -> client.apps().statefulSets().inNamespace(ns).withName("store").updateImage("valkey/valkey:8.1"));
        await("both pods updated and two revisions kept", c -> {
            var sts = c.apps().statefulSets().inNamespace(ns).withName("store").get();
            return sts.getStatus() != null && Integer.valueOf(2).equals(sts.getStatus().getUpdatedReplicas())
                    && Integer.valueOf(2).equals(sts.getStatus().getReadyReplicas())
                    && sts.getStatus().getUpdateRevision().equals(sts.getStatus().getCurrentRevision())
                    && c.apps().controllerRevisions().inNamespace(ns).list().getItems().size() == 2;
        });
    }

    @Test
    void jobRunsToCompleteAndItsLogIsReadable() throws Exception {
        String ns = namespace("jobs");
        client.batch().v1().jobs().inNamespace(ns).resource(new JobBuilder().withNewMetadata().withName("once").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("once").withImage("busybox:1.36").endContainer().endSpec().endTemplate().endSpec()
                .build()).create();
        await("the job is Complete", c -> {
            Job j = c.batch().v1().jobs().inNamespace(ns).withName("once").get();
            return j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus().getConditions().stream()
                    .anyMatch(x -> "Complete".equals(x.getType()) && "True".equals(x.getStatus()));
        });
        Pod pod = client.pods().inNamespace(ns).withLabel("job-name", "once").list().getItems().get(0);
        assertEquals("Succeeded", pod.getStatus().getPhase());
        String log = client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).getLog();
        assertTrue(log.contains("Running once") && log.contains("Done."), log);
    }

    @Test
    void jobThatKeepsFailingStopsAtItsBackoffLimitWithEachTryKept() throws Exception {
        String ns = namespace("failing");
        client.batch().v1().jobs().inNamespace(ns).resource(new JobBuilder().withNewMetadata().withName("migrate").endMetadata()
                .withNewSpec().withBackoffLimit(1).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("migrate").withImage("busybox:1.36")
                .withCommand("sh", "-c", "echo migrating schema; echo 'relation \"councils\" already exists'; exit 3")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        await("the job Failed with BackoffLimitExceeded", c -> {
            Job j = c.batch().v1().jobs().inNamespace(ns).withName("migrate").get();
            return j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus().getConditions().stream()
                    .anyMatch(x -> "Failed".equals(x.getType()) && "BackoffLimitExceeded".equals(x.getReason()));
        });
        List<Pod> tries = client.pods().inNamespace(ns).withLabel("job-name", "migrate").list().getItems();
        assertEquals(2, tries.size(), "backoffLimit 1: the first try and one retry");
        for (Pod p : tries) {
            assertEquals("Failed", p.getStatus().getPhase());
            assertEquals(3, p.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode());
            assertTrue(client.pods().inNamespace(ns).withName(p.getMetadata().getName()).getLog().contains("relation \"councils\" already exists"));
        }
    }

    @Test
    void podThatAsksForAGpuStaysPendingWithTheSchedulersMessage() throws Exception {
        String ns = namespace("gpu");
        Deployment d = deployment("vllm", 1, "vllm/vllm-openai:v0.6.3");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("1"))
                .addToLimits("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("1")).build());
        client.apps().deployments().inNamespace(ns).resource(d).create();
        await("a FailedScheduling event names the GPU", c -> c.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "FailedScheduling".equals(e.getReason())
                        && e.getMessage().startsWith("0/1 nodes are available: 1 Insufficient nvidia.com/gpu.")));
        Pod pod = client.pods().inNamespace(ns).withLabel("app", "vllm").list().getItems().get(0);
        assertEquals("Pending", pod.getStatus().getPhase());
        assertEquals(null, pod.getSpec().getNodeName());
    }

    @Test
    void deletedPodIsTerminatingFirstThenGoneAndReplaced() throws Exception {
        String ns = namespace("delete");
        client.apps().deployments().inNamespace(ns).resource(deployment("worker", 1, "busybox:1.36")).create();
        await("1 pod runs", c -> runningReady(ns, "worker").size() == 1);
        String name = runningReady(ns, "worker").get(0).getMetadata().getName();

        client.pods().inNamespace(ns).withName(name).delete();

        Pod marked = client.pods().inNamespace(ns).withName(name).get();
        assertTrue(marked == null || marked.getMetadata().getDeletionTimestamp() != null, "a deleted pod is marked, then removed");
        await("the old pod is gone and a new one runs", c -> c.pods().inNamespace(ns).withName(name).get() == null
                && runningReady(ns, "worker").size() == 1);
        assertNotEquals(name, runningReady(ns, "worker").get(0).getMetadata().getName());
    }

    @Test
    void aDeletedNamespaceIsTerminatingWhileItIsEmptiedThenGone() throws Exception {
        String ns = namespace("doomed");
        client.apps().deployments().inNamespace(ns).resource(deployment("worker", 2, "busybox:1.36")).create();
        client.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("settings").endMetadata().addToData("k", "v").build()).create();
        await("2 pods run", c -> runningReady(ns, "worker").size() == 2);

        client.namespaces().withName(ns).delete();

        var marked = client.namespaces().withName(ns).get();
        assertEquals("Terminating", marked.getStatus().getPhase(), "a namespace goes through Terminating, whatever grace is asked");
        var refused = org.junit.jupiter.api.Assertions.assertThrows(io.fabric8.kubernetes.client.KubernetesClientException.class,
                () -> client.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                        .withName("late").endMetadata().build()).create());
        assertEquals(403, refused.getCode());
        await("the namespace and everything in it are gone", c -> c.namespaces().withName(ns).get() == null);
        assertEquals(0, client.pods().inNamespace(ns).list().getItems().size());
        assertEquals(0, client.configMaps().inNamespace(ns).list().getItems().size());
        assertEquals(0, client.apps().deployments().inNamespace(ns).list().getItems().size());
    }

    @Test
    void creatingInANamespaceThatDoesNotExistIsRefused() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.fabric8.kubernetes.client.KubernetesClientException.class,
                () -> client.apps().deployments().inNamespace("nowhere").resource(deployment("x", 1, "busybox")).create());
        assertEquals(404, e.getCode());
        assertTrue(e.getMessage().contains("namespaces \"nowhere\" not found"), e.getMessage());
    }

    /**
     * A write that races the controllers' own writes gets 409 Conflict, from the sandbox as from a real
     * API server; clients retry on a fresh read, as kubectl does.
     */
    private static void retryOnConflict(Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static List<ReplicaSet> replicaSets(String ns) {
        return client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
                .sorted(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp() + rs.getMetadata().getName())).toList()
                .stream().sorted(Comparator.comparingLong(rs -> firstRevision(rs))).toList();
    }

    /** The revision a ReplicaSet was created with (before any rollback renumbered it). */
    private static long firstRevision(ReplicaSet rs) {
        String history = rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision-history");
        return history != null ? Long.parseLong(history.split(",")[0]) : revision(rs);
    }

    private static long revision(ReplicaSet rs) {
        return Long.parseLong(rs.getMetadata().getAnnotations().getOrDefault("deployment.kubernetes.io/revision", "0"));
    }

    private static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }
}
