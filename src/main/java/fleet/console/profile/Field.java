package fleet.console.profile;

import org.yaml.snakeyaml.nodes.Node;

/** A field of the profile as written, still a node, with the file it came from. */
record Field(String file, String key, Node keyNode, Node value) {

    Position keyAt() {
        return Position.of(file, keyNode);
    }

    Position valueAt() {
        return Position.of(file, value);
    }

    Position at(Node node) {
        return Position.of(file, node);
    }
}
