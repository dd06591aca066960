package fleet.console.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Says what the FX thread was doing: once a frame is late (half the threshold), a daemon thread samples its
 * stack, and the render thread's, every 10 ms until the frame comes. After each stall longer than the
 * threshold it prints on stderr (where a benchmark's figures on stdout are not disturbed) how long it was,
 * when it ended, and where the samples since the frame before found the two
 * threads: the FX thread by the console's innermost frame and by the pulse's phase (CSS, layout and whose,
 * syncing to the render graph, waiting for the renderer, a runnable, an animation), the render thread by
 * its innermost frames. A stall spent waiting for a CPU shows as the FX thread idle or waiting with the
 * render thread parked. It also counts the samples that caught the FX thread inside a call to a server
 * (which it must never make; a call that holds up a frame for half the threshold is caught).
 */
final class StallWitness implements AutoCloseable {

    /** The most specific first: a sample is put in the first phase one of its frames ends with. */
    private static final List<String> PHASES = List.of("Scene.doCSSPass", "Scene.doLayoutPass", "synchronizeSceneNodes",
            "waitForRenderingToComplete", "AnimationTimer.handle", "PlatformImpl.lambda$runLater", "Scene$ScenePulseListener.pulse");
    private static final int LISTED = 8;

    private final Thread thread;
    private volatile boolean running = true;
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong inApiCalls = new AtomicLong();

    private StallWitness(FxStallMeter meter, long thresholdMs) {
        thread = new Thread(() -> {
            Thread fx = named(t -> t.getName().equals("JavaFX Application Thread")
                    || t.getName().equals("Event Thread")); // Monocle's name for it
            Thread renderer = named(t -> t.getName().startsWith("QuantumRenderer"));
            long threshold = TimeUnit.MILLISECONDS.toNanos(thresholdMs);
            // Every sample since the last frame: the start of a stall counts as much as its end.
            List<StackTraceElement[]> fxSinceFrame = new ArrayList<>();
            List<StackTraceElement[]> rendererSinceFrame = new ArrayList<>();
            long previous = 0;
            long longest = 0;
            // On Java 17 a sample of another thread's stack is a safepoint: every thread of the console stops
            // until all have reached one, which on a busy 2-core machine takes 10 to 40 ms. Sampled every 10 ms
            // from the start, the witness made stalls of its own; it samples only once a frame is late.
            long late = threshold / 2;
            while (running && fx != null) {
                long since = meter.sinceLastFrameNanos();
                if (since < late && since >= previous) {
                    previous = since;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                    continue;
                }
                boolean sample = since >= late;
                StackTraceElement[] now = sample ? fx.getStackTrace() : new StackTraceElement[0];
                if (sample) {
                    samples.incrementAndGet();
                }
                if (Arrays.stream(now).anyMatch(StallWitness::apiCall)) {
                    if (inApiCalls.getAndIncrement() == 0) {
                        System.err.println("The FX thread calls a server:\n    "
                                + Arrays.stream(now).limit(40).map(String::valueOf).collect(Collectors.joining("\n    ")));
                    }
                }
                if (since < previous) {
                    // A frame came: report the stall it ended, if it was one.
                    if (longest > threshold) {
                        report(longest, fxSinceFrame, rendererSinceFrame);
                    }
                    fxSinceFrame.clear();
                    rendererSinceFrame.clear();
                    longest = 0;
                }
                previous = since;
                longest = Math.max(longest, since);
                if (sample) {
                    fxSinceFrame.add(now);
                    if (renderer != null) {
                        rendererSinceFrame.add(renderer.getStackTrace());
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }, "stall-witness");
        thread.setDaemon(true);
        thread.start();
    }

    private static Thread named(java.util.function.Predicate<Thread> which) {
        return Thread.getAllStackTraces().keySet().stream().filter(which).findFirst().orElse(null);
    }

    private static void report(long nanos, List<StackTraceElement[]> fx, List<StackTraceElement[]> rendering) {
        Map<String, Integer> ours = new TreeMap<>();
        Map<String, Integer> phases = new TreeMap<>();
        for (StackTraceElement[] stack : fx) {
            ours.merge(Arrays.stream(stack).map(String::valueOf).filter(f -> f.contains("fleet.console.")).findFirst()
                    .orElse("(none of ours)"), 1, Integer::sum);
            phases.merge(phase(stack), 1, Integer::sum);
        }
        Map<String, Integer> render = new TreeMap<>();
        for (StackTraceElement[] stack : rendering) {
            render.merge(stack.length == 0 ? "?" : Arrays.stream(stack).limit(3).map(StallWitness::shortName)
                    .collect(Collectors.joining(" < ")), 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder("FX thread without a frame for " + nanos / 1_000_000 + " ms, " + fx.size() + " samples, ended "
                + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0 + " s after the JVM started");
        list(text, "in our code", ours);
        list(text, "by the pulse's phase", phases);
        list(text, "the render thread", render);
        System.err.println(text);
    }

    /** The most frequent first, with their sample counts. */
    private static void list(StringBuilder text, String title, Map<String, Integer> counts) {
        text.append("\n  ").append(title).append(':');
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(LISTED)
                .forEach(e -> text.append("\n    ").append(e.getValue()).append("  ").append(e.getKey()));
    }

    /**
     * The phase of the FX thread's work a sample is in, see {@link #PHASES}; for CSS and layout also whose:
     * the innermost node laying out its children, making its skin or processing its CSS.
     */
    private static String phase(StackTraceElement[] stack) {
        for (String phase : PHASES) {
            for (StackTraceElement f : stack) {
                if ((f.getClassName() + "." + f.getMethodName()).contains(phase)) {
                    if (!phase.startsWith("Scene.do")) {
                        return phase;
                    }
                    return phase + " in " + Arrays.stream(stack).filter(g -> g.getMethodName().equals("layoutChildren")
                            || g.getMethodName().equals("doProcessCSS") || g.getMethodName().equals("createDefaultSkin"))
                            .findFirst().map(StallWitness::shortName).orElse("?");
                }
            }
        }
        return stack.length > 0 && stack[0].getMethodName().equals("wait") ? "idle" : "other";
    }

    private static String shortName(StackTraceElement f) {
        return f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName();
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
