package fleet.console.ui.logs;

import java.util.Arrays;

/**
 * An ascending run of line numbers (matching lines, lines kept by a filter), added at the tail and
 * evicted at the head, without boxing: a search over a full buffer may keep 100,000 of them.
 */
final class LongDeque {

    private long[] values = new long[16];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        return values[(head + index) & (values.length - 1)];
    }

    long first() {
        return get(0);
    }

    long last() {
        return get(size - 1);
    }

    void addLast(long value) {
        if (size == values.length) {
            long[] grown = new long[values.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = get(i);
            }
            values = grown;
            head = 0;
        }
        values[(head + size) & (values.length - 1)] = value;
        size++;
    }

    long removeFirst() {
        long value = get(0);
        head = (head + 1) & (values.length - 1);
        size--;
        return value;
    }

    void clear() {
        head = 0;
        size = 0;
        if (values.length > 1024) {
            values = new long[16];
        }
    }

    /** Index of the first value not below {@code value}; {@code size()} when there is none. */
    int lowerBound(long value) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid) < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of {@code value}, or -1. */
    int indexOf(long value) {
        int at = lowerBound(value);
        return at < size && get(at) == value ? at : -1;
    }

    @Override
    public String toString() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return Arrays.toString(out);
    }
}
