package fleet.console.ui.rollouts;

import java.util.List;

/**
 * An action waiting for the operator's yes: what it does, what it destroys in numbers, the details to
 * read first (a rollback's diff, steps and the pods it replaces) and the kubectl commands that do the
 * same. Nothing has been changed while one is pending.
 *
 * @param confirmLabel the button that does it: a verb ("Roll back"), never "OK"
 */
public record Confirmation(String title, String consequences, List<String> details, String confirmLabel, String commands) {

    public Confirmation {
        details = List.copyOf(details);
    }
}
