package fleet.console.ui.events;

/**
 * Where a click on an event's object leads: the Pods area showing that pod, or the pods of that
 * workload. Implemented by the shell, which knows the areas.
 */
public interface ObjectNavigator {

    /** Shows the object; false when the console has no place for this kind. */
    boolean show(String kind, String name);

    /** Whether {@link #show} would lead anywhere for this kind. */
    boolean canShow(String kind);
}
