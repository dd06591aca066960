package fleet.console.app;

import org.junit.jupiter.api.Test;

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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options());
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(String.join(" ", command) + " said:\n" + output).isZero();
    }
}
