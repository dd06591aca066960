package fleet.console.bench;

import java.util.Locale;

/**
 * Benchmark figures as scripts/bench prints them, one line each:
 * {@code <name> <value> <unit> (target <op> <value>)}. Printed, never asserted: a busy laptop must not
 * fail a build, and the figures are read next to the machine's load.
 */
final class Figures {

    private Figures() {
    }

    static void print(String name, double value, String unit, String op, double target) {
        System.out.println(name + " " + format(value) + " " + unit + " (target " + op + " " + format(target) + ")");
        System.out.flush();
    }

    /** A figure that gives context (how many, how fast the source was) and has no target. */
    static void note(String name, double value, String unit) {
        System.out.println("# " + name + " " + format(value) + " " + unit);
        System.out.flush();
    }

    static void say(String text) {
        System.err.println(text);
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /**
     * Heap in use after full collections, in MB: collected until it stops shrinking (at most five
     * times). A request for a collection made while native code holds the heap (the software renderer
     * drawing a frame) is skipped by the JVM, so each is repeated until a full collection was counted.
     */
    static double heapAfterGcMb() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            fullCollection();
            long now = rt.totalMemory() - rt.freeMemory();
            if (now >= used - (1 << 20)) {
                used = Math.min(used, now);
                break;
            }
            used = now;
        }
        return used / (1024.0 * 1024.0);
    }

    private static void fullCollection() {
        long before = fullCollections();
        for (int attempt = 0; attempt < 100; attempt++) {
            System.gc();
            if (fullCollections() > before) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        say("(no full collection ran: the heap figure includes garbage)");
    }

    private static long fullCollections() {
        long n = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName();
            if (name.contains("Old") || name.contains("MarkSweep")) {
                n += gc.getCollectionCount();
            }
        }
        return n;
    }

    /** CPU time the calling thread has used so far, in ms (call it on the FX thread for the FX thread's). */
    static double threadCpuMs() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() / 1e6 : Double.NaN;
    }

    /** The CPU time (ms) the FX renderer's threads have used so far (a pulse waits for the renderer). */
    static double rendererCpuMs() {
        return threadsCpuMs("QuantumRenderer").values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The CPU time (ms) this whole process has used so far, every thread, the JVM's own included. */
    static double processCpuMs() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e6;
        }
        return Double.NaN;
    }

    /**
     * The CPU time (ms) each live thread whose name starts with {@code prefix} has used so far, by name:
     * on a loaded machine, what a pipeline's threads cost tells more than the wall time they took.
     */
    static java.util.Map<String, Double> threadsCpuMs(String prefix) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                long ns = threads.getThreadCpuTime(info.getThreadId());
                if (ns > 0) {
                    out.merge(info.getThreadName(), ns / 1e6, Double::sum);
                }
            }
        }
        return out;
    }

    /**
     * The heap (MB) each live thread has allocated so far, by name: what a pipeline's threads make for the
     * collector to copy and free, which on a small machine competes with the UI for the same cores.
     */
    static java.util.Map<String, Double> threadsAllocatedMb() {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        if (java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads) {
            for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null) {
                    long bytes = threads.getThreadAllocatedBytes(info.getThreadId());
                    if (bytes > 0) {
                        out.merge(info.getThreadName(), bytes / 1e6, Double::sum);
                    }
                }
            }
        }
        return out;
    }
}
