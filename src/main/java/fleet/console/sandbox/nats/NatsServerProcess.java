package fleet.console.sandbox.nats;

import fleet.console.sandbox.process.ChildProcess;
import fleet.console.sandbox.process.ChildProcessException;
import fleet.console.sandbox.process.Executables;
import fleet.console.sandbox.process.FreePorts;
import fleet.console.sandbox.process.Probes;
import fleet.console.sandbox.process.ScratchDir;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sandbox's NATS: a {@code nats-server} child with JetStream, bound to a free port on
 * 127.0.0.1, its store in a temporary directory.
 *
 * <p>{@link #pause()} and {@link #resume()} implement the sandbox's {@code nats-down} fault: the
 * server goes away but its port and store stay, so after resume clients reconnect to the same URL
 * and find the same streams, as they would after a NATS pod restart with a persistent volume.
 */
public final class NatsServerProcess implements AutoCloseable {

    public static final String BINARY_NAME = "nats-server";

    /** Generous for a 2-core CI machine; the server is ready in about 30 ms on a quiet one. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    /** Long enough for JetStream to flush and close its store on SIGTERM. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int PORT_ATTEMPTS = 3;

    private enum State { NEW, RUNNING, PAUSED, STOPPED }

    private final Optional<Path> explicitBinary;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private State state = State.NEW;
    private ScratchDir store;
    private int port;
    private int monitoringPort;
    private ChildProcess process;

    /** A server whose binary is looked up on the PATH when it starts. */
    public NatsServerProcess() {
        this.explicitBinary = Optional.empty();
    }

    /** A server started from the given binary. */
    public NatsServerProcess(Path binary) {
        this.explicitBinary = Optional.of(binary);
    }

    /** The nats-server binary on the PATH (or in Debian's /usr/sbin, where the package puts it). */
    public static Optional<Path> findBinary() {
        return Executables.find(BINARY_NAME);
    }

    /**
     * Starts the server and returns once it accepts client connections and reports healthy.
     *
     * @throws NatsUnavailable when there is no binary to start
     * @throws ChildProcessException when the server exits or is not ready in time; the message
     *     carries the server's own output
     */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("nats-server was already started (state " + state + ")");
        }
        Path binary = binary();
        store = ScratchDir.create("fleet-sandbox-nats-");
        try {
            for (int attempt = 1; ; attempt++) {
                port = FreePorts.loopback();
                monitoringPort = FreePorts.loopbackExcept(port);
                try {
                    launch(binary);
                    break;
                } catch (ChildProcessException e) {
                    if (attempt == PORT_ATTEMPTS || !portWasTaken(e)) {
                        throw e;
                    }
                }
            }
        } catch (RuntimeException e) {
            store.delete();
            state = State.STOPPED;
            throw e;
        }
        state = State.RUNNING;
    }

    /** {@code nats://127.0.0.1:<port>}; stays the same across pause and resume. */
    public synchronized String url() {
        requireStarted();
        return "nats://127.0.0.1:" + port;
    }

    public synchronized int port() {
        requireStarted();
        return port;
    }

    /** The HTTP monitoring port (/healthz, /varz, /jsz). */
    public synchronized int monitoringPort() {
        requireStarted();
        return monitoringPort;
    }

    /** The JetStream store directory; removed by {@link #stop()}. */
    public synchronized Path storeDirectory() {
        requireStarted();
        return store.path();
    }

    /** The operating system's id of the current server process, for diagnostics and tests. */
    public synchronized Optional<Long> pid() {
        return state == State.RUNNING ? Optional.of(process.pid()) : Optional.empty();
    }

    /** True while the server process is up (false when paused, stopped, or after a crash). */
    public synchronized boolean isRunning() {
        return state == State.RUNNING && process.isAlive();
    }

    /**
     * Stops the server gracefully but keeps its store and port for {@link #resume()}. Clients see
     * their connection drop, exactly as when the NATS pod goes away.
     */
    public synchronized void pause() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("nats-server can only be paused while running (state " + state + ")");
        }
        process.stop(STOP_GRACE);
        state = State.PAUSED;
    }

    /**
     * Starts the server again on the same port with the same store, so streams and consumers
     * survive. Also brings back a server that died on its own.
     */
    public synchronized void resume() {
        boolean crashed = state == State.RUNNING && !process.isAlive();
        if (state != State.PAUSED && !crashed) {
            throw new IllegalStateException("nats-server can only be resumed when paused (state " + state + ")");
        }
        launch(binary());
        state = State.RUNNING;
    }

    /** Kills the server, waits for it to exit and removes its store. Safe to call more than once. */
    public synchronized void stop() {
        if (state == State.STOPPED) {
            return;
        }
        try {
            if (process != null) {
                process.stop(STOP_GRACE);
            }
        } finally {
            if (store != null) {
                store.delete();
            }
            state = State.STOPPED;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The tail of the current (or last) server process's output. */
    public synchronized String recentOutput() {
        return process == null ? "" : process.recentOutput();
    }

    private void launch(Path binary) {
        List<String> command = List.of(binary.toString(),
                "-js",
                "-a", "127.0.0.1",
                "-p", Integer.toString(port),
                "-m", Integer.toString(monitoringPort),
                "-sd", store.path().toString(),
                "--name", "sandbox");
        process = ChildProcess.start(BINARY_NAME, command, store.path());
        URI healthz = URI.create("http://127.0.0.1:" + monitoringPort + "/healthz");
        // Healthz turns ok once JetStream is up, but the client listener opens a moment later,
        // so both are required before a client is let loose on the URL.
        process.awaitReady(() -> Probes.answersOk(http, healthz) && Probes.acceptsConnections(port),
                "accepting connections on 127.0.0.1:" + port + " with /healthz ok", START_TIMEOUT);
    }

    private Path binary() {
        if (explicitBinary.isPresent()) {
            Path binary = explicitBinary.get();
            if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
                throw new NatsUnavailable(binary + " is not an executable file");
            }
            return binary;
        }
        return findBinary().orElseThrow(() -> new NatsUnavailable(BINARY_NAME + " was not found on the PATH"));
    }

    private static boolean portWasTaken(ChildProcessException e) {
        return e.output().toLowerCase(Locale.ROOT).contains("address already in use");
    }

    private void requireStarted() {
        if (state == State.NEW) {
            throw new IllegalStateException("nats-server has not been started");
        }
    }
}
