package fleet.console.ui.common;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.ObservableListBase;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A source list's elements that pass a predicate, kept in a comparator's order: what JavaFX's
 * {@code SortedList} over a {@code FilteredList} shows, at a cost that suits a table of 10,000 rows
 * that change hundreds of times a second.
 * <p>
 * {@code SortedList} shifts its whole index mapping, element by element, for every element removed from or
 * added to its source, and a replaced element is both: two passes over 10,000 indexes for each changed
 * pod, a third of the FX thread's time under the pods benchmark's updates. Here an element replaced in the
 * source is found by binary search under the order it was placed by, and either replaced where it stands
 * (a single set, which {@link InPlaceUpdates} turns into an in-place redraw) or moved to where its new
 * self belongs (one array move). Many changes at once (the first list of a namespace, a cleared source)
 * are taken as a new filtered and sorted list, and a new order as a permutation, so a table keeps its
 * selection through a click on a column header.
 * <p>
 * The comparator must be a total order over the elements shown (tie-break on a key), and an element's
 * place must not change while it stays the same object; an element not found where its order says is
 * searched for by identity, so an order that changed behind the list's back costs time, not correctness.
 * Touch on one thread (the FX thread).
 */
public final class FilteredSortedList<E> extends ObservableListBase<E> {

    /** Beyond this many elements changed in one source change (and a quarter of what is shown), the list is made anew. */
    private static final int REBUILD_AT = 256;

    private final ObservableList<? extends E> source;
    private final ArrayList<E> shown = new ArrayList<>();
    private Predicate<? super E> predicate;
    private Comparator<? super E> comparator;

    /** {@code comparator}: the order (a total one); the predicate starts as "all". */
    public FilteredSortedList(ObservableList<? extends E> source, Comparator<? super E> comparator) {
        this.source = Objects.requireNonNull(source);
        this.comparator = Objects.requireNonNull(comparator);
        source.addListener((ListChangeListener<E>) this::sourceChanged);
        rebuild();
    }

    /** Shows only the elements that pass (null: all). The list is filtered anew. */
    public void setPredicate(Predicate<? super E> value) {
        predicate = value;
        rebuild();
    }

    /** Orders the elements by this total order from now on: one permutation of what is shown. */
    public void setComparator(Comparator<? super E> value) {
        comparator = Objects.requireNonNull(value);
        if (shown.size() < 2) {
            return;
        }
        ArrayList<E> reordered = new ArrayList<>(shown);
        reordered.sort(comparator);
        Map<E, Integer> newIndex = new IdentityHashMap<>(reordered.size() * 2);
        for (int i = 0; i < reordered.size(); i++) {
            newIndex.put(reordered.get(i), i);
        }
        int[] permutation = new int[shown.size()];
        boolean moved = false;
        for (int i = 0; i < shown.size(); i++) {
            permutation[i] = newIndex.get(shown.get(i));
            moved |= permutation[i] != i;
        }
        if (!moved) {
            return;
        }
        shown.clear();
        shown.addAll(reordered);
        beginChange();
        try {
            nextPermutation(0, permutation.length, permutation);
        } finally {
            endChange();
        }
    }

    @Override
    public E get(int index) {
        return shown.get(index);
    }

    @Override
    public int size() {
        return shown.size();
    }

    private boolean passes(E e) {
        return predicate == null || predicate.test(e);
    }

    private void sourceChanged(ListChangeListener.Change<? extends E> c) {
        List<E> gone = new ArrayList<>();
        List<E> came = new ArrayList<>();
        List<E> replacedOld = new ArrayList<>();
        List<E> replacedNew = new ArrayList<>();
        while (c.next()) {
            if (c.wasPermutated()) {
                // The source's own order is not this list's.
                continue;
            }
            if (c.wasUpdated()) {
                // The same objects changed inside: their places are looked for by identity and taken again.
                for (int i = c.getFrom(); i < c.getTo(); i++) {
                    replacedOld.add(null);
                    replacedNew.add(c.getList().get(i));
                }
                continue;
            }
            List<? extends E> removed = c.getRemoved();
            List<? extends E> added = c.getAddedSubList();
            int paired = c.wasReplaced() ? Math.min(removed.size(), added.size()) : 0;
            replacedOld.addAll(removed.subList(0, paired));
            replacedNew.addAll(added.subList(0, paired));
            gone.addAll(removed.subList(paired, removed.size()));
            came.addAll(added.subList(paired, added.size()));
        }
        int changed = gone.size() + came.size() + replacedNew.size();
        if (changed > REBUILD_AT && changed > shown.size() / 4) {
            rebuild();
            return;
        }
        beginChange();
        try {
            for (E e : gone) {
                if (passes(e)) {
                    removeShown(e);
                }
            }
            for (int i = 0; i < replacedNew.size(); i++) {
                E old = replacedOld.get(i);
                E now = replacedNew.get(i);
                int at = old == null ? identityIndex(now) : (passes(old) ? placeOf(old) : -1);
                boolean shows = passes(now);
                if (at >= 0 && shows) {
                    move(at, now);
                } else if (at >= 0) {
                    E was = shown.remove(at);
                    nextRemove(at, was);
                } else if (shows) {
                    insert(now);
                }
            }
            for (E e : came) {
                if (passes(e)) {
                    insert(e);
                }
            }
        } finally {
            endChange();
        }
    }

    /** The element at {@code at} is replaced by {@code now}: where it stands if its order allows, else moved. */
    private void move(int at, E now) {
        boolean fitsBefore = at == 0 || comparator.compare(shown.get(at - 1), now) < 0;
        boolean fitsAfter = at == shown.size() - 1 || comparator.compare(now, shown.get(at + 1)) < 0;
        if (fitsBefore && fitsAfter) {
            E was = shown.set(at, now);
            nextSet(at, was);
            return;
        }
        E was = shown.remove(at);
        nextRemove(at, was);
        insert(now);
    }

    private void insert(E e) {
        int at = Collections.binarySearch(shown, e, comparator);
        if (at < 0) {
            at = -at - 1;
        }
        shown.add(at, e);
        nextAdd(at, at + 1);
    }

    private void removeShown(E e) {
        int at = placeOf(e);
        if (at >= 0) {
            shown.remove(at);
            nextRemove(at, e);
        }
    }

    /** Where this very element stands: by its order, else (an order that changed behind the list's back) by identity. */
    private int placeOf(E e) {
        int at = Collections.binarySearch(shown, e, comparator);
        if (at >= 0 && shown.get(at) == e) {
            return at;
        }
        return identityIndex(e);
    }

    private int identityIndex(E e) {
        for (int i = 0; i < shown.size(); i++) {
            if (shown.get(i) == e) {
                return i;
            }
        }
        return -1;
    }

    /** Filters and sorts the whole source again; said as one change (all that was shown replaced by all that is). */
    private void rebuild() {
        ArrayList<E> fresh = new ArrayList<>(source.size());
        for (E e : source) {
            if (passes(e)) {
                fresh.add(e);
            }
        }
        fresh.sort(comparator);
        if (SameElements.in(fresh, shown)) {
            return;
        }
        List<E> was = new ArrayList<>(shown);
        shown.clear();
        shown.addAll(fresh);
        beginChange();
        try {
            if (!was.isEmpty()) {
                nextRemove(0, was);
            }
            if (!fresh.isEmpty()) {
                nextAdd(0, fresh.size());
            }
        } finally {
            endChange();
        }
    }
}
