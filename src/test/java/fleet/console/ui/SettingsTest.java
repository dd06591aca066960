package fleet.console.ui;

import fleet.console.app.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's memory between runs (app.Settings), tested with the shell it serves. */
class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void liveUnderXdgConfigHomeElseUnderDotConfig() {
        Path home = Path.of("/home/operator");

        assertThat(Settings.defaultFile(Map.of("XDG_CONFIG_HOME", "/xdg"), home))
                .isEqualTo(Path.of("/xdg/fleet-console/settings.properties"));
        assertThat(Settings.defaultFile(Map.of(), home))
                .isEqualTo(Path.of("/home/operator/.config/fleet-console/settings.properties"));
    }

    @Test
    void liveInEachPlatformsOwnConfigFolder() {
        Path home = Path.of("/home/operator");

        assertThat(Settings.defaultFile("Windows 11", Map.of("APPDATA", "C:/Users/op/AppData/Roaming"), home))
                .isEqualTo(Path.of("C:/Users/op/AppData/Roaming", "Fleet Console", "settings.properties"));
        assertThat(Settings.defaultFile("Mac OS X", Map.of(), home))
                .isEqualTo(home.resolve("Library/Application Support/Fleet Console/settings.properties"));
        assertThat(Settings.defaultFile("Linux", Map.of(), home))
                .isEqualTo(home.resolve(".config/fleet-console/settings.properties"));
    }

    @Test
    void whatWasSavedIsReadBack() throws Exception {
        Path file = dir.resolve("fleet-console/settings.properties");
        Settings saved = Settings.defaults().withWindow(40, 60, 1400, 900, false).withTheme("dark")
                .withLastConnection("prod", false, "swe-ai-fleet").withLogBufferLines(250_000)
                .withProductionContexts(List.of("prod-eu", "prod-us")).withProfileFile("/etc/fleet/profile.yaml");

        saved.save(file);
        Settings.Loaded loaded = Settings.load(file);

        assertThat(loaded.problem()).isEmpty();
        assertThat(loaded.firstRun()).isFalse();
        assertThat(loaded.settings()).isEqualTo(saved);
        assertThat(Files.readString(file)).contains("contexts.production=prod-eu,prod-us").contains("logs.buffer_lines=250000");
    }

    @Test
    void aMissingFileGivesDefaultsSilentlyAndMeansAFirstRun() {
        Settings.Loaded loaded = Settings.load(dir.resolve("none.properties"));

        assertThat(loaded.problem()).isEmpty();
        assertThat(loaded.firstRun()).isTrue();
        assertThat(loaded.settings()).isEqualTo(Settings.defaults());
    }

    @Test
    void aBufferSizeOutOfRangeOrAnUnknownThemeIsNamedAndFallsBack() throws Exception {
        Path file = dir.resolve("settings.properties");
        Files.writeString(file, "logs.buffer_lines=12\ntheme=purple\ncontexts.production= prod , ,prod \n");

        Settings.Loaded loaded = Settings.load(file);

        assertThat(loaded.settings().logBufferLines()).isEqualTo(Settings.DEFAULT_LOG_BUFFER_LINES);
        assertThat(loaded.settings().theme()).isEqualTo("light");
        assertThat(loaded.settings().productionContexts()).containsExactly("prod");
        assertThat(loaded.problem()).get().asString().contains("logs.buffer_lines").contains("theme");
    }

    @Test
    void aCorruptFileIsSetAsideAndReplacedByDefaultsWithAMessage() throws Exception {
        Path file = dir.resolve("settings.properties");
        Files.write(file, new byte[] {(byte) 0xC3, 0x28, '\\', 'u', '1', 'z'});

        Settings.Loaded loaded = Settings.load(file);

        assertThat(loaded.settings()).isEqualTo(Settings.defaults());
        assertThat(loaded.problem()).get().asString().contains(file.toString()).contains("started with defaults")
                .contains(".corrupt");
        assertThat(dir.resolve("settings.properties.corrupt")).exists();
        assertThat(file).doesNotExist();
    }

    @Test
    void unusableValuesAreNamedAndOnlyTheyFallBack() throws Exception {
        Path file = dir.resolve("settings.properties");
        Files.writeString(file, "window.width=wide\nwindow.height=12\ntheme=dark\nconnection.context=prod\n");

        Settings.Loaded loaded = Settings.load(file);

        assertThat(loaded.settings().windowWidth()).isEqualTo(Settings.defaults().windowWidth());
        assertThat(loaded.settings().windowHeight()).isEqualTo(Settings.defaults().windowHeight());
        assertThat(loaded.settings().theme()).isEqualTo("dark");
        assertThat(loaded.settings().lastContext()).isEqualTo("prod");
        assertThat(loaded.problem()).get().asString().contains("window.width").contains("window.height");
    }

    @Test
    void aLogViewHoldsOneHundredThousandLinesUnlessTheFileSaysOtherwise() throws Exception {
        assertThat(Settings.defaults().logBufferLines()).isEqualTo(100_000);
        Path file = dir.resolve("settings.properties");
        Settings.defaults().withLogBufferLines(250_000).save(file);

        assertThat(Files.readString(file)).contains("logs.buffer_lines=250000");
        assertThat(Settings.load(file).settings().logBufferLines()).isEqualTo(250_000);
        assertThat(Settings.load(file).settings().withTheme("dark").withWindow(1, 2, 900, 700, true).logBufferLines())
                .as("kept when the window is saved").isEqualTo(250_000);
    }

    @Test
    void aLogBufferTooSmallTooLargeOrNotANumberFallsBackAndSaysWhatIsAllowed() throws Exception {
        Path file = dir.resolve("settings.properties");
        for (String value : new String[] {"10", "900000000", "lots", "1500.5"}) {
            Files.writeString(file, "theme=dark\nlogs.buffer_lines=" + value + "\n");

            Settings.Loaded loaded = Settings.load(file);

            assertThat(loaded.settings().logBufferLines()).as(value).isEqualTo(100_000);
            assertThat(loaded.settings().theme()).isEqualTo("dark");
            assertThat(loaded.problem()).as(value).get().asString().contains("logs.buffer_lines");
        }
        Files.writeString(file, "logs.buffer_lines=1500\n");
        assertThat(Settings.load(file).settings().logBufferLines()).isEqualTo(1_500);
        assertThat(Settings.load(file).problem()).isEmpty();
    }
}
