package fleet.console.sandbox.process;

import java.nio.charset.StandardCharsets;

/**
 * The last bytes a child wrote. Servers log for as long as they run, so only the tail is kept:
 * it is what explains a failed start.
 */
final class OutputTail {

    private final byte[] ring;
    private long written;

    OutputTail(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.ring = new byte[capacity];
    }

    synchronized void append(byte[] bytes, int offset, int length) {
        int start = offset;
        int count = length;
        if (count > ring.length) {
            start += count - ring.length;
            written += count - ring.length;
            count = ring.length;
        }
        for (int i = 0; i < count; i++) {
            ring[(int) ((written + i) % ring.length)] = bytes[start + i];
        }
        written += count;
    }

    /** The kept bytes as UTF-8, prefixed with a marker when older output was dropped. */
    synchronized String text() {
        int kept = (int) Math.min(written, ring.length);
        byte[] copy = new byte[kept];
        long first = written - kept;
        for (int i = 0; i < kept; i++) {
            copy[i] = ring[(int) ((first + i) % ring.length)];
        }
        String text = new String(copy, StandardCharsets.UTF_8);
        return first > 0 ? "[... " + first + " earlier bytes dropped]\n" + text : text;
    }
}
