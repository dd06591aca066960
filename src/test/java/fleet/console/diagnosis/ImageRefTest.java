package fleet.console.diagnosis;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Image references as a registry reads them, and the memory a fix offers. */
class ImageRefTest {

    @Test
    void theFleetsImagesHaveTheirRegistryPathAndTag() {
        ImageRef r = ImageRef.parse("registry.underpassai.com/swe-ai-fleet/orchestrator:v3.0.0-core-refactor");
        assertEquals("registry.underpassai.com", r.host());
        assertEquals("swe-ai-fleet/orchestrator", r.repository());
        assertEquals("swe-ai-fleet", r.path());
        assertEquals("orchestrator", r.name());
        assertEquals("v3.0.0-core-refactor", r.reference());
        assertEquals("swe-fleet", ImageRef.parse("registry.underpassai.com/swe-fleet/orchestrator:v3").path());
    }

    @Test
    void dockerHubNamesGetTheirLibraryAndLatest() {
        assertEquals(new ImageRef("docker.io", "library/nats", "2.10-alpine", false), ImageRef.parse("nats:2.10-alpine"));
        assertEquals(new ImageRef("docker.io", "valkey/valkey", "latest", false), ImageRef.parse("valkey/valkey"));
        assertEquals(new ImageRef("127.0.0.1:5000", "swe-ai-fleet/context", "sha256:abc", true),
                ImageRef.parse("127.0.0.1:5000/swe-ai-fleet/context@sha256:abc"));
        assertEquals(new ImageRef("localhost", "x/y", "1", false), ImageRef.parse("localhost/x/y:1"));
    }

    @Test
    void twiceAMemoryLimitStaysInItsUnit() {
        assertEquals("1Gi", CrashRules.doubled(new Quantity("512Mi")));
        assertEquals("3Gi", CrashRules.doubled(new Quantity("1536Mi")));
        assertEquals("600Mi", CrashRules.doubled(new Quantity("300Mi")));
        assertEquals("4Gi", CrashRules.doubled(new Quantity("2Gi")));
    }
}
