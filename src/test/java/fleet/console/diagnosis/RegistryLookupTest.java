package fleet.console.diagnosis;

import fleet.console.sandbox.process.FreePorts;
import fleet.console.sandbox.registry.RegistryProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry HTTP API v2, asked of a real docker-registry standing in for the fleet's. */
class RegistryLookupTest {

    private static RegistryProcess registry;
    private static RegistryLookup lookup;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(RegistryProcess.findBinary().isPresent(), "docker-registry is not installed: sudo apt-get install -y docker-registry");
        registry = new RegistryProcess();
        registry.start();
        RegistryImages.push(registry.host(), "swe-ai-fleet/orchestrator", "v3.0.0-core-refactor");
        RegistryImages.push(registry.host(), "swe-ai-fleet/orchestrator", "v3.0.1");
        lookup = RegistryLookup.http(Map.of("registry.underpassai.com", URI.create("http://" + registry.host())), Duration.ofSeconds(3));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.stop();
        }
    }

    @Test
    void aPushedTagIsFound() {
        TagCheck c = lookup.check(ImageRef.parse("registry.underpassai.com/swe-ai-fleet/orchestrator:v3.0.1"));
        assertEquals(TagCheck.Status.FOUND, c.status());
        assertTrue(c.known());
    }

    @Test
    void aMissingTagIsSaidWithTheTagsThereAre() {
        TagCheck c = lookup.check(ImageRef.parse("registry.underpassai.com/swe-ai-fleet/orchestrator:v3.0.0-typo"));
        assertEquals(TagCheck.Status.TAG_MISSING, c.status());
        assertEquals(List.of("v3.0.0-core-refactor", "v3.0.1"), c.tags().stream().sorted().toList());
        assertTrue(c.url().endsWith("/v2/swe-ai-fleet/orchestrator/tags/list"), c.url());
    }

    @Test
    void theOtherPathOfTheFleetIsAnUnknownRepository() {
        TagCheck c = lookup.check(ImageRef.parse("registry.underpassai.com/swe-fleet/orchestrator:v3.0.0-core-refactor"));
        assertEquals(TagCheck.Status.REPOSITORY_MISSING, c.status());
        assertEquals("the registry has no repository swe-fleet/orchestrator", c.detail());
    }

    @Test
    void aRegistryThatDoesNotAnswerIsSaidSoAndNotGuessed() {
        RegistryLookup nowhere = RegistryLookup.http(Map.of("registry.underpassai.com", URI.create("http://127.0.0.1:" + FreePorts.loopback())),
                Duration.ofSeconds(2));
        TagCheck c = nowhere.check(ImageRef.parse("registry.underpassai.com/swe-ai-fleet/orchestrator:v3.0.1"));
        assertEquals(TagCheck.Status.UNREACHABLE, c.status());
        assertTrue(!c.known() && c.detail().startsWith("the registry did not answer"), c.detail());
    }
}
