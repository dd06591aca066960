package fleet.console.profile;

import static fleet.console.profile.Refusals.FILE;
import static fleet.console.profile.Refusals.problemMentioning;
import static fleet.console.profile.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileOverrideTest {

    private final FleetProfile defaults = FleetProfile.defaults();

    @Test
    void aUserEntryChangesOnlyTheFieldsItNames() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                services:
                  - name: orchestrator
                    tag: v3.0.1
                """, FILE);

        ServiceSpec orchestrator = profile.service("orchestrator").orElseThrow();
        ServiceSpec before = defaults.service("orchestrator").orElseThrow();
        assertEquals("registry.underpassai.com/swe-ai-fleet/orchestrator:v3.0.1", profile.imageFor(orchestrator));
        assertEquals(before.replicas(), orchestrator.replicas());
        assertEquals(before.durables(), orchestrator.durables());
        assertEquals(before.startupLines(), orchestrator.startupLines());
        assertTrue(orchestrator.natsConsumers());
        assertEquals(defaults.services().stream().map(ServiceSpec::name).toList(),
                profile.services().stream().map(ServiceSpec::name).toList());
    }

    @Test
    void aStreamEntryChangesOnlyItsLimits() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                streams:
                  - name: PLANNING_EVENTS
                    maxAge: 30d
                """, FILE);

        StreamSpec planning = profile.stream("PLANNING_EVENTS").orElseThrow();
        assertEquals(Duration.ofDays(30), planning.maxAge());
        assertEquals(List.of("planning.>"), planning.subjects());
        assertEquals(1_000_000, planning.maxMsgs());
    }

    @Test
    void aNewNameAddsAServiceAfterTheDefaultsWithDefaultsForOmittedFields() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                services:
                  - name: planning
                    image: registry.underpassai.com/swe-ai-fleet/planning
                    tag: v2.0.0
                    natsConsumers: true
                    durables: ["planning-*"]
                """, FILE);

        ServiceSpec planning = profile.services().get(profile.services().size() - 1);
        assertEquals("planning", planning.name());
        assertEquals(WorkloadKind.DEPLOYMENT, planning.kind());
        assertEquals("planning", planning.container());
        assertEquals(1, planning.replicas());
        assertEquals(OptionalInt.empty(), planning.port());
        assertTrue(profile.servicesWithNatsConsumers().contains(planning));
        assertEquals("planning", profile.ownerOfDurable("planning-story-created").orElseThrow().name());
    }

    @Test
    void removeTrueDropsADefaultStream() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                streams:
                  - name: AGENT_REQUESTS
                    remove: true
                """, FILE);

        assertTrue(profile.stream("AGENT_REQUESTS").isEmpty());
        assertEquals(4, profile.streams().size());
    }

    @Test
    void removingAServiceTakesItOutOfTheNatsScaleDown() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                services:
                  - {name: monitoring-dashboard, remove: true}
                """, FILE);

        assertTrue(profile.service("monitoring-dashboard").isEmpty());
        assertEquals(List.of("orchestrator", "context"),
                profile.servicesWithNatsConsumers().stream().map(ServiceSpec::name).toList());
        assertTrue(profile.ownerOfDurable("monitoring-dashboard").isEmpty());
    }

    @Test
    void removingAStreamFreesItsSubjectsForANarrowerOne() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                streams:
                  - name: PLANNING_EVENTS
                    remove: true
                  - name: STORY_EVENTS
                    subjects: ["planning.story.>"]
                """, FILE);

        assertTrue(profile.stream("STORY_EVENTS").orElseThrow().captures("planning.story.created"));
        assertTrue(profile.streams().stream().noneMatch(s -> s.captures("planning.plan.approved")));
    }

    @Test
    void removingANameTheDefaultsDoNotHaveIsRefusedWithTheClosestName() {
        ProfileException refusal = refused("""
                streams:
                  - name: AGENT_REQUEST
                    remove: true
                """);

        ProfileProblem problem = problemMentioning(refusal, "there is no stream \"AGENT_REQUEST\" to remove");
        assertEquals(3, problem.line());
        assertTrue(problem.message().contains("did you mean \"AGENT_REQUESTS\"?"), problem.message());
    }

    @Test
    void removeWithOtherFieldsIsRefusedBecauseTheyWouldBeIgnored() {
        ProfileException refusal = refused("""
                services:
                  - name: context
                    remove: true
                    tag: v2.0.1
                """);

        ProfileProblem problem = problemMentioning(refusal, "remove: true drops service \"context\"");
        assertEquals(3, problem.line());
        assertTrue(problem.message().contains("(tag) would be ignored"), problem.message());
    }

    @Test
    void registryFieldsAreReplacedOneByOne() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                registry:
                  host: localhost:5000
                  insecure: true
                """, FILE);

        assertEquals(new RegistrySpec("localhost:5000", "swe-ai-fleet", true), profile.registry());
    }

    @Test
    void councilsFieldsAreReplacedOneByOneAndRolesAsAWholeList() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                councils:
                  roles: [DEV, QA]
                  agentsPerCouncil: 5
                """, FILE);

        assertEquals(new CouncilSpec(List.of("DEV", "QA"), 5, "Qwen/Qwen2.5-0.5B-Instruct"), profile.councils());
    }

    @Test
    void aListFieldReplacesTheDefaultListInsteadOfAppending() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                services:
                  - name: context
                    durables: [context-all]
                """, FILE);

        assertEquals(List.of("context-all"), profile.service("context").orElseThrow().durables());
        assertFalse(profile.ownerOfDurable("context-orch-task-dispatched").isPresent());
    }

    @Test
    void namespaceIsReplaced() throws ProfileException {
        assertEquals("swe-ai-fleet-staging", FleetProfile.parse("namespace: swe-ai-fleet-staging", FILE).namespace());
    }

    @Test
    void anEmptyFileChangesNothing() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("# nothing to change yet\n", FILE);

        assertEquals(defaults.services(), profile.services());
        assertEquals(defaults.streams(), profile.streams());
        assertEquals(defaults.councils(), profile.councils());
        assertEquals("profile.yaml over the built-in defaults", profile.source());
    }

    @Test
    void loadReadsTheUserFileAndSaysWhereTheProfileCameFrom(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("profile.yaml");
        Files.writeString(file, """
                services:
                  - name: ray-executor
                    replicas: 3
                """);

        FleetProfile profile = FleetProfile.load(file);

        assertEquals(3, profile.service("ray-executor").orElseThrow().replicas());
        assertEquals(file + " over the built-in defaults", profile.source());
    }

    @Test
    void problemsPointAtTheUserFileAndTheDefaultsFileEachForTheirOwnLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("profile.yaml");
        Files.writeString(file, """
                # a narrower planning stream
                streams:
                  - name: STORY_EVENTS
                    subjects: ["planning.story.>"]
                """);

        ProfileException refusal = assertThrows(ProfileException.class,
                () -> FleetProfile.load(file));

        ProfileProblem problem = problemMentioning(refusal, "overlaps stream \"PLANNING_EVENTS\"");
        assertEquals(file.toString(), problem.file());
        assertEquals(4, problem.line());
        assertTrue(problem.message().contains("(" + FleetProfile.DEFAULTS_NAME + ":" + DefaultsText.lineOf(
                "subjects: [\"planning.>\"]") + ")"), problem.message());
    }
}
