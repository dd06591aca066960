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

    /** Heap in use after two full collections, in MB. */
    static double heapAfterGcMb() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
    }
}
