package fleet.console.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jpackage/launcher.options is read line by line by scripts/fleet-console, scripts/bench and the installers:
 * a comment's second line without its '#', or an option the JVM does not know, and no launcher starts.
 */
class LauncherOptionsTest {

    private static final Path OPTIONS = Path.of("jpackage", "launcher.options");

    static List<String> options() throws Exception {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(OPTIONS, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                options.add(trimmed);
            }
        }
        return options;
    }

    @Test
    void everyLineIsACommentOrOneJavaOption() throws Exception {
        List<String> options = options();
        assertThat(options).isNotEmpty();
        assertThat(options).allSatisfy(option -> {
            assertThat(option).as("a line of " + OPTIONS + " that is neither a comment nor an option").startsWith("-");
            assertThat(option).as("one option per line").doesNotContain(" ");
        });
    }

    @Test
    void theJvmStartsWithThem() throws Exception {
        Run run = java(List.of());
        assertThat(run.status).as(run.toString()).isZero();
    }

    /**
     * scripts/fleet-console records the console's classes at the exit of its first window run and maps them at
     * every later start (class data sharing): with these options the JVM writes such an archive, maps it
     * (-Xshare:on fails when it cannot), and starts quietly without one it refuses, as after a JDK update.
     */
    @Test
    void theClassArchiveTheLauncherRecordsIsMappedAtTheNextStartAndARefusedOneStartsQuietly(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("fleet-console.jsa");
        List<String> quiet = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

        Run recorded = java(concat(List.of("-XX:ArchiveClassesAtExit=" + archive), quiet));
        assertThat(recorded.status).as(recorded.toString()).isZero();
        assertThat(archive).isNotEmptyFile();

        Run mapped = java(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"));
        assertThat(mapped.status).as("the recorded archive mapped with -Xshare:on: " + mapped).isZero();

        Files.write(archive, "not an archive".getBytes(StandardCharsets.UTF_8));
        Run refused = java(concat(List.of("-XX:SharedArchiveFile=" + archive), quiet));
        assertThat(refused.status).as(refused.toString()).isZero();
        assertThat(refused.output).as("what " + refused.command + " printed").doesNotContainIgnoringCase("archive")
                .doesNotContainIgnoringCase("warning").contains("version");
    }

    /** What the JVM printed, and the command for a failure's message. */
    private record Run(int status, String output, String command) {
        @Override
        public String toString() {
            return command + " said:\n" + output;
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Run java(List<String> extra) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options());
        command.addAll(extra);
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(java.exitValue(), output, String.join(" ", command));
    }
}
