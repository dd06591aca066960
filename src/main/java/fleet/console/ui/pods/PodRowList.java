package fleet.console.ui.pods;

import fleet.console.cluster.pods.PodRow;
import javafx.collections.ModifiableObservableListBase;

import java.util.ArrayList;
import java.util.Map;
import java.util.SortedMap;

/**
 * The pods table's backing list: an observable list that can replace many rows at their places in one
 * change. A batch of pod updates then costs the filtered and sorted lists above it, and the table, one
 * notification instead of one per pod (each of which re-places the row in a list of 10,000).
 */
final class PodRowList extends ModifiableObservableListBase<PodRow> {

    private final ArrayList<PodRow> items = new ArrayList<>();

    /** Replaces the rows at these indexes (ascending) with these rows, as one change of set sub-changes. */
    void replace(SortedMap<Integer, PodRow> byIndex) {
        if (byIndex.isEmpty()) {
            return;
        }
        beginChange();
        try {
            for (Map.Entry<Integer, PodRow> e : byIndex.entrySet()) {
                int at = e.getKey();
                PodRow old = items.set(at, e.getValue());
                nextSet(at, old);
            }
        } finally {
            endChange();
        }
    }

    /** Removes every row that matches, in one pass and one change. True when any was removed. */
    boolean removeWhere(java.util.function.Predicate<PodRow> gone) {
        ArrayList<PodRow> kept = new ArrayList<>(items.size());
        int removed = 0;
        beginChange();
        try {
            for (int i = 0; i < items.size(); i++) {
                PodRow row = items.get(i);
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
    public PodRow get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    protected void doAdd(int index, PodRow element) {
        items.add(index, element);
    }

    @Override
    protected PodRow doSet(int index, PodRow element) {
        return items.set(index, element);
    }

    @Override
    protected PodRow doRemove(int index) {
        return items.remove(index);
    }
}
