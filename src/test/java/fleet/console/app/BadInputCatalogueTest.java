package fleet.console.app;

import fleet.console.messaging.JetStreamInventory;
import fleet.console.messaging.NatsLink;
import fleet.console.messaging.NatsTarget;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input the earlier issues name, through the command line against one sandbox: each gets a
 * non-zero exit, a message that names what was wrong and what to do, and leaves the cluster and NATS
 * exactly as they were (workloads' replicas, images and change-causes; the names of every object; every
 * stream's messages).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCatalogueTest {

    private Sandbox sandbox;
    private KubernetesClient client;
    private String ns;
    private String kubeconfig;

    private Path dir;

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        dir = temp;
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withEventTrickle(false));
        client = sandbox.client();
        ns = sandbox.namespace();
        kubeconfig = sandbox.writeKubeconfig(dir.resolve("sandbox.kubeconfig")).toString();
        Files.writeString(dir.resolve("broken.kubeconfig"), "apiVersion: v1\nkind: Config\nclusters: [this is: not: yaml\n");
        Files.writeString(dir.resolve("profile.yaml"), "namespace: swe-ai-fleet\nservices:\n  - name: orchestrator\n    replcas: 2\n");
        Files.writeString(dir.resolve("Dockerfile"), "FROM python:3.11-slim\nRUN pip install -r requirements.txt\nCOPY src/ /app/src/\nCMD [\"python\", \"-m\", \"app\"]\n");
        Files.writeString(dir.resolve("auth.json"), "{ \"auths\": { \"registry.example\": { \"auth\": \"not base64 at all!\" } ");
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/app.py"), "print('hello')\n");
        Files.createDirectories(dir.resolve("services/orchestrator"));
        Files.writeString(dir.resolve("services/orchestrator/server.py"), "print('serving')\n");
        assertTrue(sandbox.awaitFleetReady(Duration.ofSeconds(90)), "the fleet comes up");
        // A second revision, so a rollback has history to be wrong about.
        client.apps().deployments().inNamespace(ns).withName("orchestrator").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.underpassai.com/swe-fleet/orchestrator:v0.3.1");
            return d;
        });
        assertTrue(sandbox.awaitFleetReady(Duration.ofSeconds(90)), "revision 2 rolls out");
    }

    @AfterAll
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** name, the arguments ({kc} = the sandbox's kubeconfig, {dir} = this test's folder), words the message must hold. */
    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("kubeconfig that does not exist", "pods --kubeconfig {dir}/nowhere.kubeconfig", List.of("nowhere.kubeconfig")),
                Arguments.of("kubeconfig that is not YAML", "pods --kubeconfig {dir}/broken.kubeconfig", List.of("broken.kubeconfig")),
                Arguments.of("context not in the kubeconfig", "pods --kubeconfig {kc} --context prod-eu", List.of("prod-eu", "sandbox")),
                Arguments.of("namespace that does not exist", "scale orchestrator 0 --yes --kubeconfig {kc} -n swe-ai-flet", List.of("swe-ai-flet")),
                Arguments.of("malformed profile", "runbook redeploy --service orchestrator --skip-build --yes --kubeconfig {kc} --profile {dir}/profile.yaml",
                        List.of("profile.yaml", "replcas", "replicas")),
                Arguments.of("service not in the profile", "runbook redeploy --service orchestrater --skip-build --yes --kubeconfig {kc}",
                        List.of("orchestrater")),
                Arguments.of("workload that does not exist", "scale orchestrater 0 --yes --kubeconfig {kc}", List.of("orchestrater", "orchestrator")),
                Arguments.of("replica count below zero", "scale orchestrator -3 --yes --kubeconfig {kc}", List.of("-3")),
                Arguments.of("revision that does not exist", "rollout undo orchestrator --to-revision 99 --yes --kubeconfig {kc}", List.of("99")),
                Arguments.of("revision to diff that does not exist", "rollout diff orchestrator 1 42 --kubeconfig {kc}", List.of("42")),
                Arguments.of("image tag outside the scheme", "image build orchestrator --tag latest --deployed-tag v0.3.0 --source {dir} --no-push",
                        List.of("latest", "vMAJOR.MINOR.PATCH")),
                Arguments.of("Dockerfile with RUN", "image build orchestrator --dockerfile {dir}/Dockerfile --tag v0.3.1-x --deployed-tag v0.3.0 --source {dir} --no-push",
                        List.of("RUN", "Dockerfile:2")),
                Arguments.of("Dockerfile that does not exist", "image import-dockerfile {dir}/missing/Dockerfile", List.of("missing/Dockerfile")),
                Arguments.of("registry auth file that is not JSON", "image build orchestrator --tag v0.3.1-x --deployed-tag v0.3.0 --source {dir} --authfile {dir}/auth.json",
                        List.of("auth.json")),
                Arguments.of("stream that does not exist", "nats consumers PLANING_EVENTS --kubeconfig {kc}", List.of("PLANING_EVENTS")),
                Arguments.of("runbook that does not exist", "runbook redeploy-everything --kubeconfig {kc}", List.of("redeploy-everything", "redeploy")),
                Arguments.of("fault that does not exist", "pods --sandbox --fault explode=orchestrator", List.of("explode", "crash")),
                Arguments.of("run to resume that does not exist", "runbook resume 12345 --kubeconfig {kc}", List.of("12345")),
                Arguments.of("NATS server that is not there", "nats streams --server nats://127.0.0.1:1", List.of("127.0.0.1:1"))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void aBadInputIsNamedRefusedAndChangesNothing(String what, String command, List<String> words) throws Exception {
        String before = state();
        List<String> args = new ArrayList<>();
        for (String a : command.split(" ")) {
            args.add(a.replace("{kc}", kubeconfig).replace("{dir}", dir.toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        String said = out + "\n" + err;

        assertNotEquals(0, exit, what + ": a bad input must not exit 0\n" + said);
        String lower = said.toLowerCase(Locale.ROOT);
        for (String word : words) {
            assertTrue(lower.contains(word.toLowerCase(Locale.ROOT)), what + ": the message names '" + word + "'\n" + said);
        }
        assertTrue(err.toString().lines().anyMatch(l -> l.length() > 20), what + ": says it in words on stderr\n" + said);
        assertEquals(before, state(), what + ": the cluster and NATS are unchanged");
    }

    /** What a bad input must not change, as text: workloads' spec, the names of everything, NATS's messages. */
    private String state() throws Exception {
        TreeMap<String, String> s = new TreeMap<>();
        client.apps().deployments().inNamespace(ns).list().getItems().forEach(d -> s.put("deploy/" + d.getMetadata().getName(),
                d.getSpec().getReplicas() + " " + d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage() + " "
                        + d.getMetadata().getAnnotations()));
        client.apps().statefulSets().inNamespace(ns).list().getItems().forEach(d -> s.put("sts/" + d.getMetadata().getName(),
                d.getSpec().getReplicas() + " " + d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.configMaps().inNamespace(ns).list().getItems());
        all.addAll(client.secrets().inNamespace(ns).list().getItems());
        all.addAll(client.batch().v1().jobs().inNamespace(ns).list().getItems());
        all.addAll(client.namespaces().list().getItems());
        all.forEach(o -> s.put(o.getKind() + "/" + o.getMetadata().getName(), ""));
        try (NatsLink link = NatsLink.open(NatsTarget.InCluster.fleet(ns), client, Duration.ofSeconds(5))) {
            new JetStreamInventory(link.management()).streams().forEach(st -> s.put("stream/" + st.name(), st.messages() + " msgs"));
        }
        return s.toString();
    }
}
