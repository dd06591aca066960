package fleet.console.profile;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Where a piece of profile text came from, 1-based. */
record Position(String file, int line, int column) {

    static Position of(String file, Node node) {
        return of(file, node.getStartMark());
    }

    static Position of(String file, Mark mark) {
        return mark == null ? new Position(file, 0, 0) : new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** How a problem reported at {@code from} points here: as briefly as still unambiguous. */
    String describeFrom(Position from) {
        if (!file.equals(from.file)) {
            return file + ":" + line;
        }
        return line == from.line ? "column " + column + " of the same line" : "line " + line;
    }
}
