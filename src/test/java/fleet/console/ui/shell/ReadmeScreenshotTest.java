package fleet.console.ui.shell;

import fleet.console.cluster.ClusterConnector;
import fleet.console.ui.FleetSandbox;
import fleet.console.ui.common.FxBatcher;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Draws the README's picture of the console on the sandbox, through the same code path as
 * {@code --screenshot FILE}, so the README can show what the console really draws. The picture is drawn
 * into {@code target/}, so a run of the tests leaves the clone as it found it: two runs never draw quite
 * the same picture (which control has the focus, a stage sized by the tests before), and the committed
 * file used to be rewritten by every run. After a change of the console's look, the committed picture is
 * redrawn on purpose: {@code mvn test -Dtest=ReadmeScreenshotTest -Dreadme.screenshot.update=true}.
 */
@ExtendWith(ApplicationExtension.class)
class ReadmeScreenshotTest {

    static final Path README_SCREENSHOT = Path.of("src/site/console-sandbox.png");
    static final Path DRAWN = Path.of("target/readme/console-sandbox.png");
    /** Set to true to replace the committed picture with the one drawn. */
    static final String UPDATE = "readme.screenshot.update";

    /** A fixed time of day, so the picture changes only when the console's look does. */
    static final Clock README_CLOCK = Clock.fixed(Instant.parse("2026-01-15T09:30:00Z"), ZoneOffset.UTC);

    private static FleetSandbox sandbox;
    private static ScheduledExecutorService background;
    private ConsoleWindow window;

    @BeforeAll
    static void startSandbox() {
        sandbox = FleetSandbox.start();
        background = Executors.newScheduledThreadPool(3);
    }

    @AfterAll
    static void stopSandbox() {
        FleetSandbox.stopThenDispose(sandbox, background, () -> { });
    }

    @Start
    void start(Stage stage) {
        ShellServices services = new ShellServices(ClusterConnector.withDefaultTimeout(),
                Path.of("target/no-kubeconfig"), sandbox::handle, FleetSandbox.health(), background,
                new FxBatcher(), README_CLOCK);
        window = ConsoleWindow.open(stage, services, ShellOptions.defaults().onSandbox());
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
    }

    @Test
    void theReadmeScreenshotShowsTheSandboxFleetOnceItsHealthIsRead(FxRobot robot) throws Exception {
        // The pointer rests where hovering changes nothing, wherever earlier tests left it.
        robot.moveTo("#statusBar");
        Files.createDirectories(DRAWN.getParent());
        Path written = ScreenshotMode.capture(window, DRAWN, Duration.ofSeconds(30), background)
                .get(40, TimeUnit.SECONDS);

        assertThat(written).isEqualTo(DRAWN);
        assertThat(window.model().overview().rows()).isNotEmpty();
        BufferedImage picture = ImageIO.read(DRAWN.toFile());
        assertThat(picture.getWidth()).isEqualTo(1280);
        assertThat(picture.getHeight()).isEqualTo(800);
        window.dispose();

        if (Boolean.getBoolean(UPDATE)) {
            Files.copy(DRAWN, README_SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        }
        BufferedImage committed = ImageIO.read(README_SCREENSHOT.toFile());
        assertThat(committed).as("the README's picture, %s", README_SCREENSHOT).isNotNull();
        assertThat(committed.getWidth()).isEqualTo(picture.getWidth());
        assertThat(committed.getHeight()).isEqualTo(picture.getHeight());
    }
}
