package fleet.console.cluster.rollouts;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.Cancellation;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rollout history, diffs and rollbacks on the sandbox, whose controllers number revisions as Kubernetes does. */
class RolloutActionsTest {

    private static final String NS = "swe-ai-fleet";
    private static Sandbox sandbox;
    private static KubernetesClient client;
    private static final List<AuditEntry> journal = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withRegistry(false));
        client = sandbox.client();
        assertTrue(sandbox.awaitFleetReady(Duration.ofSeconds(60)));
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static RolloutActions actions(String namespace) {
        return new RolloutActions(client, "sandbox", namespace, FleetProfile.defaults(), journal::add, Clock.systemUTC());
    }

    @Test
    void imageChangesMakeNumberedRevisionsWithImagesAndCausesAndRollbackMakesTheOldOneNewest() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("history").endMetadata().build()).create();
        client.apps().deployments().inNamespace("history").resource(new DeploymentBuilder()
                .withNewMetadata().withName("api").addToAnnotations(RolloutHistory.CHANGE_CAUSE, "first deploy").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "api").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "api").endMetadata()
                .withNewSpec().addNewContainer().withName("api").withImage("registry.example/api:v1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        RolloutActions actions = actions("history");
        RolloutHistory history = new RolloutHistory(client, "history");
        awaitComplete("history", "api");
        actions.setImage("Deployment", "api", "api", "registry.example/api:v2");
        awaitComplete("history", "api");
        actions.setImage("Deployment", "api", "api", "registry.example/api:v3");
        awaitComplete("history", "api");

        List<Revision> revisions = history.revisions("Deployment", "api");
        assertEquals(List.of(3L, 2L, 1L), revisions.stream().map(Revision::number).toList());
        assertEquals(List.of("registry.example/api:v3"), revisions.get(0).images());
        assertTrue(revisions.get(0).live());
        assertEquals("fleet-console: set image api=registry.example/api:v3 (was registry.example/api:v2)", revisions.get(0).changeCause().orElseThrow());
        assertEquals("first deploy", revisions.get(2).changeCause().orElseThrow());

        List<TemplateDiff.Change> diff = TemplateDiff.between(revisions.get(1).template(), revisions.get(0).template());
        assertEquals(List.of("container api: image registry.example/api:v2 -> registry.example/api:v3"),
                diff.stream().map(TemplateDiff.Change::line).toList(), "the image change and nothing else");

        RollbackPlan plan = actions.planRollback("Deployment", "api", OptionalLong.of(1));
        assertFalse(plan.safePath(), "api is not a NATS consumer of the profile");
        assertTrue(plan.warnings().get(0).contains("ConfigMaps and Secrets are not rolled back"));
        actions.rollback(plan, p -> { }, Cancellation.none(), Duration.ofSeconds(60));

        List<Revision> after = history.revisions("Deployment", "api");
        assertEquals(4, after.get(0).number());
        assertTrue(after.get(0).live());
        assertEquals(List.of("registry.example/api:v1"), after.get(0).images());
        assertEquals(List.of(3L, 2L), after.stream().skip(1).map(Revision::number).toList(), "revision 1 became 4");
        assertTrue(client.pods().inNamespace("history").withLabel("app", "api").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("registry.example/api:v1")));
    }

    @Test
    void singleRevisionAndMissingRevisionAreRefusedWithTheReason() throws Exception {
        RolloutActions actions = actions(NS);
        RolloutProblem single = assertThrows(RolloutProblem.class, () -> actions.planRollback("Deployment", "context", OptionalLong.empty()));
        assertTrue(single.getMessage().contains("single revision"), single.getMessage());
        actions.setImage("Deployment", "context", "context", "registry.underpassai.com/swe-ai-fleet/context:v2.0.1");
        awaitComplete(NS, "context");
        RolloutProblem missing = assertThrows(RolloutProblem.class, () -> actions.planRollback("Deployment", "context", OptionalLong.of(7)));
        assertTrue(missing.getMessage().contains("no revision 7"), missing.describe());
        assertTrue(missing.whatToDo().startsWith("Its revisions are 2, 1;"), missing.whatToDo());
    }

    @Test
    void natsConsumerRollbackStopsEveryOldPodBeforeANewOneStartsAndRestoresTwoReplicas() throws Exception {
        // The old pods hold a push binding; a redeploy rolled over them and its new pods crash "already bound".
        sandbox.inject(Fault.parse("double-bind=orchestrator"));
        assertTrue(sandbox.await(c -> c.pods().inNamespace(NS).withLabel("app", "orchestrator").list().getItems().stream()
                .anyMatch(p -> p.getStatus().getContainerStatuses() != null && p.getStatus().getContainerStatuses().stream()
                        .anyMatch(s -> s.getState().getWaiting() != null && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason()))),
                Duration.ofSeconds(60)), "the overlap reproduces consumer is already bound");

        RolloutActions actions = actions(NS);
        RollbackPlan plan = actions.planRollback("Deployment", "orchestrator", OptionalLong.empty());
        assertTrue(plan.safePath());
        assertEquals(2, plan.replicasBefore());
        assertTrue(plan.inProgress(), "the stuck rollout is still in progress");
        String targetHash = "pod-template-hash";

        // Every change seen: how many pods there were and how many template versions among them.
        List<int[]> seen = new CopyOnWriteArrayList<>();
        SharedIndexInformer<Pod> watch = client.pods().inNamespace(NS).withLabel("app", "orchestrator").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod p) {
                seen();
            }

            @Override
            public void onUpdate(Pod a, Pod b) {
                seen();
            }

            @Override
            public void onDelete(Pod p, boolean unknown) {
                seen();
            }

            private void seen() {
                List<Pod> now = client.pods().inNamespace(NS).withLabel("app", "orchestrator").list().getItems();
                seen.add(new int[] {now.size(), (int) now.stream().map(p -> p.getMetadata().getLabels().get(targetHash)).distinct().count()});
            }
        });
        List<RolloutProgress> steps = new ArrayList<>();
        try {
            actions.rollback(plan, steps::add, Cancellation.none(), Duration.ofSeconds(90));
        } finally {
            watch.close();
        }
        int zeroAt = -1;
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i)[0] == 0) {
                zeroAt = i;
                break;
            }
        }
        assertTrue(zeroAt >= 0, "zero pods were observed before the old template started");
        assertTrue(seen.subList(zeroAt, seen.size()).stream().allMatch(x -> x[1] <= 1),
                "from the stop on, never pods of two templates at once");
        List<Pod> pods = client.pods().inNamespace(NS).withLabel("app", "orchestrator").list().getItems();
        assertEquals(2, pods.size());
        for (Pod p : pods) {
            assertTrue(p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
            assertEquals(0, p.getStatus().getContainerStatuses().get(0).getRestartCount());
            assertFalse(client.pods().inNamespace(NS).withName(p.getMetadata().getName()).getLog().contains("already bound"));
        }
        assertEquals(5, steps.stream().filter(s -> s.phase() == RolloutProgress.Phase.DONE).count());
        assertTrue(journal.stream().anyMatch(e -> e.action().equals("rollout undo") && e.target().equals("deployment/orchestrator")
                && e.result().startsWith("ok")));
        sandbox.clearFaults();
    }

    @Test
    void rollingRollbackOfRayExecutorNeverDropsBelowItsAvailableReplica() throws Exception {
        RolloutActions actions = actions(NS);
        actions.setImage("Deployment", "ray-executor", "ray-executor", "registry.underpassai.com/swe-ai-fleet/ray-executor:v3.0.1");
        awaitComplete(NS, "ray-executor");
        AtomicInteger lowest = new AtomicInteger(Integer.MAX_VALUE);
        SharedIndexInformer<Deployment> watch = client.apps().deployments().inNamespace(NS).withName("ray-executor").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment d) {
            }

            @Override
            public void onUpdate(Deployment a, Deployment d) {
                Integer available = d.getStatus() == null ? null : d.getStatus().getAvailableReplicas();
                lowest.accumulateAndGet(available == null ? 0 : available, Math::min);
            }

            @Override
            public void onDelete(Deployment d, boolean unknown) {
            }
        });
        try {
            RollbackPlan plan = actions.planRollback("Deployment", "ray-executor", OptionalLong.empty());
            assertFalse(plan.safePath(), "ray-executor has no NATS consumers: a rolling update is safe");
            actions.rollback(plan, p -> { }, Cancellation.none(), Duration.ofSeconds(60));
        } finally {
            watch.close();
        }
        assertTrue(lowest.get() >= 1, "available replicas went down to " + lowest.get());
    }

    private static void awaitComplete(String namespace, String name) throws InterruptedException {
        assertTrue(sandbox.await(c -> {
            Deployment d = c.apps().deployments().inNamespace(namespace).withName(name).get();
            return d != null && RolloutHistory.status(d).state() == RolloutState.COMPLETE;
        }, Duration.ofSeconds(60)), name + " completes its rollout");
    }
}
