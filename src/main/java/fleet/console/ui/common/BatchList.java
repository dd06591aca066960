package fleet.console.ui.common;

import javafx.collections.ModifiableObservableListBase;

import java.util.ArrayList;
import java.util.Map;
import java.util.SortedMap;

/**
 * An observable list that can replace many rows at their places in one change (the pods table's rows).
 * A batch of pod updates then costs the filtered and sorted list above it, and the table, one notification
 * instead of one per pod.
 */
public final class BatchList<E> extends ModifiableObservableListBase<E> {

    private final ArrayList<E> items = new ArrayList<>();

    /** Replaces the rows at these indexes (ascending) with these rows, as one change of set sub-changes. */
    public void replace(SortedMap<Integer, E> byIndex) {
        if (byIndex.isEmpty()) {
            return;
        }
        beginChange();
        try {
            for (Map.Entry<Integer, E> e : byIndex.entrySet()) {
                int at = e.getKey();
                E old = items.set(at, e.getValue());
                nextSet(at, old);
            }
        } finally {
            endChange();
        }
    }

    /** Removes every row that matches, in one pass and one change. True when any was removed. */
    public boolean removeWhere(java.util.function.Predicate<E> gone) {
        ArrayList<E> kept = new ArrayList<>(items.size());
        int removed = 0;
        beginChange();
        try {
            for (int i = 0; i < items.size(); i++) {
                E row = items.get(i);
                if (gone.test(row)) {
                    // Said where it stands once the rows before it that went are gone.
                    nextRemove(i - removed, row);
                    removed++;
                } else {
                    kept.add(row);
                }
            }
            if (removed > 0) {
                items.clear();
                items.addAll(kept);
                modCount++;
            }
        } finally {
            endChange();
        }
        return removed > 0;
    }

    @Override
    public E get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    protected void doAdd(int index, E element) {
        items.add(index, element);
    }

    @Override
    protected E doSet(int index, E element) {
        return items.set(index, element);
    }

    @Override
    protected E doRemove(int index) {
        return items.remove(index);
    }
}
