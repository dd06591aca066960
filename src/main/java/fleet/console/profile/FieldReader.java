package fleet.console.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns field nodes into typed values. Every refusal names the field, its owner and an example
 * of a correct line; a refused value reads as null so that checking can go on and report the
 * other problems of the same file in one go.
 */
final class FieldReader {

    /** A text value together with where it was written, for problems found later. */
    record Located(String text, Position at) {
    }

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?[0-9][0-9_]*");

    private final ProblemList problems;

    FieldReader(ProblemList problems) {
        this.problems = problems;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    static String shapeOf(Node node) {
        if (node instanceof SequenceNode) {
            return "list";
        }
        return node instanceof MappingNode ? "mapping" : "single value";
    }

    /** Any scalar, read as the text written, so that {@code tag: 2.10} stays "2.10". */
    String text(Field field, String owner, String example) {
        Node value = field.value();
        if (isNull(value)) {
            problems.add(field.valueAt(), field.key() + " of " + owner + " has no value: write one, e.g. "
                    + example + ", or delete the line");
            return null;
        }
        if (!(value instanceof ScalarNode scalar)) {
            problems.add(field.valueAt(), field.key() + " of " + owner + " must be a single value, not a "
                    + shapeOf(value) + ": write it like " + example);
            return null;
        }
        return scalar.getValue();
    }

    /** A whole number within a range; {@code advice} says what to write instead of a value outside it. */
    Long whole(Field field, String owner, String example, long min, long max, String advice) {
        String text = text(field, owner, example);
        if (text == null) {
            return null;
        }
        if (!WHOLE_NUMBER.matcher(text).matches()) {
            problems.add(field.valueAt(), field.key() + " of " + owner + " must be a whole number, not \"" + text
                    + "\": write digits only, e.g. " + example);
            return null;
        }
        String digits = text.replace("_", "");
        long value;
        try {
            value = Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
        } catch (NumberFormatException tooLarge) {
            problems.add(field.valueAt(), field.key() + " of " + owner + " is too large (" + text + "): " + advice);
            return null;
        }
        if (value < min || value > max) {
            problems.add(field.valueAt(), field.key() + " of " + owner + " is " + value + ": " + advice);
            return null;
        }
        return value;
    }

    Boolean flag(Field field, String owner) {
        String example = field.key() + ": true";
        String text = text(field, owner, example);
        if (text == null) {
            return null;
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on":
                return true;
            case "false", "no", "off":
                return false;
            default:
                problems.add(field.valueAt(), field.key() + " of " + owner + " must be true or false, not \""
                        + text + "\"");
                return null;
        }
    }

    /** A list of texts; an empty list is allowed here, callers that need items say so. */
    List<Located> texts(Field field, String owner, String example) {
        Node value = field.value();
        if (!(value instanceof SequenceNode sequence)) {
            String written = value instanceof ScalarNode scalar && !isNull(value) ? " \"" + scalar.getValue() + "\"" : "";
            problems.add(field.valueAt(), field.key() + " of " + owner + " must be a list, not a " + shapeOf(value)
                    + written + ": write it like " + example);
            return null;
        }
        List<Located> items = new ArrayList<>();
        boolean refused = false;
        for (Node item : sequence.getValue()) {
            if (item instanceof ScalarNode scalar && !isNull(item)) {
                items.add(new Located(scalar.getValue(), field.at(item)));
            } else {
                problems.add(field.at(item), "each item of " + field.key() + " of " + owner
                        + " must be plain text, not a " + (isNull(item) ? "blank" : shapeOf(item))
                        + ": write it like " + example);
                refused = true;
            }
        }
        return refused ? null : items;
    }

    <E extends Enum<E>> E choice(Field field, String owner, Class<E> type) {
        E[] values = type.getEnumConstants();
        List<String> spellings = Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.toList());
        String text = text(field, owner, field.key() + ": " + spellings.get(0));
        if (text == null) {
            return null;
        }
        for (E value : values) {
            if (value.name().equalsIgnoreCase(text)) {
                return value;
            }
        }
        Optional<String> meant = ClosestName.to(text, spellings);
        problems.add(field.valueAt(), field.key() + " of " + owner + " is \"" + text + "\", which is not one of "
                + String.join(" | ", spellings) + meant.map(m -> ": did you mean " + m + "?").orElse(""));
        return null;
    }
}
