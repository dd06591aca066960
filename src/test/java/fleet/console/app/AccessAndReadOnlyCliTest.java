package fleet.console.app;

import fleet.console.audit.AuditJournal;
import fleet.console.cluster.Access;
import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.ClusterSession;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import fleet.console.sandbox.SandboxUser;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RBAC awareness and read-only mode, against the sandbox's API: a viewer (Kubernetes' view role) is told
 * before anything is tried that it may not scale or run a changing runbook, read-only mode refuses every
 * change even to an administrator, and in both cases the cluster is exactly as it was.
 */
class AccessAndReadOnlyCliTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Sandbox sandbox;
    private static KubernetesClient client;
    private static String ns;
    private static String adminConfig;
    private static String viewerConfig;

    @TempDir
    static Path dir;

    private record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withNats(false).withRegistry(false));
        client = sandbox.client();
        ns = sandbox.namespace();
        adminConfig = sandbox.writeKubeconfig(dir.resolve("admin.kubeconfig")).toString();
        viewerConfig = sandbox.writeKubeconfig(dir.resolve("viewer.kubeconfig"), SandboxUser.VIEWER).toString();
        assertTrue(sandbox.awaitFleetReady(WAIT), "the fleet comes up");
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static Result run(String kubeconfig, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--kubeconfig");
        all.add(kubeconfig);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    private static int replicas(String deployment) {
        return client.apps().deployments().inNamespace(ns).withName(deployment).get().getSpec().getReplicas();
    }

    @Test
    void theApiAnswersMayIForEachUserAsKubernetesViewRoleWould() throws Exception {
        try (ClusterSession viewer = ClusterConnector.withDefaultTimeout().connect(sandbox.clientConfig(SandboxUser.VIEWER),
                Sandbox.CONTEXT_NAME, ns, true);
             ClusterSession admin = ClusterConnector.withDefaultTimeout().connect(sandbox.clientConfig(), Sandbox.CONTEXT_NAME, ns, true)) {
            Access.Permission listPods = Access.Permission.of("list", "", "pods", ns);
            Access.Permission scale = Access.Permission.of("patch", "apps", "deployments", ns).sub("scale");
            Access.Permission secrets = Access.Permission.of("get", "", "secrets", ns);
            Access.Permission exec = Access.Permission.of("create", "", "pods", ns).sub("exec");

            assertTrue(viewer.access().check(listPods).allowed());
            assertFalse(viewer.access().check(scale).allowed());
            assertFalse(viewer.access().check(secrets).allowed(), "view does not read Secrets");
            assertFalse(viewer.access().check(exec).allowed());
            assertTrue(viewer.access().check(scale).reason().contains("cannot patch resource \"deployments/scale\""),
                    viewer.access().check(scale).reason());
            assertTrue(admin.access().check(scale).allowed());
            assertTrue(viewer.refusal(scale).orElseThrow().contains("kubectl auth can-i patch deployments.apps --subresource=scale -n " + ns));

            // Not only asked: the API itself refuses the viewer's change, as a real one does.
            KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> viewer.client().apps()
                    .deployments().inNamespace(ns).withName("orchestrator").scale(0));
            assertEquals(403, refused.getCode());
            assertTrue(replicas("orchestrator") > 0, "still running");
        }
    }

    @Test
    void aViewerIsToldWhyItMayNotScaleAndNothingChanges() throws Exception {
        int before = replicas("context");
        Result r = run(viewerConfig, "scale", "context", "0", "--yes");

        assertEquals(Cli.CANNOT, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("not allowed to patch deployments/scale (apps) in " + ns), r.err());
        assertTrue(r.err().contains("User \"sandbox-viewer\" cannot patch"), r.err());
        assertTrue(r.err().contains("nothing was changed"), r.err());
        assertEquals(before, replicas("context"));
        String journal = Files.readString(AuditJournal.defaultFile(System.getenv(), Path.of(System.getProperty("user.home"))));
        assertTrue(journal.lines().anyMatch(l -> l.contains("\"scale\"") && l.contains("refused: not allowed")), "the refusal is journaled");
    }

    @Test
    void aViewerMayReadAndRunTheHealthRunbookButNotARedeploy() {
        Result pods = run(viewerConfig, "pods");
        assertEquals(Cli.OK, pods.exit(), pods.out() + pods.err());
        assertTrue(pods.out().contains("orchestrator-"), pods.out());

        Result health = run(viewerConfig, "runbook", "health");
        assertEquals(Cli.OK, health.exit(), health.out() + health.err());

        int before = replicas("orchestrator");
        Result redeploy = run(viewerConfig, "runbook", "redeploy", "--service", "orchestrator", "--skip-build", "--yes");
        assertEquals(Cli.CANNOT, redeploy.exit(), redeploy.out() + redeploy.err());
        assertTrue(redeploy.err().contains("not allowed to patch deployments"), redeploy.err());
        assertTrue(redeploy.err().contains("--dry-run"), "says how to see what it would do: " + redeploy.err());
        assertEquals(before, replicas("orchestrator"));
    }

    @Test
    void aViewerIsToldTheCouncilRunbooksNeedPortForwardsOrJobs() {
        Result direct = run(viewerConfig, "runbook", "councils-init");
        assertEquals(Cli.CANNOT, direct.exit(), direct.out() + direct.err());
        assertTrue(direct.err().contains("not allowed to create pods/portforward"), direct.err());

        Result viaJob = run(viewerConfig, "runbook", "councils-delete", "--via-job", "--yes");
        assertEquals(Cli.CANNOT, viaJob.exit(), viaJob.out() + viaJob.err());
        assertTrue(viaJob.err().contains("not allowed to create jobs"), viaJob.err());
    }

    @Test
    void readOnlyModeRefusesEveryChangeEvenToTheAdministrator() {
        int before = replicas("orchestrator");

        Result scale = run(adminConfig, "scale", "orchestrator", "0", "--yes", "--read-only");
        assertEquals(Cli.CANNOT, scale.exit(), scale.out() + scale.err());
        assertTrue(scale.err().contains("read-only mode is on"), scale.err());

        Result restart = run(adminConfig, "rollout", "restart", "orchestrator", "--read-only");
        assertEquals(Cli.CANNOT, restart.exit(), restart.out() + restart.err());

        Result runbook = run(adminConfig, "runbook", "redeploy", "--service", "orchestrator", "--skip-build", "--yes", "--read-only");
        assertEquals(Cli.CANNOT, runbook.exit(), runbook.out() + runbook.err());

        Result dryRun = run(adminConfig, "runbook", "redeploy", "--service", "orchestrator", "--dry-run", "--read-only");
        assertEquals(Cli.OK, dryRun.exit(), "a dry run changes nothing, so it is allowed: " + dryRun.out() + dryRun.err());

        Result publish = run(adminConfig, "nats", "publish", "agent.request.x", "{}", "--read-only");
        assertEquals(Cli.CANNOT, publish.exit(), publish.out() + publish.err());
        assertTrue(publish.err().contains("read-only mode is on"), publish.err());

        Result councils = run(adminConfig, "councils", "init", "--read-only");
        assertEquals(Cli.CANNOT, councils.exit(), councils.out() + councils.err());
        assertTrue(councils.err().contains("read-only mode is on"), councils.err());

        Result read = run(adminConfig, "pods", "--read-only");
        assertEquals(Cli.OK, read.exit(), read.out() + read.err());

        assertEquals(before, replicas("orchestrator"));
    }

    @Test
    void aReadOnlyClientSendsNoChangeEvenWhenCodeForgetsToAsk() throws Exception {
        int before = replicas("context");
        try (ClusterSession session = ClusterConnector.withDefaultTimeout().readOnly(true)
                .connect(sandbox.clientConfig(), Sandbox.CONTEXT_NAME, ns, true)) {
            assertFalse(session.client().pods().inNamespace(ns).list().getItems().isEmpty(), "reads work");
            KubernetesClientException e = assertThrows(KubernetesClientException.class,
                    () -> session.client().apps().deployments().inNamespace(ns).withName("context").scale(0));
            assertTrue(e.getMessage().contains("read-only mode is on"), e.getMessage());
            assertTrue(session.access().check(Access.Permission.of("list", "", "pods", ns)).allowed(), "asking is not a change");
        }
        assertEquals(before, replicas("context"));
    }

    @Test
    void aDestructiveRunbookOnAProductionContextWantsToBeToldTwice() throws Exception {
        Path settings = Settings.defaultFile(System.getenv(), Path.of(System.getProperty("user.home")));
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, "contexts.production=prod-eu\n");
        String prod = Files.readString(Path.of(adminConfig)).replace(Sandbox.CONTEXT_NAME, "prod-eu");
        Path prodConfig = dir.resolve("prod.kubeconfig");
        Files.writeString(prodConfig, prod);
        try {
            Result reset = run(prodConfig.toString(), "runbook", "system-reset", "--skip", "backup", "--yes");
            assertEquals(Cli.CANNOT, reset.exit(), reset.out() + reset.err());
            assertTrue(reset.out().contains("marked as PRODUCTION"), reset.out());
            assertTrue(reset.err().contains("add --production"), reset.err());
            assertTrue(client.namespaces().withName(ns).get().getMetadata().getDeletionTimestamp() == null, "the namespace is untouched");

            Result plan = run(prodConfig.toString(), "runbook", "system-reset", "--dry-run");
            assertEquals(Cli.OK, plan.exit(), "its plan can still be read: " + plan.err());
        } finally {
            Files.delete(settings);
        }
    }

    @Test
    void userOnlyAppliesToTheSandboxAndMustBeKnown() {
        Result unknown = run(adminConfig, "pods", "--sandbox", "--user", "root");
        assertEquals(Cli.CANNOT, unknown.exit());
        assertTrue(unknown.err().contains("no sandbox user 'root'; use --user admin or --user viewer"), unknown.err());

        Result notSandbox = run(adminConfig, "pods", "--user", "viewer");
        assertEquals(Cli.CANNOT, notSandbox.exit());
        assertTrue(notSandbox.err().contains("--user only applies to the embedded sandbox"), notSandbox.err());
    }
}
