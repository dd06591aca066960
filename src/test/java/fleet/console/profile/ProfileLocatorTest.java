package fleet.console.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileLocatorTest {

    private static final Path HOME = Path.of("/home/operator");
    private static final Path HOME_FILE = Path.of("/home/operator/.config/fleet-console/profile.yaml");
    private static final Path XDG_FILE = Path.of("/etc/xdg-operator/fleet-console/profile.yaml");

    private static ProfileLocator locator(Map<String, String> env, Set<Path> existing) {
        return new ProfileLocator(env, HOME, existing::contains);
    }

    @Test
    void anExplicitProfileWinsEvenWhenItDoesNotExistSoLoadingCanSayWhy() {
        Path explicit = Path.of("/tmp/staging.yaml");

        ProfileChoice choice = locator(Map.of("XDG_CONFIG_HOME", "/etc/xdg-operator"), Set.of(XDG_FILE))
                .choose(Optional.of(explicit));

        assertEquals(Optional.of(explicit), choice.file());
        assertEquals("given with --profile", choice.reason());
    }

    @Test
    void theFileUnderXdgConfigHomeIsUsedWhenItExists() {
        ProfileChoice choice = locator(Map.of("XDG_CONFIG_HOME", "/etc/xdg-operator"), Set.of(XDG_FILE, HOME_FILE))
                .choose(Optional.empty());

        assertEquals(Optional.of(XDG_FILE), choice.file());
    }

    @Test
    void withoutXdgConfigHomeTheFileUnderDotConfigIsUsed() {
        ProfileChoice choice = locator(Map.of(), Set.of(HOME_FILE)).choose(Optional.empty());

        assertEquals(Optional.of(HOME_FILE), choice.file());
        assertEquals("found at " + HOME_FILE, choice.reason());
    }

    @Test
    void aRelativeXdgConfigHomeIsIgnoredAsTheSpecificationRequires() {
        ProfileLocator locator = locator(Map.of("XDG_CONFIG_HOME", "relative/config"), Set.of(HOME_FILE));

        assertEquals(HOME_FILE, locator.userFile());
    }

    @Test
    void withNoFileTheBuiltInDefaultsAreUsedAndTheReasonNamesWhereItLooked() throws ProfileException {
        ProfileChoice choice = locator(Map.of("XDG_CONFIG_HOME", "/etc/xdg-operator"), Set.of(HOME_FILE))
                .choose(Optional.empty());

        assertEquals(Optional.empty(), choice.file());
        assertTrue(choice.reason().contains(XDG_FILE.toString()), choice.reason());
        assertSame(FleetProfile.defaults(), choice.load());
    }

    @Test
    void aChosenFileIsLoadedOverTheDefaults(@TempDir Path config) throws Exception {
        Path file = config.resolve("fleet-console").resolve("profile.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "namespace: fleet-lab\n");
        ProfileLocator locator = new ProfileLocator(Map.of("XDG_CONFIG_HOME", config.toString()), HOME, Files::exists);

        FleetProfile profile = locator.choose(Optional.empty()).load();

        assertEquals("fleet-lab", profile.namespace());
        assertEquals(file + " over the built-in defaults", profile.source());
    }
}
