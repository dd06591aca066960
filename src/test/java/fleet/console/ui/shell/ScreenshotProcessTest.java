package fleet.console.ui.shell;

import fleet.console.ui.ScreenshotProcessMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --screenshot FILE} end to end, in a process of its own as an operator or CI runs it: no
 * display, no kubeconfig, no settings. The FX toolkit can start once per process, hence the child.
 */
class ScreenshotProcessTest {

    @TempDir
    Path dir;

    @Test
    void screenshotModeOpensOnTheSandboxWritesThePictureAndExitsWithoutADisplay() throws Exception {
        Path picture = dir.resolve("shot.png");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(),
                "-Duser.home=" + home, "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                ScreenshotProcessMain.class.getName(), picture.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile());
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        builder.environment().remove("KUBECONFIG");
        builder.environment().put("HOME", home.toString());
        builder.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());

        Process console = builder.start();
        boolean exited = console.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            console.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("console.log"));

        assertThat(exited).as("the console exits by itself; its output:%n%s", log).isTrue();
        assertThat(console.exitValue()).as("exit status; output:%n%s", log).isZero();
        assertThat(log).contains("Screenshot written to " + picture);
        assertThat(ImageIO.read(picture.toFile()).getWidth()).isEqualTo(1280);
        // A screenshot run leaves the operator's settings alone.
        assertThat(dir.resolve("config/fleet-console/settings.properties")).doesNotExist();
    }
}
