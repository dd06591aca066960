package fleet.console.ui.shell;

import fleet.console.cluster.ClusterConnector;
import fleet.console.sandbox.Fault;
import fleet.console.sandbox.FaultKind;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.Kubeconfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main window's model without a window: connection attempts run on a real background executor,
 * results come back on the calling thread (a synchronous UI executor).
 */
class MainViewModelTest {

    private static FleetSandbox sandbox;
    private static ScheduledExecutorService background;

    @TempDir
    Path dir;

    /** Disposed after the sandbox stopped (see {@link FleetSandbox#stopThenDispose}). */
    private static final List<MainViewModel> models = new ArrayList<>();

    @BeforeAll
    static void startSandbox() {
        sandbox = FleetSandbox.start();
        background = Executors.newScheduledThreadPool(4);
    }

    @AfterAll
    static void stopSandbox() {
        FleetSandbox.stopThenDispose(sandbox, background, () -> models.forEach(MainViewModel::dispose));
    }

    private MainViewModel model(Path kubeconfig, ShellOptions options) {
        ShellServices services = new ShellServices(ClusterConnector.withDefaultTimeout(), kubeconfig, sandbox::handle,
                FleetSandbox.health(), background, Runnable::run);
        MainViewModel model = new MainViewModel(services, options);
        models.add(model);
        return model;
    }

    private static void waitUntil(Duration limit, BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS, condition::getAsBoolean);
    }

    @Test
    void unreachableApiServerIsReportedWithinFiveSecondsWithWhatToDo() throws Exception {
        Path config = Kubeconfigs.withContexts(dir, "dead", "https://127.0.0.1:1");
        MainViewModel model = model(config, ShellOptions.defaults().withContext("dead"));

        long started = System.nanoTime();
        model.start();
        waitUntil(Duration.ofSeconds(5), () -> model.getState() == ConnectionState.FAILED);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(model.getMessage().text()).contains("Cannot reach the API server of context 'dead'")
                .contains("https://127.0.0.1:1");
        assertThat(model.getMessage().advice()).contains("sandbox");
        assertThat(model.getSession()).isNull();
    }

    @Test
    void malformedKubeconfigIsReportedWithItsFileAndLine() throws Exception {
        Path config = Kubeconfigs.malformed(dir);
        MainViewModel model = model(config, ShellOptions.defaults().withContext("prod"));

        model.start();
        waitUntil(Duration.ofSeconds(5), () -> model.getState() == ConnectionState.FAILED);

        assertThat(model.getMessage().text()).contains(config.toString()).containsPattern("line \\d+");
        assertThat(model.getMessage().advice()).isNotBlank();
    }

    @Test
    void namespaceThatDoesNotExistIsReportedWithTheExistingOnes() throws Exception {
        MainViewModel model = model(dir.resolve("no-kubeconfig"), ShellOptions.defaults().withNamespace("swe-ai-flet"));

        model.start();
        waitUntil(Duration.ofSeconds(5), () -> model.getState() == ConnectionState.FAILED);

        assertThat(model.getMessage().text()).contains("Namespace 'swe-ai-flet' does not exist");
        assertThat(model.getMessage().advice()).contains("swe-ai-fleet");
    }

    @Test
    void withoutAnyKubeconfigTheConsoleOpensOnTheSandboxAndSaysNothingAboutIt() throws Exception {
        MainViewModel model = model(dir.resolve("absent"), ShellOptions.defaults());

        model.start();
        waitUntil(Duration.ofSeconds(5), () -> model.getState() == ConnectionState.CONNECTED);

        assertThat(model.getSelectedTarget()).isEqualTo(ConnectionTarget.SANDBOX);
        assertThat(model.getSession().sandbox()).isTrue();
        assertThat(model.connectedToSandboxProperty().get()).isTrue();
        assertThat(model.serverVersionProperty().get()).contains("1.31");
        assertThat(model.getMessage()).isNull();
        assertThat(model.targets()).containsExactly(ConnectionTarget.SANDBOX);
    }

    @Test
    void opensOnTheLastUsedContextWhenTheKubeconfigStillHasIt() throws Exception {
        Path config = Kubeconfigs.withContexts(dir, "staging", "https://127.0.0.1:1", "prod", "https://127.0.0.1:1");
        MainViewModel model = model(config, ShellOptions.defaults()
                .withLast(new LastConnection(ConnectionTarget.context("prod"), "swe-ai-fleet")));

        model.start();
        waitUntil(Duration.ofSeconds(5), () -> model.getState() == ConnectionState.FAILED);

        assertThat(model.getSelectedTarget()).isEqualTo(ConnectionTarget.context("prod"));
        assertThat(model.targets()).containsExactly(ConnectionTarget.SANDBOX, ConnectionTarget.context("staging"),
                ConnectionTarget.context("prod"));
    }

    @Test
    void fallsBackToTheSandboxWhenTheLastContextIsGoneFromTheKubeconfig() throws Exception {
        Path config = Kubeconfigs.withContexts(dir, "staging", "https://127.0.0.1:1");
        MainViewModel model = model(config, ShellOptions.defaults()
                .withLast(new LastConnection(ConnectionTarget.context("old-cluster"), "swe-ai-fleet")));

        model.start();
        waitUntil(Duration.ofSeconds(5), () -> model.getState() == ConnectionState.CONNECTED);

        assertThat(model.getSelectedTarget()).isEqualTo(ConnectionTarget.SANDBOX);
    }

    @Test
    void aFailedSwitchKeepsThePreviousConnectionOpenAndSaysSo() throws Exception {
        Path config = Kubeconfigs.withContexts(dir, "dead", "https://127.0.0.1:1");
        MainViewModel model = model(config, ShellOptions.defaults());
        model.start();
        waitUntil(Duration.ofSeconds(5), () -> model.getState() == ConnectionState.CONNECTED);
        waitUntil(Duration.ofSeconds(5), () -> model.overview().isLive());
        var sandboxSession = model.getSession();

        model.chooseTarget(ConnectionTarget.context("dead"));
        waitUntil(Duration.ofSeconds(5), () -> model.getMessage() != null);

        assertThat(model.getState()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(model.getSession()).isSameAs(sandboxSession);
        assertThat(model.getMessage().advice()).contains("Still connected to sandbox / swe-ai-fleet");
        assertThat(model.lastConnectionProperty().get().target()).isEqualTo(ConnectionTarget.SANDBOX);

        model.chooseTarget(ConnectionTarget.SANDBOX);
        waitUntil(Duration.ofSeconds(5), () -> model.getSession() != sandboxSession
                && model.getState() == ConnectionState.CONNECTED);
        assertThat(model.getMessage()).isNull();
    }

    @Test
    void aContextAskedForByNameThatTheFileLacksIsReportedWithTheOnesItHas() throws Exception {
        Path config = Kubeconfigs.withContexts(dir, "staging", "https://127.0.0.1:1");
        MainViewModel model = model(config, ShellOptions.defaults().withContext("prd"));

        model.start();
        waitUntil(Duration.ofSeconds(5), () -> model.getState() == ConnectionState.FAILED);

        assertThat(model.getMessage().text()).contains("There is no context 'prd'");
        assertThat(model.getMessage().advice()).contains("staging");
    }

    @Test
    void sandboxFaultsCanBeInjectedOnlyWhileConnectedToTheSandboxAndReachIt() throws Exception {
        Path config = Kubeconfigs.withContexts(dir, "dead", "https://127.0.0.1:1");
        MainViewModel model = model(config, ShellOptions.defaults().withContext("dead"));
        model.start();
        waitUntil(Duration.ofSeconds(5), () -> model.getState() == ConnectionState.FAILED);
        assertThat(model.faultsAvailableProperty().get()).isFalse();
        assertThat(model.faultsNoteProperty().get()).contains("only while connected to the sandbox");

        model.chooseTarget(ConnectionTarget.SANDBOX);
        waitUntil(Duration.ofSeconds(5), () -> model.faultsAvailableProperty().get());
        waitUntil(Duration.ofSeconds(5), () -> model.workloadNames().contains("orchestrator"));
        model.injectFault(FaultKind.CRASH, "orchestrator");
        waitUntil(Duration.ofSeconds(5), () -> !model.activeFaults().isEmpty());

        assertThat(sandbox.sandbox().activeFaults()).contains(new Fault(FaultKind.CRASH, "orchestrator"));
        assertThat(model.activeFaults()).containsExactly(new Fault(FaultKind.CRASH, "orchestrator"));

        model.clearAllFaults();
        waitUntil(Duration.ofSeconds(5), () -> model.activeFaults().isEmpty());
        assertThat(sandbox.sandbox().activeFaults()).isEmpty();
        sandbox.awaitReady();
    }
}
