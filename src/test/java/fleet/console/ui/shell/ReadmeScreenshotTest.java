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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Makes the README's picture of the console on the sandbox, through the same code path as
 * {@code --screenshot FILE}, so the README always shows what the console really draws.
 */
@ExtendWith(ApplicationExtension.class)
class ReadmeScreenshotTest {

    static final Path README_SCREENSHOT = Path.of("src/site/console-sandbox.png");
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
        Path written = ScreenshotMode.capture(window, README_SCREENSHOT, Duration.ofSeconds(30), background)
                .get(40, TimeUnit.SECONDS);

        assertThat(written).isEqualTo(README_SCREENSHOT);
        assertThat(window.model().overview().rows()).isNotEmpty();
        BufferedImage picture = ImageIO.read(README_SCREENSHOT.toFile());
        assertThat(picture.getWidth()).isEqualTo(1280);
        assertThat(picture.getHeight()).isEqualTo(800);
        window.dispose();
    }
}
