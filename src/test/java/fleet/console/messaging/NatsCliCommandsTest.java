package fleet.console.messaging;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The commands an operator pastes into a terminal: the right connection, and quoted so the shell leaves them alone. */
class NatsCliCommandsTest {

    @Test
    void aClusterCommandStartsWithThePortForwardAndTalksToItsLocalEnd() {
        NatsCliCommands c = NatsCliCommands.forTarget(NatsTarget.InCluster.fleet("swe-ai-fleet"));
        assertEquals("kubectl port-forward -n swe-ai-fleet svc/nats 4222:4222 &\n"
                + "nats --server nats://127.0.0.1:4222 stream purge PLANNING_EVENTS --force", c.purge("PLANNING_EVENTS"));
    }

    @Test
    void thePayloadAndWildcardSubjectsAreQuotedForTheShell() {
        NatsCliCommands c = NatsCliCommands.forTarget(new NatsTarget.Url("nats://127.0.0.1:4222"));
        assertEquals("nats --server nats://127.0.0.1:4222 pub planning.story.transitioned '{\"story_id\":\"it'\\''s\"}'",
                c.publish("planning.story.transitioned", "{\"story_id\":\"it's\"}"));
        // '>' unquoted would be a shell redirection, '*' a glob.
        assertEquals("nats --server nats://127.0.0.1:4222 stream view PLANNING_EVENTS 20 --subject 'planning.>'",
                c.view("PLANNING_EVENTS", Optional.of("planning.>"), 20));
    }

    @Test
    void aNatscliContextIsNamedInsteadOfAServer() {
        NatsContext context = new NatsContext("prod", "nats://nats.example:4222", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "");
        assertEquals("nats --context prod stream rm OLD --force", NatsCliCommands.forTarget(new NatsTarget.Context(context)).deleteStream("OLD"));
    }

    @Test
    void recreatingTheDeclaredStreamsRemovesOnlyThoseThatExistThenAddsEachAsDeclared() {
        fleet.console.profile.FleetProfile profile = fleet.console.profile.FleetProfile.defaults();
        NatsCliCommands c = NatsCliCommands.forTarget(NatsTarget.InCluster.fleet("swe-ai-fleet"));
        String[] lines = c.recreate(profile.streams(), java.util.Set.of("PLANNING_EVENTS")).split("\n");

        assertEquals("kubectl port-forward -n swe-ai-fleet svc/nats 4222:4222 &", lines[0], "the port-forward once, first");
        assertEquals("nats --server nats://127.0.0.1:4222 stream rm PLANNING_EVENTS --force", lines[1]);
        assertEquals("nats --server nats://127.0.0.1:4222 stream add PLANNING_EVENTS --subjects 'planning.>' --retention limits "
                + "--storage file --replicas 1 --discard old --max-age 604800s --max-msgs 1000000 --defaults", lines[2]);
        assertEquals(2 + profile.streams().size(), lines.length, "one rm, then one add per declared stream");
        assertEquals(1, java.util.Arrays.stream(lines).filter(l -> l.contains(" stream rm ")).count());
    }
}
