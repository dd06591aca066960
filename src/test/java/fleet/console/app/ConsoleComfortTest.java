package fleet.console.app;

import fleet.console.cluster.ClusterConnector;
import fleet.console.cluster.WorkloadHealth;
import fleet.console.profile.FleetProfile;
import fleet.console.sandbox.process.ScratchDir;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.Kubeconfigs;
import fleet.console.ui.common.FxBatcher;
import fleet.console.ui.shell.Area;
import fleet.console.ui.shell.AreaGuide;
import fleet.console.ui.shell.ConnectionState;
import fleet.console.ui.shell.ConsoleWindow;
import fleet.console.ui.shell.ShellOptions;
import fleet.console.ui.shell.ShellServices;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * First run, the shortcut list, the search, About and a corrupt settings file, in the window as the
 * application opens it (options made by ConsoleApp from the settings as read), headless, against the
 * real sandbox (started once for the class). Each test opens its own window.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleComfortTest {

    private static FleetSandbox sandbox;
    private static ScheduledExecutorService background;
    private static Path dir;
    private static Path kubeconfig;
    private static final List<ConsoleWindow> windows = new ArrayList<>();

    private Stage stage;
    private ConsoleWindow window;

    @BeforeAll
    static void startSandbox() throws Exception {
        sandbox = FleetSandbox.start();
        background = Executors.newScheduledThreadPool(4);
        dir = ScratchDir.create("console-comfort-test").path();
        // A kubeconfig whose one context is the sandbox's API server, reached as any cluster is.
        kubeconfig = Kubeconfigs.withContexts(dir.resolve("kube"), "fleet-staging",
                sandbox.sandbox().clientConfig().getMasterUrl());
    }

    @AfterAll
    static void stopSandbox() {
        FleetSandbox.stopThenDispose(sandbox, background, () -> windows.forEach(ConsoleWindow::dispose));
    }

    @AfterEach
    void closeWindow() throws Exception {
        if (stage != null) {
            WaitForAsyncUtils.asyncFx(stage::hide).get(10, TimeUnit.SECONDS);
        }
    }

    private ConsoleWindow open(ShellOptions options, Path kubeconfigFile) throws Exception {
        window = WaitForAsyncUtils.asyncFx(() -> {
            stage = new Stage();
            ShellServices services = new ShellServices(ClusterConnector.withDefaultTimeout(), kubeconfigFile, sandbox::handle,
                    FleetSandbox.health(), background, new FxBatcher());
            ConsoleWindow opened = ConsoleWindow.open(stage, services, options);
            stage.show();
            stage.toFront();
            return opened;
        }).get(10, TimeUnit.SECONDS);
        windows.add(window);
        WaitForAsyncUtils.waitForFxEvents();
        return window;
    }

    /** Options as the application makes them from a settings file (absent: a first run). */
    private static ShellOptions optionsFrom(Settings.Loaded loaded) {
        FleetProfile profile = FleetProfile.defaults();
        return ConsoleApp.shellOptions(ConsoleStart.defaults(), loaded, profile, Optional.empty(),
                ConsoleApp.about(Versions.current(), dir.resolve("settings.properties"), profile));
    }

    private static ShellOptions firstRun() {
        return optionsFrom(Settings.load(dir.resolve("never-written/settings.properties")));
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        fleet.console.ui.SceneWait.until(seconds, condition);
    }

    private void waitForFleet() throws Exception {
        waitFor(20, () -> window.model().getState() == ConnectionState.CONNECTED && window.model().overview().isLoaded()
                && !window.model().overview().rows().isEmpty());
    }

    private static boolean shown(FxRobot robot, String query) {
        return robot.lookup(query).tryQuery().map(Node::isVisible).orElse(false);
    }

    private static void key(FxRobot robot, KeyCode... keys) {
        robot.press(keys);
        List<KeyCode> reversed = new ArrayList<>(List.of(keys));
        java.util.Collections.reverse(reversed);
        robot.release(reversed.toArray(KeyCode[]::new));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aFirstRunExplainsEveryAreaInThreeLinesConnectsNothingAndOpensTheSandboxWhenAsked(FxRobot robot) throws Exception {
        Path missing = dir.resolve("no-such-kubeconfig");
        open(firstRun(), missing);

        assertThat(shown(robot, "#firstRunView")).isTrue();
        for (Area area : Area.values()) {
            VBox guide = robot.lookup("#guide-" + area.name().toLowerCase(java.util.Locale.ROOT)).queryAs(VBox.class);
            List<String> texts = guide.getChildren().stream().map(n -> ((Label) n).getText()).toList();
            assertThat(texts.get(0)).as("title of " + area).startsWith(area.title()).contains("Ctrl+" + area.shortcutDigit());
            assertThat(texts.subList(1, texts.size())).as("lines of " + area).hasSize(3)
                    .containsExactlyElementsOf(AreaGuide.lines(area)).allSatisfy(l -> assertThat(l).isNotBlank());
        }
        // No kubeconfig: the context choice says where it looked and cannot be taken.
        waitFor(5, () -> robot.lookup("#firstRunContextsNote").queryAs(Label.class).getText().contains(missing.toString()));
        assertThat(robot.lookup("#firstRunConnect").queryButton().isDisabled()).isTrue();
        // Nothing started behind the operator's back.
        assertThat(window.model().getState()).isEqualTo(ConnectionState.IDLE);
        assertThat(window.model().getSession()).isNull();

        robot.clickOn("#firstRunSandbox");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(shown(robot, "#firstRunView")).isFalse();
        waitForFleet();
        assertThat(window.model().getSession().sandbox()).isTrue();
        assertThat(robot.lookup("#healthTable").tryQuery()).isPresent();
    }

    @Test
    void aFirstRunConnectsToTheChosenKubeconfigContextWhichCanBeMarkedAsProduction(FxRobot robot) throws Exception {
        open(firstRun(), kubeconfig);
        waitFor(5, () -> robot.lookup("#firstRunContexts").queryComboBox().getItems().contains("fleet-staging"));
        ComboBox<String> contexts = robot.lookup("#firstRunContexts").queryComboBox();
        assertThat(contexts.getValue()).isEqualTo("fleet-staging");
        assertThat(robot.lookup("#firstRunContextsNote").queryAs(Label.class).getText()).contains(kubeconfig.toString())
                .contains("1 context");

        robot.clickOn("#firstRunConnect");
        waitForFleet();

        assertThat(shown(robot, "#firstRunView")).isFalse();
        assertThat(window.model().getSession().sandbox()).isFalse();
        assertThat(window.model().getSession().contextName()).isEqualTo("fleet-staging");
        assertThat(stage.getTitle()).isEqualTo("Fleet Console — fleet-staging / swe-ai-fleet at "
                + window.model().getSession().serverUrl());

        robot.clickOn("Console").clickOn("#productionItem");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(stage.getTitle()).endsWith(" — PRODUCTION");
        assertThat(window.model().productionContexts()).containsExactly("fleet-staging");
        // The banner stays while connected to it, in words, not only in the title.
        assertThat(shown(robot, "#productionBanner")).isTrue();
        assertThat(robot.lookup("#productionBanner").queryAs(Label.class).getText())
                .startsWith("PRODUCTION: fleet-staging / swe-ai-fleet").contains("ask twice");
        assertThat(shown(robot, "#readOnlyBanner")).isFalse();
    }

    @Test
    void readOnlyModeReconnectsWithAClientThatChangesNothingAndDisablesDeleteWithTheReason(FxRobot robot) throws Exception {
        open(ShellOptions.defaults().onSandbox(), kubeconfig);
        waitForFleet();
        robot.interact(() -> window.model().selectArea(Area.PODS));
        waitFor(20, () -> !window.model().pods().rows().isEmpty());
        String pod = window.model().pods().rows().get(0).name();
        robot.interact(() -> window.model().pods().select(window.model().pods().rows().get(0)));
        Button delete = robot.lookup("#podDelete").queryButton();
        waitFor(10, () -> !delete.isDisable());
        assertThat(shown(robot, "#readOnlyBanner")).isFalse();
        var before = window.model().getSession();

        key(robot, KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.L);

        waitFor(20, () -> window.model().getSession() != before && window.model().getState() == ConnectionState.CONNECTED);
        assertThat(window.model().getSession().readOnly()).isTrue();
        assertThat(shown(robot, "#readOnlyBanner")).isTrue();
        assertThat(robot.lookup("#readOnlyBanner").queryAs(Label.class).getText()).startsWith("READ-ONLY:");
        waitFor(20, () -> !window.model().pods().rows().isEmpty());
        robot.interact(() -> window.model().pods().rows().stream().filter(r -> r.name().equals(pod)).findFirst()
                .ifPresent(r -> window.model().pods().select(r)));
        waitFor(10, () -> robot.lookup("#podsPermits").queryAs(Label.class).isVisible());
        assertThat(delete.isDisable()).isTrue();
        assertThat(delete.getStyleClass()).contains(fleet.console.ui.common.StyleClasses.REFUSED);
        assertThat(delete.getTooltip().getText()).contains("read-only mode is on");
        assertThat(robot.lookup("#podsPermits").queryAs(Label.class).getText()).isEqualTo("Read-only mode: delete pod disabled.");
        // Even asked directly (a key, a stale button), the view model refuses and the pod stays.
        robot.interact(() -> window.model().pods().delete(window.model().pods().getSelected()));
        waitFor(5, () -> window.model().pods().noticeProperty().get().contains("was not deleted"));
        assertThat(sandbox.client().pods().inNamespace(FleetSandbox.NAMESPACE).withName(pod).get()).isNotNull();
        // And the session's client itself sends no change.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> window.model().getSession().client().pods()
                .inNamespace(FleetSandbox.NAMESPACE).withName(pod).delete()).hasMessageContaining("read-only mode is on");

        robot.clickOn("Console").clickOn("#readOnlyItem");
        waitFor(20, () -> !window.model().getSession().readOnly() && window.model().getState() == ConnectionState.CONNECTED);
        assertThat(shown(robot, "#readOnlyBanner")).isFalse();
        waitFor(20, () -> !window.model().pods().rows().isEmpty());
        robot.interact(() -> window.model().pods().select(window.model().pods().rows().get(0)));
        waitFor(10, () -> !delete.isDisable());
        assertThat(delete.getStyleClass()).doesNotContain(fleet.console.ui.common.StyleClasses.REFUSED);
    }

    @Test
    void questionMarkAndF1ShowEveryShortcutOfTheWindowAndEscCloses(FxRobot robot) throws Exception {
        open(ShellOptions.defaults().onSandbox(), kubeconfig);
        waitForFleet();
        robot.clickOn("#healthTable");

        robot.write('?');
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(shown(robot, "#helpOverlay")).as("the shortcut list after ?").isTrue();
        Map<String, String> listed = new LinkedHashMap<>();
        GridPane grid = robot.lookup("#shortcutList").queryAs(GridPane.class);
        List<Node> cells = grid.getChildren();
        for (int i = 0; i < cells.size() - 1; i++) {
            if (cells.get(i).getStyleClass().contains("shortcut-keys")) {
                listed.put(((Label) cells.get(i + 1)).getText(), ((Label) cells.get(i)).getText());
            }
        }
        for (Area area : Area.values()) {
            assertThat(listed).as("shortcut of " + area).containsEntry(area.title(), "Ctrl+" + area.shortcutDigit());
        }
        assertThat(listed).containsEntry("Search…", "Ctrl+F").containsEntry("Keyboard shortcuts", "F1")
                .containsEntry("Dark theme", "Ctrl+Shift+T").containsEntry("Read health again", "F5")
                .containsKey("Show or hide this list of shortcuts");
        // Keys the areas handle themselves, no menu carries them: the log view's follow and pause, NATS's go-to-pod.
        assertThat(listed).containsEntry("Pause or resume the log (lines keep arriving, counted)", "Space")
                .containsEntry("Follow the newest line again", "End").containsEntry("Next match", "F3")
                .containsEntry("Go to the pods of the consumer's service", "Ctrl+G").containsEntry("Run the fix", "Ctrl+\u21b5");

        key(robot, KeyCode.ESCAPE);
        assertThat(shown(robot, "#helpOverlay")).as("closed by Esc").isFalse();

        key(robot, KeyCode.F1);
        assertThat(shown(robot, "#helpOverlay")).as("F1 opens it").isTrue();
        key(robot, KeyCode.F1);
        assertThat(shown(robot, "#helpOverlay")).as("F1 again closes it").isFalse();
    }

    @Test
    void searchGoesToAWorkloadAnAreaOrACommand(FxRobot robot) throws Exception {
        open(ShellOptions.defaults().onSandbox(), kubeconfig);
        waitForFleet();

        key(robot, KeyCode.CONTROL, KeyCode.F);
        assertThat(shown(robot, "#searchOverlay")).isTrue();
        robot.write("ray-exec");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#searchResults").queryListView().getItems()).first().asString().isEqualTo("ray-executor");
        key(robot, KeyCode.ENTER);

        assertThat(shown(robot, "#searchOverlay")).isFalse();
        assertThat(window.model().getArea()).isEqualTo(Area.OVERVIEW);
        TableView<?> table = robot.lookup("#healthTable").queryTableView();
        assertThat(((WorkloadHealth) table.getSelectionModel().getSelectedItem()).name()).isEqualTo("ray-executor");

        key(robot, KeyCode.CONTROL, KeyCode.F);
        robot.write("rollouts");
        key(robot, KeyCode.ENTER);
        assertThat(window.model().getArea()).isEqualTo(Area.ROLLOUTS);

        key(robot, KeyCode.CONTROL, KeyCode.F);
        robot.write("dark theme");
        key(robot, KeyCode.ENTER);
        assertThat(window.model().getTheme()).isEqualTo(fleet.console.ui.common.Theme.DARK);
        assertThat(window.scene().getRoot().getStyleClass()).contains("dark");
    }

    @Test
    void aboutShowsTheConsolesVersionAndTheLibrariesItRunsOn(FxRobot robot) throws Exception {
        open(optionsFrom(new Settings.Loaded(Settings.defaults(), Optional.empty(), false)), kubeconfig);

        robot.clickOn("Help").clickOn("#aboutItem");
        WaitForAsyncUtils.waitForFxEvents();

        DialogPane about = robot.lookup("#aboutDialog").queryAs(DialogPane.class);
        assertThat(about.getHeaderText()).isEqualTo("Fleet Console " + System.getProperty("fleet.pom.version"));
        Map<String, String> libraries = new LinkedHashMap<>();
        GridPane grid = robot.lookup("#aboutLibraries").queryAs(GridPane.class);
        for (int i = 0; i + 1 < grid.getChildren().size(); i += 2) {
            libraries.put(((Label) grid.getChildren().get(i)).getText(), ((Label) grid.getChildren().get(i + 1)).getText());
        }
        Versions built = Versions.current();
        assertThat(libraries.get("Java")).startsWith(System.getProperty("java.version"));
        assertThat(libraries.get("JavaFX")).startsWith("21.");
        assertThat(libraries).containsEntry("ControlsFX", built.controlsfx()).containsEntry("fabric8 kubernetes-client", built.fabric8())
                .containsEntry("jnats", built.jnats()).containsEntry("jib-core", built.jib());
        assertThat(built.fabric8()).isNotEqualTo("?");

        robot.clickOn(robot.lookup(".dialog-pane .button").match((Node n) -> n instanceof Button b
                && "Close".equals(b.getText())).<Node>query());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#aboutDialog").tryQuery()).isEmpty();
    }

    @Test
    void aCorruptSettingsFileIsReplacedByDefaultsAndTheWindowSaysSo(FxRobot robot) throws Exception {
        Path file = Files.createDirectories(dir.resolve("corrupt")).resolve("settings.properties");
        Files.write(file, new byte[] {(byte) 0xC3, 0x28, '\\', 'u', '1', 'z', '\n', 't', 'h', 'e', 'm', 'e', '=', 'd'});

        Settings.Loaded loaded = Settings.load(file);
        open(optionsFrom(loaded), kubeconfig);
        waitForFleet();

        assertThat(shown(robot, "#banner")).isTrue();
        assertThat(robot.lookup("#bannerText").queryAs(Label.class).getText())
                .contains("Settings file " + file + " could not be read").contains("started with defaults")
                .contains(file + ".corrupt");
        assertThat(shown(robot, "#firstRunView")).as("a reset is not a first run").isFalse();
        assertThat(window.model().getTheme()).isEqualTo(fleet.console.ui.common.Theme.LIGHT);
        assertThat(file.resolveSibling("settings.properties.corrupt")).exists();
        assertThat(file).doesNotExist();
    }
}
