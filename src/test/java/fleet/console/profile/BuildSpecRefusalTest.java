package fleet.console.profile;

import static fleet.console.profile.Refusals.FILE;
import static fleet.console.profile.Refusals.problemMentioning;
import static fleet.console.profile.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every refusal of a build spec names the file, the line and what to write instead. */
class BuildSpecRefusalTest {

    private static void assertAdvises(ProfileProblem problem, String advice) {
        assertTrue(problem.message().contains(advice), "expected advice \"" + advice + "\" in: " + problem.message());
    }

    private static final String NEW_SERVICE = """
            services:
              - name: planning
                image: registry.underpassai.com/swe-ai-fleet/planning
                tag: v2.0.0
                natsConsumers: false
            """;

    @Test
    void aMisspeltBuildFieldIsRefusedWithTheFieldItWasMeantToBe() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    build:
                      workingDir: /app
                """);

        ProfileProblem problem = problemMentioning(refusal, "unknown field \"workingDir\" in build of service \"orchestrator\"");
        assertEquals(FILE, problem.file());
        assertEquals(4, problem.line());
        assertAdvises(problem, "did you mean \"workdir\"?");
    }

    @Test
    void aNewServicesBuildWithoutBaseSaysTheBaseCarriesWhatRunWouldHaveDone() {
        ProfileException refusal = refused(NEW_SERVICE + """
                    build:
                      layers:
                        - {name: code, from: src, to: /app/}
                """);

        ProfileProblem problem = problemMentioning(refusal, "build of service \"planning\" has no base");
        assertEquals(6, problem.line());
        assertAdvises(problem, "Jib cannot run RUN steps");
    }

    @Test
    void aBaseWithoutTagIsRefusedBecauseLatestMoves() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    build:
                      base: python
                """);

        ProfileProblem problem = problemMentioning(refusal, "base of build of service \"orchestrator\" has no tag");
        assertEquals(4, problem.line());
        assertAdvises(problem, "python:v1.0.0");
    }

    @Test
    void aBaseThatIsNotAReferenceIsRefused() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    build:
                      base: "https://registry.example.com/Base:1"
                """);

        assertAdvises(problemMentioning(refusal, "not an image reference"), "host/path:tag");
    }

    @Test
    void aLayerWithoutSourceOrDestinationIsRefusedAtTheLayer() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    build:
                      layers:
                        - name: extra
                """);

        assertEquals(5, problemMentioning(refusal, "layer \"extra\" of service \"orchestrator\" has no from").line());
        assertEquals(5, problemMentioning(refusal, "layer \"extra\" of service \"orchestrator\" has no to").line());
    }

    @Test
    void aSourceOutsideTheSourceRootIsRefused() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    build:
                      layers:
                        - name: service
                          from: ../secrets
                """);

        ProfileProblem problem = problemMentioning(refusal, "from \"../secrets\" of layer \"service\"");
        assertEquals(6, problem.line());
        assertAdvises(problem, "must be a path inside the source root");
    }

    @Test
    void aRelativeDestinationIsRefused() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    build:
                      layers:
                        - name: service
                          to: app/
                """);

        assertAdvises(problemMentioning(refusal, "to of layer \"service\" of service \"orchestrator\" is \"app/\""),
                "absolute path");
    }

    @Test
    void severalSourcesNeedAFolderDestination() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    build:
                      layers:
                        - name: service
                          from: [a.py, b.py]
                          to: /app/x
                """);

        assertAdvises(problemMentioning(refusal, "must end with '/'"), "write to: /app/x/");
    }

    @Test
    void removingALayerThatIsNotThereNamesTheClosestOne() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    build:
                      layers:
                        - name: servce
                          remove: true
                """);

        ProfileProblem problem = problemMentioning(refusal, "there is no layer \"servce\"");
        assertEquals(6, problem.line());
        assertAdvises(problem, "did you mean \"service\"?");
    }

    @Test
    void portsUserPlatformAndEnvNamesAreChecked() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    build:
                      ports: ["70000", "80/sctp"]
                      user: "app user"
                      platform: linux/arm64/v8
                      env: {"1BAD": x}
                """);

        assertEquals(4, problemMentioning(refusal, "port \"70000\"").line());
        assertEquals(4, problemMentioning(refusal, "port \"80/sctp\"").line());
        assertAdvises(problemMentioning(refusal, "user of build of service \"orchestrator\""), "user: \"1000\"");
        assertAdvises(problemMentioning(refusal, "platform of build"), "os/architecture");
        assertAdvises(problemMentioning(refusal, "environment variable \"1BAD\""), "not starting with a digit");
    }

    @Test
    void aBuildWithoutLayersIsRefusedBecauseItWouldOnlyRetagTheBase() {
        ProfileException refusal = refused(NEW_SERVICE + """
                    build:
                      base: python:3.13-slim
                """);

        assertAdvises(problemMentioning(refusal, "build of service \"planning\" has no layers"), "at least one");
    }

    @Test
    void buildMustBeAMapping() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    build: podman
                """);

        assertEquals(3, problemMentioning(refusal, "build of service \"orchestrator\" must be a set of fields").line());
    }

    @Test
    void envMustBeAMappingAndCmdAList() {
        ProfileException refusal = refused("""
                services:
                  - name: orchestrator
                    build:
                      env: [PYTHONPATH=/app]
                      cmd: python server.py
                """);

        assertAdvises(problemMentioning(refusal, "env of build of service \"orchestrator\" must be a set of name: value"),
                "PYTHONUNBUFFERED");
        assertAdvises(problemMentioning(refusal, "cmd of build of service \"orchestrator\" must be a list"), "cmd: [python");
    }
}
