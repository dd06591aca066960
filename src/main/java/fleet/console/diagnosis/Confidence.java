package fleet.console.diagnosis;

/**
 * How sure the console is of a cause. A cause read in black and white (the log says "consumer is already
 * bound") is certain; one inferred from circumstances (the pod crashes, and it runs another tag than the
 * profile's) is likely; when two causes compete for one symptom, the weaker one is possible.
 */
public enum Confidence {
    CERTAIN(95),
    LIKELY(70),
    POSSIBLE(40);

    private final int percent;

    Confidence(int percent) {
        this.percent = percent;
    }

    /** A rough figure for the UI's bar: certain 95, likely 70, possible 40. */
    public int percent() {
        return percent;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** One step less sure: a cause that competes with a certain one. */
    public Confidence weaker() {
        return this == CERTAIN ? LIKELY : POSSIBLE;
    }
}
