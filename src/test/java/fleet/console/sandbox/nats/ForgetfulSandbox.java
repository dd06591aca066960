package fleet.console.sandbox.nats;

import java.util.concurrent.CountDownLatch;

/**
 * A JVM that starts NATS and never stops it, for {@link NatsServerProcessTest}: whatever ends
 * this JVM must take the server and its store with it.
 */
public final class ForgetfulSandbox {

    private ForgetfulSandbox() {
    }

    public static void main(String[] args) throws InterruptedException {
        NatsServerProcess nats = new NatsServerProcess();
        nats.start();
        System.out.println("pid=" + nats.pid().orElseThrow() + " store=" + nats.storeDirectory());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
