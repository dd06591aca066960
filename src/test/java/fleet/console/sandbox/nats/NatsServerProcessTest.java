package fleet.console.sandbox.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fleet.console.sandbox.process.ChildProcessException;
import fleet.console.sandbox.process.Executables;
import fleet.console.sandbox.process.Probes;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

// try-with-resources on jnats connections: their close() declares InterruptedException.
@SuppressWarnings("try")
@Timeout(60)
class NatsServerProcessTest {

    private static final String INSTALL_HINT = "nats-server not on PATH: sudo apt-get install -y nats-server";

    private static NatsServerProcess shared;

    @BeforeAll
    static void startSharedServer() {
        if (NatsServerProcess.findBinary().isPresent()) {
            shared = new NatsServerProcess();
            shared.start();
        }
    }

    @AfterAll
    static void stopSharedServer() {
        if (shared != null) {
            shared.stop();
        }
    }

    @Test
    void startedServerTakesJetStreamClientsOnLoopback() throws Exception {
        assumeNatsServer();
        assertEquals("nats://127.0.0.1:" + shared.port(), shared.url());
        assertTrue(shared.isRunning());

        try (Connection nc = connect(shared.url())) {
            assertEquals("sandbox", nc.getServerInfo().getServerName());
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(stream("AGENT_EVENTS", "agent.events.>"));
            for (int i = 0; i < 3; i++) {
                nc.jetStream().publish("agent.events.started", ("event " + i).getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(3, jsm.getStreamInfo("AGENT_EVENTS").getStreamState().getMsgCount());
        }
    }

    @Test
    void natsDownFaultKeepsPortAndStoreSoStreamsSurviveResume() throws Exception {
        assumeNatsServer();
        try (NatsServerProcess nats = new NatsServerProcess()) {
            nats.start();
            String url = nats.url();
            try (Connection nc = connect(url)) {
                nc.jetStreamManagement().addStream(stream("PLANNING", "planning.>"));
                nc.jetStream().publish("planning.story", "story-1".getBytes(StandardCharsets.UTF_8));
                nc.jetStream().publish("planning.story", "story-2".getBytes(StandardCharsets.UTF_8));
            }

            nats.pause();

            assertFalse(nats.isRunning());
            assertFalse(Probes.acceptsConnections(nats.port()), "nobody listens while NATS is down");
            assertTrue(Files.isDirectory(nats.storeDirectory()), "the store outlives the pause");

            nats.resume();

            assertTrue(nats.isRunning());
            assertEquals(url, nats.url());
            try (Connection nc = connect(url)) {
                assertEquals(2, nc.jetStreamManagement().getStreamInfo("PLANNING").getStreamState().getMsgCount());
            }
        }
    }

    @Test
    void stopKillsTheServerAndRemovesItsStore() {
        assumeNatsServer();
        NatsServerProcess nats = new NatsServerProcess();
        nats.start();
        long pid = nats.pid().orElseThrow();
        Path store = nats.storeDirectory();
        assertTrue(Files.isDirectory(store));

        nats.stop();

        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "nats-server still alive");
        assertFalse(Files.exists(store), "store directory left behind: " + store);
        assertFalse(nats.isRunning());
        nats.stop();
    }

    @Test
    void terminatedJvmTakesTheServerAndItsStoreWithIt() throws Exception {
        assumeNatsServer();
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ForgetfulSandbox.class.getName())
                .redirectErrorStream(true)
                .start();
        try {
            String started = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertTrue(started != null && started.startsWith("pid="), "child JVM said: " + started);
            long pid = Long.parseLong(started.substring(4, started.indexOf(' ')));
            Path store = Path.of(started.substring(started.indexOf("store=") + 6));
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

            jvm.destroy();

            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "child JVM did not exit on SIGTERM");
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "nats-server outlived its JVM");
            assertFalse(Files.exists(store), "store outlived its JVM: " + store);
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void missingBinarySaysNatsIsUnavailableAndHowToInstallIt() {
        NatsServerProcess nats = new NatsServerProcess(Path.of("/nonexistent/bin/nats-server"));

        NatsUnavailable e = assertThrows(NatsUnavailable.class, nats::start);

        assertTrue(e.getMessage().startsWith("NATS is unavailable"), e.getMessage());
        assertTrue(e.getMessage().contains("sudo apt-get install -y nats-server"), e.getMessage());
        assertTrue(e.getMessage().contains("https://github.com/nats-io/nats-server/releases"), e.getMessage());
    }

    @Test
    void failedStartReportsWhatTheServerPrinted(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("nats-server");
        Files.writeString(broken, "#!/bin/sh\necho 'nats-server: configuration error' >&2\nexit 3\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
        NatsServerProcess nats = new NatsServerProcess(broken);

        ChildProcessException e = assertThrows(ChildProcessException.class, nats::start);

        assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("nats-server: configuration error"), e.getMessage());
        assertFalse(nats.isRunning());
    }

    @Test
    void debianPackageIsFoundInSbinEvenWhenItIsNotOnThePath() {
        assumeNatsServer();
        assertTrue(Executables.find(NatsServerProcess.BINARY_NAME, "").isPresent());
    }

    private static void assumeNatsServer() {
        org.junit.jupiter.api.Assumptions.assumeTrue(NatsServerProcess.findBinary().isPresent(), INSTALL_HINT);
    }

    private static Connection connect(String url) throws Exception {
        return Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(5)).build());
    }

    private static StreamConfiguration stream(String name, String subject) {
        return StreamConfiguration.builder().name(name).subjects(subject).storageType(StorageType.File).build();
    }
}
