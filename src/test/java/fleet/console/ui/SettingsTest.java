package fleet.console.ui;

import fleet.console.app.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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
    void whatWasSavedIsReadBack() throws Exception {
        Path file = dir.resolve("fleet-console/settings.properties");
        Settings saved = Settings.defaults().withWindow(40, 60, 1400, 900, false).withTheme("dark")
                .withLastConnection("prod", false, "swe-ai-fleet");

        saved.save(file);
        Settings.Loaded loaded = Settings.load(file);

        assertThat(loaded.problem()).isEmpty();
        assertThat(loaded.settings()).isEqualTo(saved);
    }

    @Test
    void aMissingFileGivesDefaultsSilently() {
        Settings.Loaded loaded = Settings.load(dir.resolve("none.properties"));

        assertThat(loaded.problem()).isEmpty();
        assertThat(loaded.settings()).isEqualTo(Settings.defaults());
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
}
