package fleet.console.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Launcher's main, in processes of their own, as the Maven build leaves it (the installers run the
 * same class: PackagedConsoleIT checks them with the packaged launcher). The pom's version comes from
 * the pom itself (surefire's fleet.pom.version), so a broken resource filter shows here.
 */
class LauncherProcessTest {

    @TempDir
    Path dir;

    private record Run(int exit, String output) {
    }

    private Run launcher(int timeoutSeconds, String... args) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
        command.addAll(List.of(args));
        Path log = dir.resolve("launcher.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        builder.environment().remove("KUBECONFIG");
        builder.environment().put("HOME", home.toString());
        builder.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroyForcibly();
            throw new AssertionError("the launcher did not exit within " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    @Test
    void versionPrintsThePomsVersionAndTheMainLibraries() throws Exception {
        String pom = System.getProperty("fleet.pom.version");
        assertThat(pom).as("surefire passes the pom's version").isNotBlank();

        Run run = launcher(60, "--version");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output().strip()).matches("fleet-console " + java.util.regex.Pattern.quote(pom)
                + " \\(Java 17, JavaFX 21\\.[0-9.]+, ControlsFX [0-9.]+, fabric8 [0-9.]+, jnats [0-9.]+, jib-core [0-9.]+\\)");
    }

    @Test
    void checkStartOpensTheWindowOnTheSandboxWithoutADisplayAndSaysReadyAndWhatTheBannerSaid() throws Exception {
        Path settings = Files.createDirectories(dir.resolve("config/fleet-console")).resolve("settings.properties");
        Files.write(settings, new byte[] {(byte) 0xC3, 0x28, '\\', 'u', '1', 'z'});

        Run run = launcher(150, "--check-start");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("ready: Fleet Console " + System.getProperty("fleet.pom.version")
                        + ", main window \"Fleet Console — sandbox / swe-ai-fleet")
                .containsPattern("shows [1-9][0-9]* workloads")
                .contains("banner: Settings file " + settings + " could not be read")
                .containsPattern("nats-server: (/|not found)");
        assertThat(settings.resolveSibling("settings.properties.corrupt")).exists();
        assertThat(settings).as("a start check writes no settings").doesNotExist();
    }

    @Test
    void theWindowWithoutADisplaySaysWhatToDoInsteadOfFailingInJavaFx() throws Exception {
        Run run = launcher(60, "--context", "prod");

        assertThat(run.exit()).as(run.output()).isEqualTo(Cli.CANNOT);
        assertThat(run.output()).contains("there is no display to open the window on").contains("fleet-console health --sandbox");
    }
}
