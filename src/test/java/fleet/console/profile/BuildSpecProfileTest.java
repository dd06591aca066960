package fleet.console.profile;

import static fleet.console.profile.Refusals.FILE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Build specs in the built-in profile, and how a user's file changes them. */
class BuildSpecProfileTest {

    private final FleetProfile defaults = FleetProfile.defaults();

    private static BuildSpec buildOf(FleetProfile profile, String service) {
        return profile.service(service).orElseThrow().build().orElseThrow(() -> new AssertionError(service + " has no build"));
    }

    @Test
    void theFleetsOwnServicesHaveBuildsAndThePublicImagesDoNot() {
        for (String own : List.of("orchestrator", "context", "ray-executor", "monitoring-dashboard")) {
            assertTrue(defaults.service(own).orElseThrow().build().isPresent(), own);
        }
        for (String pub : List.of("nats", "neo4j", "valkey")) {
            assertTrue(defaults.service(pub).orElseThrow().build().isEmpty(), pub);
        }
    }

    @Test
    void orchestratorRunsAsUid1000OnABaseThatCarriesItsDependencies() {
        BuildSpec build = buildOf(defaults, "orchestrator");
        assertEquals("registry.underpassai.com/swe-ai-fleet/orchestrator-base:v1.0.0", build.base());
        assertEquals(Optional.of("1000"), build.user());
        assertEquals(Optional.of("/app"), build.workdir());
        assertEquals("linux/amd64", build.platform());
        assertEquals(List.of("50055"), build.ports());
        assertEquals(Optional.of(List.of("python", "services/orchestrator/server.py")), build.cmd());
        assertEquals(Optional.empty(), build.entrypoint());
        assertEquals("/app/src:/app", build.env().get("PYTHONPATH"));
    }

    @Test
    void theServicesOwnCodeIsALayerOfItsOwnSoATypicalFixPushesOnlyIt() {
        BuildSpec build = buildOf(defaults, "orchestrator");
        assertEquals(List.of("src", "service"), build.layers().stream().map(LayerSpec::name).toList());
        LayerSpec service = build.layer("service").orElseThrow();
        assertEquals(List.of("services/orchestrator"), service.from());
        assertEquals("/app/services/orchestrator/", service.to());
        assertTrue(service.exclude().contains("**/__pycache__"));
        assertTrue(service.exclude().contains("gen"), "gen/ comes from the base, where protoc ran");
    }

    @Test
    void aUsersBaseChangesOnlyTheBaseAndKeepsTheDefaultLayers() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                services:
                  - name: orchestrator
                    build:
                      base: registry.example.com/team/orchestrator-base:v3.1.0
                """, FILE);

        BuildSpec build = buildOf(profile, "orchestrator");
        assertEquals("registry.example.com/team/orchestrator-base:v3.1.0", build.base());
        assertEquals(buildOf(defaults, "orchestrator").layers(), build.layers());
        assertEquals(buildOf(defaults, "orchestrator").user(), build.user());
    }

    @Test
    void layersMergeByNameFieldByField() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                services:
                  - name: context
                    build:
                      layers:
                        - name: service
                          exclude: ["**/*.pyc"]
                        - name: config
                          from: deploy/context.yaml
                          to: /app/config/context.yaml
                """, FILE);

        BuildSpec build = buildOf(profile, "context");
        assertEquals(List.of("src", "service", "config"), build.layers().stream().map(LayerSpec::name).toList());
        LayerSpec service = build.layer("service").orElseThrow();
        assertEquals(List.of("**/*.pyc"), service.exclude(), "a list inside a layer replaces ours whole");
        assertEquals(List.of("services/context"), service.from(), "the other fields of the layer stay");
        assertFalse(build.layer("config").orElseThrow().intoFolder());
    }

    @Test
    void removeTrueDropsALayer() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                services:
                  - name: context
                    build:
                      layers:
                        - name: src
                          remove: true
                """, FILE);

        assertEquals(List.of("service"), buildOf(profile, "context").layers().stream().map(LayerSpec::name).toList());
    }

    @Test
    void aNewServiceCanBeBuiltFromScratchWithEveryField() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                services:
                  - name: planning
                    image: registry.underpassai.com/swe-ai-fleet/planning
                    tag: v2.0.0
                    natsConsumers: true
                    build:
                      base: scratch
                      platform: linux/arm64
                      workdir: /srv
                      user: "1000:1000"
                      env: {MODE: prod, EMPTY: ""}
                      ports: [8080, "53/udp"]
                      labels: {org.opencontainers.image.title: planning}
                      entrypoint: [/srv/planning]
                      cmd: []
                      layers:
                        - name: binaries
                          from: [bin/planning, bin/healthcheck]
                          to: /srv/
                """, FILE);

        BuildSpec build = buildOf(profile, "planning");
        assertTrue(build.fromScratch());
        assertEquals("linux/arm64", build.platform());
        assertEquals(Optional.of("1000:1000"), build.user());
        assertEquals(Map.of("MODE", "prod", "EMPTY", ""), build.env());
        assertEquals(List.of("8080", "53/udp"), build.ports());
        assertEquals(Map.of("org.opencontainers.image.title", "planning"), build.labels());
        assertEquals(Optional.of(List.of("/srv/planning")), build.entrypoint());
        assertEquals(Optional.of(List.of()), build.cmd(), "an empty cmd clears the base's");
        LayerSpec binaries = build.layers().get(0);
        assertEquals(List.of("bin/planning", "bin/healthcheck"), binaries.from());
        assertTrue(binaries.intoFolder());
    }

    @Test
    void aServiceWithoutBuildStaysWithout() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                services:
                  - name: nats
                    tag: "2.11-alpine"
                """, FILE);

        assertTrue(profile.service("nats").orElseThrow().build().isEmpty());
    }
}
