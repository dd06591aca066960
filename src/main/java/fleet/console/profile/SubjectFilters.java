package fleet.console.profile;

import java.util.Optional;

/** NATS subject filter rules: tokens split by '.', '*' is one token, '>' one or more at the end. */
public final class SubjectFilters {

    private SubjectFilters() {
    }

    /** Why a filter would be refused by NATS, or empty when it is acceptable. */
    static Optional<String> problemWith(String filter) {
        if (filter.isEmpty()) {
            return Optional.of("is empty");
        }
        if (filter.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of("contains white space");
        }
        String[] tokens = filter.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].isEmpty()) {
                return Optional.of("has an empty token (a leading, trailing or doubled '.')");
            }
            if (tokens[i].contains(">") && (!tokens[i].equals(">") || i != tokens.length - 1)) {
                return Optional.of("uses '>' other than as the whole last token");
            }
        }
        return Optional.empty();
    }

    /** Whether at least one concrete subject matches both filters. */
    public static boolean overlap(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; ; i++) {
            boolean xDone = i == x.length;
            boolean yDone = i == y.length;
            if (xDone || yDone) {
                // A finished filter matches exactly i tokens; the other still demands more.
                return xDone && yDone;
            }
            if (x[i].equals(">") || y[i].equals(">")) {
                return true;
            }
            if (!x[i].equals("*") && !y[i].equals("*") && !x[i].equals(y[i])) {
                return false;
            }
        }
    }
}
