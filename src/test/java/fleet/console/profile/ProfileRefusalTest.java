package fleet.console.profile;

import static fleet.console.profile.Refusals.FILE;
import static fleet.console.profile.Refusals.problemMentioning;
import static fleet.console.profile.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProfileRefusalTest {

    private static void assertAdvises(ProfileProblem problem, String advice) {
        assertTrue(problem.message().contains(advice), "expected advice \"" + advice + "\" in: " + problem.message());
    }

    @Test
    void malformedYamlIsRefusedAtTheLineSnakeYamlReports() {
        ProfileException refusal = refused("""
                namespace: swe-ai-fleet
                councils:
                  model: Qwen: big
                """);

        ProfileProblem problem = refusal.problems().get(0);
        assertEquals(1, refusal.problems().size());
        assertEquals(FILE, problem.file());
        assertEquals(3, problem.line());
        assertAdvises(problem, "not valid YAML (mapping values are not allowed here");
        assertAdvises(problem, "must be put in quotes");
    }

    @Test
    void aSecondDocumentInTheFileIsRefused() {
        ProfileException refusal = refused("""
                namespace: swe-ai-fleet
                ---
                namespace: other
                """);

        assertEquals(2, refusal.problems().get(0).line());
        assertAdvises(refusal.problems().get(0), "not valid YAML");
    }

    @Test
    void aMisspeltFieldIsRefusedWithTheFieldItWasMeantToBe() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    natsConsumer: false
                """);

        ProfileProblem problem = problemMentioning(refusal, "unknown field \"natsConsumer\" in service \"orchestrator\"");
        assertEquals(FILE, problem.file());
        assertEquals(3, problem.line());
        assertEquals(5, problem.column());
        assertAdvises(problem, "did you mean \"natsConsumers\"?");
        assertAdvises(problem, "Allowed fields: name, kind, container, image, tag, replicas, natsConsumers, durables,"
                + " subscriptions, startupLines, port, remove");
    }

    @Test
    void anUnknownFieldWithNoLikelyMeaningIsRefusedWithTheAllowedFields() {
        ProfileException refusal = refused("""
                namespace: swe-ai-fleet
                cluster: wrx80
                """);

        ProfileProblem problem = problemMentioning(refusal, "unknown field \"cluster\" in the profile");
        assertEquals(2, problem.line());
        assertAdvises(problem, "delete it, or use one of the allowed fields.");
        assertAdvises(problem, "Allowed fields: namespace, registry, services, streams, councils");
    }

    @Test
    void replicasWrittenInWordsIsRefusedWithAnExample() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    replicas: "two"
                """);

        ProfileProblem problem = problemMentioning(refusal, "replicas of service \"orchestrator\"");
        assertEquals(3, problem.line());
        assertAdvises(problem, "must be a whole number, not \"two\"");
        assertAdvises(problem, "e.g. replicas: 2");
    }

    @Test
    void aListWhereOneValueBelongsIsRefused() {
        ProfileException refusal = refused("""
                services:
                  - name: context
                    tag:
                      - v2.0.1
                """);

        ProfileProblem problem = problemMentioning(refusal, "tag of service \"context\" must be a single value, not a list");
        assertEquals(4, problem.line());
    }

    @Test
    void serviceWithoutImageIsRefusedWithItsLine() {
        ProfileException refusal = refused("""
                services:
                  - name: planning
                    tag: v2.0.0
                    natsConsumers: true
                """);

        ProfileProblem problem = problemMentioning(refusal, "service \"planning\" has no image");
        assertEquals(FILE, problem.file());
        assertEquals(2, problem.line());
        assertAdvises(problem, "add image: registry.underpassai.com/swe-ai-fleet/planning (the repository, without tag");
    }

    @Test
    void serviceWithoutTagIsRefusedWithItsLine() {
        ProfileException refusal = refused("""
                services:
                  - name: planning
                    image: registry.underpassai.com/swe-ai-fleet/planning
                    natsConsumers: true
                """);

        ProfileProblem problem = problemMentioning(refusal, "service \"planning\" has no tag");
        assertEquals(2, problem.line());
        assertAdvises(problem, "e.g. tag: v1.0.0");
    }

    @Test
    void anImageWithItsTagIsRefusedWithTheTwoFieldsToWrite() {
        ProfileException refusal = refused("""
                services:
                  - name: context
                    image: registry.underpassai.com/swe-ai-fleet/context:v2.0.1
                """);

        ProfileProblem problem = problemMentioning(refusal, "image of service \"context\" includes a tag");
        assertEquals(3, problem.line());
        assertAdvises(problem, "write image: registry.underpassai.com/swe-ai-fleet/context and tag: v2.0.1");
    }

    @Test
    void aNewServiceMustSayWhetherItConsumesFromNats() {
        ProfileException refusal = refused("""
                services:
                  - name: planning
                    image: registry.underpassai.com/swe-ai-fleet/planning
                    tag: v2.0.0
                """);

        ProfileProblem problem = problemMentioning(refusal, "does not say whether it consumes from NATS");
        assertEquals(2, problem.line());
        assertAdvises(problem, "add natsConsumers: true if it binds JetStream durables");
    }

    @Test
    void unknownKindIsRefusedWithTheKindItWasMeantToBe() {
        ProfileException refusal = refused("""
                services:
                  - name: ray-executor
                    kind: deploymnet
                """);

        ProfileProblem problem = problemMentioning(refusal, "kind of service \"ray-executor\" is \"deploymnet\"");
        assertEquals(3, problem.line());
        assertAdvises(problem, "not one of deployment | statefulset: did you mean deployment?");
    }

    @Test
    void kindIsAcceptedInKubernetesCapitalisation() throws ProfileException {
        FleetProfile profile = FleetProfile.parse("""
                services:
                  - name: valkey
                    kind: StatefulSet
                """, FILE);
        assertEquals(WorkloadKind.STATEFULSET, profile.service("valkey").orElseThrow().kind());
    }

    @Test
    void negativeReplicasAreRefused() {
        ProfileException refusal = refused("""
                services:
                  - name: context
                    replicas: -1
                """);

        ProfileProblem problem = problemMentioning(refusal, "replicas of service \"context\" is -1");
        assertEquals(3, problem.line());
        assertAdvises(problem, "use 0 or more (0 keeps the workload scaled down)");
    }

    @Test
    void aPortOutsideTheTcpRangeIsRefused() {
        ProfileException refusal = refused("""
                services:
                  - name: context
                    port: 70000
                """);

        assertAdvises(problemMentioning(refusal, "port of service \"context\" is 70000"), "between 1 and 65535");
    }

    @Test
    void streamWithoutSubjectsIsRefusedWithItsLine() {
        ProfileException refusal = refused("""
                streams:
                  - name: STORY_EVENTS
                    maxAge: 1h
                """);

        ProfileProblem problem = problemMentioning(refusal, "stream \"STORY_EVENTS\" has no subjects");
        assertEquals(FILE, problem.file());
        assertEquals(2, problem.line());
        assertAdvises(problem, "add the subjects it captures, e.g. subjects: [\"planning.>\"]");
    }

    @Test
    void anEmptySubjectListIsRefused() {
        ProfileException refusal = refused("""
                streams:
                  - name: CONTEXT
                    subjects: []
                """);

        ProfileProblem problem = problemMentioning(refusal, "subjects of stream \"CONTEXT\" is empty");
        assertEquals(3, problem.line());
    }

    @Test
    void aSubjectNatsWouldRejectIsRefused() {
        ProfileException refusal = refused("""
                streams:
                  - name: CONTEXT
                    subjects:
                      - context..>
                """);

        ProfileProblem problem = problemMentioning(refusal, "subject \"context..>\" of stream \"CONTEXT\" has an empty token");
        assertEquals(4, problem.line());
        assertAdvises(problem, "separate tokens with single dots");
    }

    @ParameterizedTest(name = "maxAge: {0}")
    @CsvSource({"7 days", "60", "1w", "-1d"})
    void aMaxAgeThatIsNotADurationIsRefused(String written) {
        ProfileException refusal = refused("""
                streams:
                  - name: CONTEXT
                    maxAge: %s
                """.formatted(written));

        ProfileProblem problem = problemMentioning(refusal, "maxAge of stream \"CONTEXT\" is \"" + written + "\", not a duration");
        assertEquals(3, problem.line());
        assertAdvises(problem, "write a number and a unit (s, m, h or d), e.g. maxAge: 7d");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "retention, forever, limits | interest | workqueue",
            "storage, disk, file | memory",
            "discard, oldest, old | new"})
    void anUnknownStreamChoiceIsRefusedWithTheChoices(String field, String written, String choices) {
        ProfileException refusal = refused("""
                streams:
                  - name: AGENT_RESPONSES
                    %s: %s
                """.formatted(field, written));

        ProfileProblem problem = problemMentioning(refusal, field + " of stream \"AGENT_RESPONSES\" is \"" + written + "\"");
        assertEquals(3, problem.line());
        assertAdvises(problem, "not one of " + choices);
    }

    @Test
    void streamReplicasOutsideWhatNatsKeepsAreRefused() {
        ProfileException refusal = refused("""
                streams:
                  - name: CONTEXT
                    replicas: 0
                """);

        assertAdvises(problemMentioning(refusal, "replicas of stream \"CONTEXT\" is 0"), "a stream keeps 1 to 5 copies");
    }

    @Test
    void duplicateServiceNamesAreRefusedNamingBothLines() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    tag: v3.0.1
                  - name: orchestrator
                    replicas: 3
                """);

        ProfileProblem problem = problemMentioning(refusal, "service \"orchestrator\" is declared twice in this file");
        assertEquals(4, problem.line());
        assertAdvises(problem, "(first at line 2): merge the two entries into one");
    }

    @Test
    void duplicateStreamNamesAreRefusedNamingBothLines() {
        ProfileException refusal = refused("""
                streams:
                  - name: CONTEXT
                    maxAge: 1d
                  - name: AUDIT
                    subjects: ["audit.>"]
                  - name: CONTEXT
                    maxMsgs: 10
                """);

        ProfileProblem problem = problemMentioning(refusal, "stream \"CONTEXT\" is declared twice in this file");
        assertEquals(6, problem.line());
        assertAdvises(problem, "(first at line 2)");
    }

    @Test
    void duplicateRolesAreRefusedNamingBothLines() {
        ProfileException refusal = refused("""
                councils:
                  roles:
                    - DEV
                    - QA
                    - DEV
                """);

        ProfileProblem problem = problemMentioning(refusal, "role \"DEV\" is listed twice in councils");
        assertEquals(5, problem.line());
        assertAdvises(problem, "(first at line 3): list each role once");
    }

    @Test
    void aRoleRepeatedOnTheSameLineIsPointedAtByColumn() {
        ProfileException refusal = refused("""
                councils:
                  roles: [DEV, QA, DEV]
                """);

        ProfileProblem problem = problemMentioning(refusal, "role \"DEV\" is listed twice in councils");
        assertEquals(2, problem.line());
        assertEquals(20, problem.column());
        assertAdvises(problem, "(first at column 11 of the same line)");
    }

    @Test
    void aFieldWrittenTwiceInOneEntryIsRefused() {
        ProfileException refusal = refused("""
                services:
                  - name: context
                    tag: v2.0.1
                    tag: v2.0.2
                """);

        ProfileProblem problem = problemMentioning(refusal, "tag appears twice in service \"context\"");
        assertEquals(4, problem.line());
        assertAdvises(problem, "(first at line 3): keep only one of them");
    }

    @Test
    void anEntryWithoutNameIsRefusedBecauseEntriesAreMatchedByName() {
        ProfileException refusal = refused("""
                services:
                  - tag: v3.0.1
                """);

        ProfileProblem problem = problemMentioning(refusal, "a service entry has no name");
        assertEquals(2, problem.line());
        assertAdvises(problem, "add name: followed by the Deployment or StatefulSet name");
    }

    @Test
    void overlappingSubjectsAreRefusedNamingBothStreams() {
        ProfileException refusal = refused("""
                streams:
                  - name: STORY_EVENTS
                    subjects: ["planning.story.>"]
                """);

        ProfileProblem problem = problemMentioning(refusal, "stream \"STORY_EVENTS\" overlaps stream \"PLANNING_EVENTS\"");
        assertEquals(FILE, problem.file());
        assertEquals(3, problem.line());
        assertAdvises(problem, "its subject \"planning.story.>\" overlaps \"planning.>\"");
        assertAdvises(problem, "which NATS refuses: narrow one of the subjects, or drop a stream with"
                + " {name: PLANNING_EVENTS, remove: true}");
    }

    @Test
    void overlapWithinTheUsersOwnStreamsPointsAtTheEarlierLine() {
        ProfileException refusal = refused("""
                streams:
                  - name: AUDIT
                    subjects: ["audit.*.created"]
                  - name: AUDIT_STORIES
                    subjects: ["audit.story.*"]
                """);

        ProfileProblem problem = problemMentioning(refusal, "stream \"AUDIT_STORIES\" overlaps stream \"AUDIT\"");
        assertEquals(5, problem.line());
        assertAdvises(problem, "\"audit.story.*\" overlaps \"audit.*.created\" (line 3)");
    }

    @Test
    void aRegistryHostWithSchemeIsRefused() {
        ProfileException refusal = refused("""
                registry:
                  host: https://registry.example.com
                """);

        ProfileProblem problem = problemMentioning(refusal, "host of registry is \"https://registry.example.com\"");
        assertEquals(2, problem.line());
        assertAdvises(problem, "write only host[:port], without scheme or path");
    }

    @Test
    void anInvalidNamespaceIsRefused() {
        ProfileException refusal = refused("namespace: SWE_AI_FLEET\n");

        ProfileProblem problem = problemMentioning(refusal, "namespace \"SWE_AI_FLEET\" is not a valid Kubernetes namespace");
        assertEquals(1, problem.line());
        assertAdvises(problem, "use lower-case letters, digits and '-'");
    }

    @Test
    void aFileThatIsNotAMappingIsRefused() {
        ProfileException refusal = refused("- orchestrator\n- context\n");

        ProfileProblem problem = refusal.problems().get(0);
        assertEquals(1, problem.line());
        assertAdvises(problem, "this file holds a list");
    }

    @Test
    void missingUserFileIsRefusedWithItsPath(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere").resolve("profile.yaml");

        ProfileException refusal = assertThrows(ProfileException.class, () -> FleetProfile.load(missing));

        ProfileProblem problem = refusal.problems().get(0);
        assertEquals(missing.toString(), problem.file());
        assertEquals(0, problem.line());
        assertAdvises(problem, "profile file not found");
        assertAdvises(problem, "start without --profile to use the built-in defaults");
        assertTrue(refusal.getMessage().startsWith(missing + ": profile file not found"), refusal.getMessage());
    }

    @Test
    void aDirectoryGivenAsProfileIsRefused(@TempDir Path dir) {
        ProfileException refusal = assertThrows(ProfileException.class, () -> FleetProfile.load(dir));

        assertAdvises(refusal.problems().get(0), "is a directory, not a profile file");
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnceInLineOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("profile.yaml");
        Files.writeString(file, """
                services:
                  - name: orchestrator
                    replicas: -2
                    natsConsumer: true
                streams:
                  - name: CONTEXT
                    maxAge: soon
                """);

        ProfileException refusal = assertThrows(ProfileException.class, () -> FleetProfile.load(file));

        assertEquals(List.of(3, 4, 7), refusal.problems().stream().map(ProfileProblem::line).toList());
        List<String> lines = refusal.getMessage().lines().toList();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith(file + ":3: replicas of service \"orchestrator\" is -2"), lines.get(0));
        assertTrue(lines.get(1).startsWith(file + ":4: unknown field \"natsConsumer\""), lines.get(1));
        assertTrue(lines.get(2).startsWith(file + ":7: maxAge of stream \"CONTEXT\" is \"soon\""), lines.get(2));
    }
}
