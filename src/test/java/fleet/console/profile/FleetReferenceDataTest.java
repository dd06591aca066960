package fleet.console.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks the defaults against the real fleet's files, read as test data from the shared
 * workspace next to the project. A user's clone has no such folder; these tests then skip.
 */
class FleetReferenceDataTest {

    private static final Path SHARED = Path.of("..", "shared");
    private static final Path INIT_STREAMS_JOB = SHARED.resolve("fleet/manifests/02b-nats-init-streams.yaml");
    private static final Path NATS_BOX_JOB = SHARED.resolve("fleet/manifests/15-nats-streams-init.yaml");
    private static final Path RUNBOOK = SHARED.resolve("seed/000_1eb7dab79bc226c8.txt");
    private static final String ABSENT = "../shared is absent: the fleet's reference files exist only in the"
            + " console's development workspace, not in a clone";

    private static Map<String, List<String>> ourStreams() {
        Map<String, List<String>> streams = new LinkedHashMap<>();
        FleetProfile.defaults().streams().forEach(stream -> streams.put(stream.name(), stream.subjects()));
        return streams;
    }

    @Test
    void defaultsDeclareTheSameStreamsAsTheFleetsInitStreamsJob() throws IOException {
        assumeTrue(Files.exists(INIT_STREAMS_JOB), ABSENT);

        Map<String, List<String>> declared = DeclaredStreams.in(Files.readString(INIT_STREAMS_JOB));

        assumeFalse(declared.isEmpty(), INIT_STREAMS_JOB + " declares no stream inline (its job runs a script"
                + " baked into its image), so there is nothing in it to compare");
        assertEquals(ourStreams(), declared);
    }

    @Test
    void defaultsDeclareTheFiveStreamsTheRunbookSaysItsInitJobCreates() throws IOException {
        assumeTrue(Files.exists(RUNBOOK), ABSENT);

        Matcher created = Pattern.compile("Created: 5 \\(([^)]*)\\)").matcher(Files.readString(RUNBOOK));

        assumeTrue(created.find(), RUNBOOK + " no longer quotes the init job's expected output");
        List<String> names = List.of(created.group(1).split(",\\s*"));
        assertEquals(List.copyOf(ourStreams().keySet()), names);
    }

    @Test
    void theNatsBoxJobDisagreesOnlyByAgentCommandsWhereWeHaveAgentRequests() throws IOException {
        assumeTrue(Files.exists(NATS_BOX_JOB), ABSENT);

        Map<String, List<String>> declared = DeclaredStreams.in(Files.readString(NATS_BOX_JOB));
        Map<String, List<String>> ours = ourStreams();

        Set<String> shared = declared.keySet().stream().filter(ours::containsKey).collect(Collectors.toSet());
        for (String name : shared) {
            assertEquals(ours.get(name), declared.get(name), name);
        }
        assertEquals(Set.of("AGENT_COMMANDS"), difference(declared.keySet(), ours.keySet()));
        assertEquals(Set.of("AGENT_REQUESTS"), difference(ours.keySet(), declared.keySet()));
    }

    @Test
    void streamsDeclaredInlineAreFoundInScriptsAndInCommands() {
        String manifests = """
                apiVersion: batch/v1
                kind: Job
                spec:
                  template:
                    spec:
                      containers:
                        - name: by-cli
                          command: ["/bin/sh", "-c"]
                          args:
                            - |
                              nats stream add ALPHA --subjects "alpha.>" --storage file
                              nats stream add BETA \\
                                --subjects beta.one,beta.two
                ---
                apiVersion: batch/v1
                kind: Job
                spec:
                  template:
                    spec:
                      containers:
                        - name: by-script
                          command:
                            - python
                            - -c
                            - |
                              STREAMS = [{"name": "GAMMA", "subjects": ["gamma.>"]}]
                              cfg = StreamConfig(name="DELTA", subjects=["delta.*", "delta.x.>"])
                """;

        assertEquals(Map.of(
                        "ALPHA", List.of("alpha.>"),
                        "BETA", List.of("beta.one", "beta.two"),
                        "GAMMA", List.of("gamma.>"),
                        "DELTA", List.of("delta.*", "delta.x.>")),
                DeclaredStreams.in(manifests));
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        return a.stream().filter(name -> !b.contains(name)).collect(Collectors.toSet());
    }
}
