package fleet.console.sandbox;

import fleet.console.profile.FleetProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting and stopping the sandbox: it serves at once and leaves nothing behind. */
class SandboxLifecycleTest {

    @Test
    void stopLeavesNoProcessesNoTemporaryFilesAndNoListener() throws Exception {
        List<Path> before = scratch();
        long started = System.nanoTime();
        Sandbox sandbox = Sandbox.start(FleetProfile.defaults(), SandboxOptions.defaults());
        System.out.printf("sandbox started in %d ms (this JVM's first start may include class loading)%n",
                (System.nanoTime() - started) / 1_000_000);
        URI api = URI.create(sandbox.apiUrl());
        List<ProcessHandle> children = ProcessHandle.current().children().toList();
        boolean realNats = sandbox.natsUrl().isPresent();
        assertTrue(sandbox.client().namespaces().withName("swe-ai-fleet").get() != null);
        if (realNats) {
            assertTrue(children.stream().anyMatch(p -> p.info().command().orElse("").endsWith("nats-server")), "nats-server runs as a child");
        }

        sandbox.close();

        for (ProcessHandle child : children) {
            assertTrue(child.onExit().isDone() || !child.isAlive(), "child process " + child.info().command().orElse("?") + " is gone");
        }
        assertEquals(before, scratch(), "no temporary directories are left");
        assertThrows(ConnectException.class, () -> new Socket(api.getHost(), api.getPort()).close(), "the API port is closed");
    }

    private static List<Path> scratch() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("fleet-")).sorted().toList();
        }
    }
}
