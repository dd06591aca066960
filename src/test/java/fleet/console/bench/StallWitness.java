package fleet.console.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Says what the FX thread was doing: a daemon thread samples its stack every 10 ms. After each stall
 * longer than the threshold it prints on stderr (where a benchmark's figures on stdout are not disturbed)
 * how long it was, where in the console's code the samples found it, and the first sample's stack. It
 * also counts the samples that caught the FX thread inside a call to a server (which it must never make).
 */
final class StallWitness implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicLong samples = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong inApiCalls = new java.util.concurrent.atomic.AtomicLong();

    private StallWitness(FxStallMeter meter, long thresholdMs) {
        thread = new Thread(() -> {
            Thread fx = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("JavaFX Application Thread")
                    || t.getName().equals("Event Thread")) // Monocle's name for it
                    .findFirst().orElse(null);
            long threshold = TimeUnit.MILLISECONDS.toNanos(thresholdMs);
            java.util.Map<String, Integer> seen = new java.util.LinkedHashMap<>();
            String first = null;
            long longest = 0;
            while (running && fx != null) {
                long since = meter.sinceLastFrameNanos();
                StackTraceElement[] now = fx.getStackTrace();
                samples.incrementAndGet();
                if (Arrays.stream(now).anyMatch(StallWitness::apiCall)) {
                    if (inApiCalls.getAndIncrement() == 0) {
                        System.err.println("The FX thread calls a server:\n    "
                                + Arrays.stream(now).limit(40).map(String::valueOf).collect(Collectors.joining("\n    ")));
                    }
                }
                if (since > threshold) {
                    longest = Math.max(longest, since);
                    StackTraceElement[] stack = now;
                    if (first == null) {
                        first = Arrays.stream(stack).limit(25).map(String::valueOf).collect(Collectors.joining("\n    "));
                    }
                    // Where in our code the FX thread is, sample by sample: the innermost frame of ours.
                    String ours = Arrays.stream(stack).map(String::valueOf).filter(f -> f.contains("fleet.console."))
                            .findFirst().orElse(stack.length > 0 ? String.valueOf(stack[0]) : "?");
                    seen.merge(ours, 1, Integer::sum);
                } else if (first != null) {
                    System.err.println("FX thread without a frame for " + longest / 1_000_000 + " ms; samples in our code: " + seen
                            + "\n  first sample:\n    " + first);
                    seen.clear();
                    first = null;
                    longest = 0;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }, "stall-witness");
        thread.setDaemon(true);
        thread.start();
    }

    /** A frame of a client talking to a server: the Kubernetes client, NATS, gRPC, a socket. */
    private static boolean apiCall(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("io.fabric8.kubernetes.client.") || c.startsWith("io.nats.client.") || c.startsWith("io.grpc.")
                || c.startsWith("sun.nio.ch.Socket") || c.startsWith("java.net.Socket") || c.startsWith("jdk.internal.net.http.");
    }

    /** Samples of the FX thread taken (one every 10 ms). */
    long samples() {
        return samples.get();
    }

    /** Samples that found the FX thread inside a client call to a server: should be none. */
    long samplesInApiCalls() {
        return inApiCalls.get();
    }

    static StallWitness start(FxStallMeter meter, long thresholdMs) {
        return new StallWitness(meter, thresholdMs);
    }

    @Override
    public void close() {
        running = false;
    }
}
