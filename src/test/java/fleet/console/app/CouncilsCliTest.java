package fleet.console.app;

import fleet.console.audit.AuditEntry;
import fleet.console.audit.AuditJournal;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.FaultKind;
import fleet.console.sandbox.Sandbox;
import fleet.console.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code councils list|init|delete} as an operator runs them against a cluster (the sandbox, through its
 * kubeconfig): what they print, what they journal, and their exit codes.
 */
class CouncilsCliTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Sandbox sandbox;
    private static String kubeconfig;

    @TempDir
    static Path dir;

    private Path journal;

    private record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults());
        kubeconfig = sandbox.writeKubeconfig(dir.resolve("sandbox.kubeconfig")).toString();
        sandbox.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("quiet").endMetadata().build()).create();
        assertThat(sandbox.awaitFleetReady(WAIT)).isTrue();
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void noCouncils(@TempDir Path mine) {
        journal = mine.resolve("audit.jsonl");
        Result cleared = onSandbox("councils", "delete", "--yes", "--journal", mine.resolve("setup.jsonl").toString());
        assertThat(cleared.exit()).as(cleared.err()).isZero();
        sandbox.client().batch().v1().jobs().withName("orchestrator-init-councils").delete();
        sandbox.client().batch().v1().jobs().withName("orchestrator-delete-councils").delete();
    }

    @AfterEach
    void recover() throws Exception {
        sandbox.clearFaults();
        assertThat(sandbox.awaitFleetReady(WAIT)).isTrue();
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    private static Result onSandbox(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--kubeconfig");
        all.add(kubeconfig);
        return run(all.toArray(String[]::new));
    }

    private List<AuditEntry> journaled() {
        return new AuditJournal(journal).read();
    }

    @Test
    void listWithoutCouncilsSaysHowToCreateThemAndExitsOne() {
        Result r = onSandbox("councils", "list");
        assertThat(r.exit()).isEqualTo(Cli.UNHEALTHY);
        assertThat(r.out()).contains("Councils of sandbox / swe-ai-fleet")
                .contains("No councils on any replica. 'fleet-console councils init' creates DEV, QA, ARCHITECT, DEVOPS, DATA with 3 agents")
                .contains("agents per council: 3 (the profile")
                .contains("model:              Qwen/Qwen2.5-0.5B-Instruct (VLLM_MODEL of ConfigMap service-urls)");
        assertThat(r.out().lines().filter(l -> l.startsWith("\u2713 orchestrator-")).count()).isEqualTo(2);
    }

    @Test
    void initCreatesEveryRoleOnEveryReplicaThenListAgreesAndASecondInitFindsThemThere() {
        Result init = onSandbox("councils", "init", "--journal", journal.toString());
        assertThat(init.exit()).as(init.err()).isZero();
        assertThat(init.out().lines().filter(l -> l.matches("  orchestrator-\\S+: created DEV, QA, ARCHITECT, DEVOPS, DATA")).count())
                .as(init.out()).isEqualTo(2);
        assertThat(journaled()).hasSize(2).allSatisfy(e -> {
            assertThat(e.action()).isEqualTo("councils init");
            assertThat(e.result()).startsWith("ok: created");
        });

        Result list = onSandbox("councils", "list", "--agents");
        assertThat(list.exit()).as(list.out()).isZero();
        assertThat(list.out().lines().filter(l -> l.matches(" *(DEV|QA|ARCHITECT|DEVOPS|DATA) +orchestrator-\\S+ +council-\\S+ +3 .*active"))
                .count()).isEqualTo(10);
        assertThat(list.out()).contains("agent-dev-001  ready").doesNotContain("\u26A0");

        Result again = onSandbox("councils", "init", "--journal", journal.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("already existed DEV, QA, ARCHITECT, DEVOPS, DATA");
    }

    @Test
    void deleteWithoutATerminalAsksForYesAndChangesNothing() {
        onSandbox("councils", "init", "--journal", journal.toString());
        Result refused = onSandbox("councils", "delete", "--journal", journal.toString());
        assertThat(refused.exit()).isEqualTo(Cli.CANNOT);
        assertThat(refused.err()).contains("needs a confirmation").contains("Deletes DEV, QA, ARCHITECT, DEVOPS, DATA on orchestrator-")
                .contains("30 agents in all").contains("Add --yes");
        assertThat(onSandbox("councils", "list").exit()).as("still every council").isZero();

        Result deleted = onSandbox("councils", "delete", "--yes", "--journal", journal.toString());
        assertThat(deleted.exit()).isZero();
        assertThat(deleted.out().lines().filter(l -> l.matches("  orchestrator-\\S+: deleted DEV, QA, ARCHITECT, DEVOPS, DATA")).count()).isEqualTo(2);
        Result again = onSandbox("councils", "delete", "--yes", "--journal", journal.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("skipped, not found DEV, QA, ARCHITECT, DEVOPS, DATA").contains("10 skipped");
        assertThat(journaled()).extracting(AuditEntry::action).containsExactly("councils init", "councils init",
                "councils delete", "councils delete", "councils delete", "councils delete");
    }

    @Test
    void badInputIsRefusedWithWhatToDoAndNothingChanges() {
        Result zero = onSandbox("councils", "init", "--agents", "0", "--journal", journal.toString());
        assertThat(zero.exit()).isEqualTo(Cli.CANNOT);
        assertThat(zero.err()).contains("at least 1 agent").contains("Nothing was changed");
        Result many = onSandbox("councils", "init", "--agents", "40", "--journal", journal.toString());
        assertThat(many.exit()).isEqualTo(Cli.CANNOT);
        assertThat(many.err()).contains("more than the console allows");
        Result role = onSandbox("councils", "init", "--role", "dev0ps", "--journal", journal.toString());
        assertThat(role.exit()).isEqualTo(Cli.CANNOT);
        assertThat(role.err()).contains("'dev0ps' is not a council role").contains("Did you mean DEVOPS?");
        Result deleteRole = onSandbox("councils", "delete", "--role", "PM", "--yes", "--journal", journal.toString());
        assertThat(deleteRole.exit()).isEqualTo(Cli.CANNOT);
        Result jobWithAgents = onSandbox("councils", "init", "--via-job", "--agents", "4");
        assertThat(jobWithAgents.exit()).isEqualTo(Cli.CANNOT);
        assertThat(jobWithAgents.err()).contains("NUM_AGENTS_PER_COUNCIL");
        assertThat(onSandbox("councils", "list").out()).contains("No councils on any replica");
        assertThat(journaled()).hasSize(3).allSatisfy(e -> assertThat(e.result()).startsWith("refused: "));
    }

    @Test
    void aNamespaceWithoutOrchestratorOrNoSubcommandCannotRun() {
        Result none = onSandbox("councils", "list", "-n", "quiet");
        assertThat(none.exit()).isEqualTo(Cli.CANNOT);
        assertThat(none.err()).contains("There is no deployment orchestrator in namespace quiet");
        Result bare = run("councils");
        assertThat(bare.exit()).isEqualTo(Cli.CANNOT);
        assertThat(bare.err()).contains("list").contains("init").contains("delete");
    }

    @Test
    void aCrashLoopingOrchestratorIsNotReadyForInitAndListShowsWhy() throws Exception {
        assertThat(sandbox.injectOnceReady(List.of(new Fault(FaultKind.CRASH, "orchestrator")), WAIT)).isTrue();
        Result init = onSandbox("councils", "init", "--journal", journal.toString());
        assertThat(init.exit()).isEqualTo(Cli.CANNOT);
        assertThat(init.err()).contains("is not ready").contains("Nothing was changed on any replica");
        Result list = onSandbox("councils", "list");
        assertThat(list.exit()).isEqualTo(Cli.UNHEALTHY);
        assertThat(list.out()).contains("\u2717 orchestrator-").contains("No replica answered");
    }

    @Test
    void initViaJobFollowsItsLogAndNamesTheReplicaItDidNotReach() {
        Result r = onSandbox("councils", "init", "--via-job", "--journal", journal.toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("Running Job orchestrator-init-councils").contains("  | ").contains("Council DEV")
                .contains("Job orchestrator-init-councils: Complete").contains("without --via-job")
                .containsPattern("\u26A0 DEV exists on orchestrator-\\S+, missing on orchestrator-\\S+");
        Result list = onSandbox("councils", "list");
        assertThat(list.exit()).isEqualTo(Cli.UNHEALTHY);
        assertThat(list.out()).contains("agents per council: 3 (the NUM_AGENTS_PER_COUNCIL literal of Job orchestrator-init-councils)")
                .containsPattern("\u26A0 DEV exists on orchestrator-\\S+, missing on orchestrator-\\S+");
        assertThat(journaled()).extracting(AuditEntry::action).containsExactly("councils init (job)");
    }
}
