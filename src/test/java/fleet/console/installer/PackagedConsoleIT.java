package fleet.console.installer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged console as an operator gets it, after "mvn -Ppackage" (scripts/package) built it into
 * target/installer: the app image's own launcher, started in processes of their own, and the .deb's
 * contents. Run by the profile's "packaged-console" execution only, never by scripts/test.
 */
class PackagedConsoleIT {

    /** Decimal megabytes, as the targets were given. */
    private static final long MB = 1_000_000L;
    private static final long IMAGE_LIMIT = 120 * MB;
    private static final long DEB_LIMIT = 90 * MB;

    private static String version;
    private static Path installer;
    private static Path image;
    private static Path launcher;

    @TempDir
    Path dir;

    @BeforeAll
    static void locate() {
        version = System.getProperty("fleet.pom.version");
        String where = System.getProperty("installer.dir");
        assumeTrue(version != null && where != null, "run by mvn -Ppackage verify (scripts/package), which builds the installers first");
        installer = Path.of(where);
        image = installer.resolve(System.getProperty("installer.app.dir", "fleet-console"));
        launcher = image.resolve("bin").resolve("fleet-console");
        assertThat(launcher).as("the app image's launcher").isExecutable();
    }

    @Test
    void theInstalledLauncherPrintsThePomsVersion() throws Exception {
        Run run = run(List.of(launcher.toString(), "--version"), Map.of(), 30);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output().lines().findFirst()).get().asString()
                .startsWith("fleet-console " + version + " (Java 17, JavaFX 21");
    }

    @Test
    void withoutADisplayTheAppImageOpensItsWindowOnTheSandboxSaysReadyAndExits() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path config = Files.createDirectories(dir.resolve("config/fleet-console"));
        // A settings file cut short by a crash: the console starts anyway and says what it did.
        Files.write(config.resolve("settings.properties"), new byte[] {(byte) 0xC3, 0x28, '\\', 'u', '1', 'z'});

        Run run = run(List.of(launcher.toString(), "--check-start"), Map.of("HOME", home.toString(),
                "XDG_CONFIG_HOME", dir.resolve("config").toString()), 180);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("ready: Fleet Console " + version + ", main window \"Fleet Console — sandbox / swe-ai-fleet")
                .containsPattern("shows [1-9][0-9]* workloads of sandbox / swe-ai-fleet")
                .contains("banner: Settings file " + config.resolve("settings.properties") + " could not be read")
                .contains("started with defaults");
        assertThat(config.resolve("settings.properties.corrupt")).exists();
        // A start check leaves the settings alone, and JavaFX's native libraries come from the
        // runtime, not unpacked into the operator's home.
        assertThat(config.resolve("settings.properties")).doesNotExist();
        assertThat(home.resolve(".openjfx")).doesNotExist();
    }

    @Test
    void onARealDisplayTheWindowOpensWithGtk() throws Exception {
        assumeTrue(onPath("xvfb-run"), "xvfb-run is not installed (apt-get install xvfb); the headless check covers the rest");
        Path home = Files.createDirectories(dir.resolve("home"));

        Run run = run(List.of("xvfb-run", "-a", launcher.toString(), "--check-start"), Map.of("HOME", home.toString(),
                "XDG_CONFIG_HOME", dir.resolve("config").toString()), 180);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("ready: Fleet Console " + version);
    }

    @Test
    void theCommandLineOfTheAppImageReadsTheSandboxFleetsHealth() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));

        Run run = run(List.of(launcher.toString(), "health", "--sandbox"), Map.of("HOME", home.toString(),
                "XDG_CONFIG_HOME", dir.resolve("config").toString()), 180);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("Fleet health of sandbox / swe-ai-fleet").contains("orchestrator")
                .containsPattern("All [0-9]+ workloads healthy");
    }

    @Test
    void theRuntimeNamesItsModulesAndKeepsTheOnesAllDefaultWouldDrop() throws IOException {
        String release = Files.readString(image.resolve("lib/runtime/release"));

        assertThat(release).containsPattern("MODULES=\"[^\"]*\\bjava\\.net\\.http\\b")
                .containsPattern("MODULES=\"[^\"]*\\bjava\\.naming\\b")
                .containsPattern("MODULES=\"[^\"]*\\bjdk\\.crypto\\.ec\\b")
                .containsPattern("MODULES=\"[^\"]*\\bjavafx\\.controls\\b");
    }

    @Test
    void theDebInstallsTheLauncherAMenuEntryAndTheIconAndNeedsGtk() throws Exception {
        assumeTrue("deb".equals(System.getProperty("installer.type")), "this OS builds no .deb");
        Path deb = onlyFile("*.deb");

        Run fields = run(List.of("dpkg-deb", "-f", deb.toString()), Map.of(), 120);
        Run contents = run(List.of("dpkg-deb", "-c", deb.toString()), Map.of(), 120);
        Run desktop = run(List.of("sh", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -xOf - ./opt/fleet-console/lib/fleet-console-fleet-console.desktop",
                deb.toString()), Map.of(), 120);

        assertThat(fields.output()).contains("Package: fleet-console").contains("Version: " + version + "-1")
                .containsPattern("Depends: [^\\n]*\\blibgtk-3-0\\b");
        assertThat(contents.output()).contains("./opt/fleet-console/bin/fleet-console")
                .contains("./opt/fleet-console/lib/fleet-console.png")
                .contains("./opt/fleet-console/lib/fleet-console-fleet-console.desktop");
        assertThat(desktop.output()).contains("Name=Fleet Console").contains("Exec=/opt/fleet-console/bin/fleet-console")
                .contains("Icon=/opt/fleet-console/lib/fleet-console.png");
    }

    @Test
    void theAppImageAndTheDebStayUnderTheirSizeTargets() throws IOException {
        long imageBytes = size(image);
        System.out.printf("app image %s: %.1f MB (target < %d MB)%n", image, imageBytes / (double) MB, IMAGE_LIMIT / MB);
        assertThat(imageBytes).as("app image bytes").isLessThan(IMAGE_LIMIT);
        if ("deb".equals(System.getProperty("installer.type"))) {
            long debBytes = Files.size(onlyFile("*.deb"));
            System.out.printf(".deb: %.1f MB (target < %d MB)%n", debBytes / (double) MB, DEB_LIMIT / MB);
            assertThat(debBytes).as(".deb bytes").isLessThan(DEB_LIMIT);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private record Run(int exit, String output) {
    }

    /** Runs a command without a display and without the developer's kubeconfig; output and error together. */
    private Run run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(dir, "run", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        builder.environment().remove("KUBECONFIG");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + timeoutSeconds + " s; its output:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static Path onlyFile(String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (var files = Files.newDirectoryStream(installer, glob)) {
            files.forEach(found::add);
        }
        assertThat(found).as(glob + " in " + installer).hasSize(1);
        return found.get(0);
    }

    private static long size(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, name)));
    }
}
