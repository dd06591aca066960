package fleet.console.messaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An operator's natscli contexts are found where natscli keeps them, and their secrets stay hidden. */
class NatsContextsTest {

    @Test
    void contextsAndTheSelectedOneAreReadFromTheNatscliFolder(@TempDir Path config) throws Exception {
        Path dir = Files.createDirectories(config.resolve("nats/context"));
        Files.writeString(dir.resolve("lab.json"), "{\"description\":\"lab\",\"url\":\"nats://10.0.0.5:4222\",\"user\":\"ops\",\"password\":\"s3cret\"}");
        Files.writeString(dir.resolve("prod.json"), "{\"url\":\"tls://nats.prod:4222\",\"token\":\"tok-123\"}");
        Files.writeString(config.resolve("nats/context.txt"), "prod\n");
        NatsContexts contexts = new NatsContexts(config);

        assertEquals(List.of("lab", "prod"), contexts.names());
        assertEquals(Optional.of("prod"), contexts.selected());
        NatsContext lab = contexts.read("lab");
        assertEquals("nats://10.0.0.5:4222", lab.url());
        assertEquals(Optional.of("ops"), lab.user());
        assertFalse(lab.toString().contains("s3cret"), "a password is never shown: " + lab);
        assertFalse(contexts.read("prod").toString().contains("tok-123"));
    }

    @Test
    void contextNamingAMissingCredsFileIsRefusedNamingIt(@TempDir Path config) throws Exception {
        Path dir = Files.createDirectories(config.resolve("nats/context"));
        Files.writeString(dir.resolve("ngs.json"), "{\"url\":\"tls://connect.ngs.global\",\"creds\":\"" + config.resolve("gone.creds") + "\"}");
        NatsProblem p = assertThrows(NatsProblem.class, () -> new NatsContexts(config).read("ngs"));
        assertEquals(NatsProblem.Kind.BAD_CONTEXT, p.kind());
        assertTrue(p.getMessage().contains("creds " + config.resolve("gone.creds")), p.getMessage());
    }

    @Test
    void unknownContextListsTheOnesThereAre(@TempDir Path config) throws Exception {
        Path dir = Files.createDirectories(config.resolve("nats/context"));
        Files.writeString(dir.resolve("lab.json"), "{\"url\":\"nats://x:4222\"}");
        NatsProblem p = assertThrows(NatsProblem.class, () -> new NatsContexts(config).read("labb"));
        assertTrue(p.whatToDo().contains("lab"), p.whatToDo());
    }

    @Test
    void xdgConfigHomeWinsOverTheHomeFolder() {
        assertEquals(List.of(), NatsContexts.forUser(Map.of("XDG_CONFIG_HOME", "/nonexistent/x"), Path.of("/home/op")).names());
    }
}
