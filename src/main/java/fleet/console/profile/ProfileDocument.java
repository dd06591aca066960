package fleet.console.profile;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One profile file sorted into the sections the profile knows. Values stay YAML nodes so that
 * checks made after merging with other files still point at the line that provided them.
 * Problems of the file alone (syntax, unknown or repeated fields, entries without a name) are
 * found here; the values themselves are checked once the files are merged.
 */
final class ProfileDocument {

    static final List<String> TOP_FIELDS = List.of("namespace", "registry", "services", "streams", "councils");
    static final List<String> REGISTRY_FIELDS = List.of("host", "path", "insecure");
    static final List<String> COUNCIL_FIELDS = List.of("roles", "agentsPerCouncil", "model");
    static final EntryKind SERVICE = new EntryKind("service", "services", List.of("name", "kind", "container",
            "image", "tag", "replicas", "natsConsumers", "durables", "subscriptions", "startupLines", "port", "remove", "build"),
            "the Deployment or StatefulSet name");
    static final EntryKind STREAM = new EntryKind("stream", "streams", List.of("name", "subjects", "retention",
            "storage", "replicas", "maxAge", "maxMsgs", "maxBytes", "discard", "remove"), "the stream name");
    static final EntryKind LAYER = new EntryKind("layer", "layers", List.of("name", "from", "to", "exclude", "remove"),
            "the layer's name, e.g. src");

    /** What a list of named entries holds, for reading and for messages. */
    record EntryKind(String word, String listField, List<String> fields, String nameHint) {
    }

    /** A mapping section (registry, councils) and where it was written. */
    record Section(Position at, Map<String, Field> fields) {
    }

    /** A named entry of services or streams as one file wrote it. */
    record Entry(String name, Position at, Map<String, Field> fields, boolean remove) {
    }

    final String file;
    final Map<String, Field> top = new LinkedHashMap<>();
    Section registry;
    Section councils;
    final List<Entry> services = new ArrayList<>();
    final List<Entry> streams = new ArrayList<>();

    private ProfileDocument(String file) {
        this.file = file;
    }

    /** Where to point when something the file should say is missing altogether. */
    Position start() {
        return new Position(file, 1, 1);
    }

    /** Reads a file; on malformed YAML the problem is recorded and nothing is returned. */
    static Optional<ProfileDocument> read(String text, String file, ProblemList problems) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            problems.add(malformed(file, e));
            return Optional.empty();
        } catch (YAMLException e) {
            problems.add(new ProfileProblem(file, 0, 0, "cannot be read as YAML (" + e.getMessage()
                    + "): save it as plain UTF-8 text"));
            return Optional.empty();
        }
        ProfileDocument document = new ProfileDocument(file);
        if (root == null) {
            return Optional.of(document);
        }
        if (!(root instanceof MappingNode mapping)) {
            problems.add(Position.of(file, root), "a profile is a set of fields (" + String.join(", ", TOP_FIELDS)
                    + "), but this file holds a " + FieldReader.shapeOf(root) + ": start lines with e.g. namespace: swe-ai-fleet");
            return Optional.empty();
        }
        FieldReader reader = new FieldReader(problems);
        for (Field field : fields(mapping, file, TOP_FIELDS, "the profile", problems).values()) {
            switch (field.key()) {
                case "registry" -> document.registry = section(field, REGISTRY_FIELDS, problems);
                case "councils" -> document.councils = section(field, COUNCIL_FIELDS, problems);
                case "services" -> document.services.addAll(entries(field, SERVICE, reader, problems));
                case "streams" -> document.streams.addAll(entries(field, STREAM, reader, problems));
                default -> document.top.put(field.key(), field);
            }
        }
        return Optional.of(document);
    }

    private static ProfileProblem malformed(String file, MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        Position at = Position.of(file, mark);
        String context = e.getContext() == null ? "" : ", " + e.getContext();
        return new ProfileProblem(file, at.line(), at.column(), "not valid YAML (" + e.getProblem() + context
                + "): check the indentation and quoting at column " + at.column()
                + "; a value containing ': ' or ' #' must be put in quotes");
    }

    static Map<String, Field> fields(MappingNode mapping, String file, List<String> allowed, String owner,
            ProblemList problems) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey)) {
                problems.add(Position.of(file, keyNode), "a field name in " + owner
                        + " is not plain text: write fields as name: value");
                continue;
            }
            String key = scalarKey.getValue();
            if (!allowed.contains(key)) {
                problems.add(Position.of(file, keyNode), "unknown field \"" + key + "\" in " + owner
                        + ClosestName.to(key, allowed).map(meant -> ": did you mean \"" + meant + "\"?")
                                .orElse(": delete it, or use one of the allowed fields.")
                        + " Allowed fields: " + String.join(", ", allowed));
                continue;
            }
            Field earlier = fields.get(key);
            if (earlier != null) {
                Position at = Position.of(file, keyNode);
                problems.add(at, key + " appears twice in " + owner + " (first at " + earlier.keyAt().describeFrom(at)
                        + "): keep only one of them");
                continue;
            }
            fields.put(key, new Field(file, key, keyNode, tuple.getValueNode()));
        }
        return fields;
    }

    private static Section section(Field field, List<String> allowed, ProblemList problems) {
        if (!(field.value() instanceof MappingNode mapping)) {
            problems.add(field.valueAt(), field.key() + " must be a set of fields (" + String.join(", ", allowed)
                    + "), not a " + (FieldReader.isNull(field.value()) ? "blank" : FieldReader.shapeOf(field.value()))
                    + ": write them indented below " + field.key() + ":, or delete the line");
            return null;
        }
        return new Section(field.keyAt(), fields(mapping, field.file(), allowed, field.key(), problems));
    }

    static List<Entry> entries(Field field, EntryKind kind, FieldReader reader, ProblemList problems) {
        if (!(field.value() instanceof SequenceNode sequence)) {
            problems.add(field.valueAt(), kind.listField() + " must be a list of entries, each starting with"
                    + " \"- name:\", not a " + (FieldReader.isNull(field.value()) ? "blank" : FieldReader.shapeOf(field.value()))
                    + "; to change nothing, delete the line");
            return List.of();
        }
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Node item : sequence.getValue()) {
            Position at = field.at(item);
            if (!(item instanceof MappingNode mapping)) {
                problems.add(at, "each entry of " + kind.listField() + " is a set of fields starting with"
                        + " \"- name: ...\", not a " + FieldReader.shapeOf(item));
                continue;
            }
            String name = nameOf(mapping, field.file(), kind, problems);
            String owner = name == null ? "an unnamed " + kind.word() : kind.word() + " \"" + name + "\"";
            Map<String, Field> fields = fields(mapping, field.file(), kind.fields(), owner, problems);
            if (name == null) {
                continue;
            }
            Field removeField = fields.get("remove");
            boolean remove = removeField != null && Boolean.TRUE.equals(reader.flag(removeField, owner));
            if (remove && fields.size() > 2) {
                List<String> ignored = new ArrayList<>(fields.keySet());
                ignored.removeAll(List.of("name", "remove"));
                problems.add(removeField.keyAt(), "remove: true drops " + owner + ", so its other fields ("
                        + String.join(", ", ignored) + ") would be ignored: delete them, or delete remove: true"
                        + " to change the " + kind.word() + " instead");
            }
            Entry earlier = byName.get(name);
            if (earlier != null) {
                Position repeated = fields.get("name").valueAt();
                problems.add(repeated, owner + " is declared twice in this file (first at "
                        + earlier.at().describeFrom(repeated) + "): merge the two entries into one");
                continue;
            }
            byName.put(name, new Entry(name, at, fields, remove));
        }
        return List.copyOf(byName.values());
    }

    private static String nameOf(MappingNode mapping, String file, EntryKind kind, ProblemList problems) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("name")) {
                Node value = tuple.getValueNode();
                if (value instanceof ScalarNode scalar && !FieldReader.isNull(value) && !scalar.getValue().isBlank()) {
                    return scalar.getValue();
                }
                problems.add(Position.of(file, value), "name of a " + kind.word() + " must be plain text: write "
                        + "name: followed by " + kind.nameHint());
                return null;
            }
        }
        problems.add(Position.of(file, mapping), "a " + kind.word() + " entry has no name: add name: followed by "
                + kind.nameHint() + " (entries are matched by name)");
        return null;
    }
}
