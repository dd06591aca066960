package fleet.console.ui.common;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.TransformationList;

/**
 * A table's items, as its source list, except that rows replaced where they stand are announced as
 * updated. JavaFX 21's table skin answers any replacement by dropping every cell's index and making each
 * visible row anew (its CSS, its texts), so a list of pods with a status change every few milliseconds
 * spent most of the FX thread restyling rows that had not changed. An update makes the table look at
 * its rows again and redraw the ones whose item changed; the selection stays where it was.
 *
 * <p>Everything else (additions, removals, moves, a new order) passes through unchanged, and the
 * elements are the source's own: {@code get(i)} is the source's {@code get(i)}.
 */
public final class InPlaceUpdates<E> extends TransformationList<E, E> {

    public InPlaceUpdates(ObservableList<? extends E> source) {
        super(source);
    }

    @Override
    protected void sourceChanged(ListChangeListener.Change<? extends E> c) {
        beginChange();
        try {
            while (c.next()) {
                int from = c.getFrom();
                int to = c.getTo();
                if (c.wasPermutated()) {
                    int[] perm = new int[to - from];
                    for (int i = from; i < to; i++) {
                        perm[i - from] = c.getPermutation(i);
                    }
                    nextPermutation(from, to, perm);
                } else if (c.wasUpdated() || (c.wasReplaced() && c.getAddedSize() == c.getRemovedSize())) {
                    for (int i = from; i < to; i++) {
                        nextUpdate(i);
                    }
                } else {
                    if (c.wasRemoved()) {
                        nextRemove(from, c.getRemoved());
                    }
                    if (c.wasAdded()) {
                        nextAdd(from, to);
                    }
                }
            }
        } finally {
            endChange();
        }
    }

    @Override
    public E get(int index) {
        return getSource().get(index);
    }

    @Override
    public int size() {
        return getSource().size();
    }

    @Override
    public int getSourceIndex(int index) {
        return index;
    }

    @Override
    public int getViewIndex(int index) {
        return index;
    }
}
