package fleet.console.app;

import fleet.console.audit.AuditJournal;
import fleet.console.cluster.pods.PodInspector;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole session on the sandbox (which holds {@code neo4j-auth} and a token-like {@code huggingface-token})
 * through the command line: pods, pod detail, logs of every pod, health, rollout history and diff, NATS,
 * runbook plans and a redeploy. Then everything the console wrote — its output, its errors, the audit
 * journal, the containers' logs it read — is searched for every secret value, plain and base64: none.
 */
class SecretsSweepTest {

    private static Sandbox sandbox;
    private static KubernetesClient client;
    private static String ns;
    private static String kubeconfig;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults().withRegistry(false));
        client = sandbox.client();
        ns = sandbox.namespace();
        kubeconfig = sandbox.writeKubeconfig(dir.resolve("sandbox.kubeconfig")).toString();
        assertTrue(sandbox.awaitFleetReady(Duration.ofSeconds(90)), "the fleet comes up");
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static String run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--kubeconfig");
        all.add(kubeconfig);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return "$ fleet-console " + String.join(" ", args) + "  (exit " + exit + ")\n" + out + err;
    }

    /** Every value of every Secret in the namespace, as the cluster holds it. */
    private static Map<String, String> secretValues() {
        Map<String, String> values = new LinkedHashMap<>();
        for (Secret s : client.secrets().inNamespace(ns).list().getItems()) {
            if (s.getData() != null) {
                s.getData().forEach((k, v) -> values.put(s.getMetadata().getName() + "/" + k,
                        new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            if (s.getStringData() != null) {
                s.getStringData().forEach((k, v) -> values.put(s.getMetadata().getName() + "/" + k, v));
            }
        }
        return values;
    }

    @Test
    void noSecretValueAppearsInAnythingTheConsoleShowsOrWrites() throws Exception {
        Map<String, String> secrets = secretValues();
        assertTrue(secrets.containsKey("neo4j-auth/NEO4J_PASSWORD") && secrets.containsKey("huggingface-token/HF_TOKEN"), secrets.keySet().toString());
        secrets.values().removeIf(v -> v.length() < 8); // a user name such as "neo4j" is not a secret worth the name
        assertTrue(secrets.containsKey("neo4j-auth/NEO4J_PASSWORD") && secrets.containsKey("huggingface-token/HF_TOKEN"),
                "the password and the token are long enough to be searched for");

        StringBuilder seen = new StringBuilder();
        seen.append(run("pods"));
        seen.append(run("health"));
        seen.append(run("health", "--explain"));
        for (Pod pod : client.pods().inNamespace(ns).list().getItems()) {
            String name = pod.getMetadata().getName();
            seen.append(run("logs", name, "--tail", "200"));
            // What the pod detail pane shows: containers, env (secrets by name), probes, events.
            seen.append(new PodInspector(client, ns).inspect(name)).append('\n');
        }
        seen.append(run("rollout", "history", "neo4j"));
        seen.append(run("rollout", "history", "orchestrator"));
        seen.append(run("rollout", "diff", "orchestrator", "1", "1"));
        seen.append(run("nats", "streams"));
        seen.append(run("nats", "consumers"));
        seen.append(run("runbook", "system-reset", "--dry-run"));
        seen.append(run("runbook", "backup", "--dry-run"));
        seen.append(run("runbook", "redeploy", "--service", "context", "--skip-build", "--yes"));
        Path journal = AuditJournal.defaultFile(System.getenv(), Path.of(System.getProperty("user.home")));
        seen.append(Files.readString(journal));

        String all = seen.toString();
        assertTrue(all.contains("neo4j-auth"), "the secret is named where it is used: " + all.length() + " chars seen");
        assertTrue(all.contains("Redeploy") || all.contains("redeploy"), "the session ran");
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            String value = secret.getValue();
            String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
            int at = all.indexOf(value);
            assertEquals(-1, at, () -> secret.getKey() + " appears in clear: ..." + all.substring(Math.max(0, at - 200), Math.min(all.length(), at + 50)));
            assertEquals(-1, all.indexOf(base64), secret.getKey() + " appears base64-encoded");
        }
    }
}
