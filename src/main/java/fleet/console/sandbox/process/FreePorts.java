package fleet.console.sandbox.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** Loopback ports for the sandbox's child processes. */
public final class FreePorts {

    /**
     * 127.0.0.1 spelled out: {@link InetAddress#getLoopbackAddress()} may answer ::1 when the JVM
     * prefers IPv6, and the children are told to bind the IPv4 loopback.
     */
    public static final InetAddress LOOPBACK = ipv4Loopback();

    private FreePorts() {
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago. It is released before the caller's child
     * binds it, so another program can take it in between; callers treat "address already in
     * use" from the child as a reason to ask again.
     */
    public static int loopback() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** A free loopback port other than the ones given, for a child that needs several. */
    public static int loopbackExcept(int... taken) {
        while (true) {
            int candidate = loopback();
            boolean clash = false;
            for (int port : taken) {
                clash |= port == candidate;
            }
            if (!clash) {
                return candidate;
            }
        }
    }

    private static InetAddress ipv4Loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
