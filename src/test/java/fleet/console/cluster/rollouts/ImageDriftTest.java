package fleet.console.cluster.rollouts;

import fleet.console.profile.FleetProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The running image beside the one the profile would deploy, with the fleet's path mix-up named. */
class ImageDriftTest {

    private static WorkloadStatus orchestrator(String image) {
        return new WorkloadStatus("Deployment", "orchestrator", 2, 2, 2, 2, Map.of("orchestrator", image), 1, RolloutState.COMPLETE, "",
                Map.of("app", "orchestrator"), 600);
    }

    @Test
    void theOldSweFleetPathIsFlaggedAsADifferentRegistryPath() {
        ImageDrift d = ImageDrift.of(orchestrator("registry.underpassai.com/swe-fleet/orchestrator:v0.3.0"), FleetProfile.defaults()).orElseThrow();
        assertTrue(d.differs());
        assertEquals("registry.underpassai.com/swe-ai-fleet/orchestrator:v3.0.0-core-refactor", d.declared());
        assertTrue(d.explanation().contains("different registry path"), d.explanation());
    }

    @Test
    void anotherTagOfTheSameRepositoryNamesBothTags() {
        ImageDrift d = ImageDrift.of(orchestrator("registry.underpassai.com/swe-ai-fleet/orchestrator:v3.0.1"), FleetProfile.defaults()).orElseThrow();
        assertEquals("runs tag v3.0.1; the profile deploys v3.0.0-core-refactor", d.explanation());
    }

    @Test
    void theProfilesImageIsNotFlagged() {
        assertFalse(ImageDrift.of(orchestrator("registry.underpassai.com/swe-ai-fleet/orchestrator:v3.0.0-core-refactor"),
                FleetProfile.defaults()).orElseThrow().differs());
    }
}
