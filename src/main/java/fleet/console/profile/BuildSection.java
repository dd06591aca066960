package fleet.console.profile;

import fleet.console.profile.FieldReader.Located;
import fleet.console.profile.ProfileDocument.Entry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The {@code build} of one service, gathered from every profile file that writes it and then
 * checked as a whole. Its fields are replaced one by one (a user's {@code base:} keeps the
 * defaults' layers); its layers merge by name like services do, so that a user can change one
 * layer's excludes or drop it with {@code remove: true}; lists and mappings inside it (env,
 * labels, ports, cmd, from, exclude) replace ours whole.
 */
final class BuildSection {

    static final List<String> FIELDS = List.of("base", "platform", "workdir", "user", "env", "ports", "labels",
            "entrypoint", "cmd", "layers");

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    /** The registry's reference grammar (distribution's), tag or digest required. */
    private static final Pattern REFERENCE = Pattern.compile("(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT
            + ")*(?::[0-9]+)?/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*"
            + "(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?");
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+/[a-z0-9_]+");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]*)?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(?:/(tcp|udp))?");
    private static final Pattern LAYER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** A layer after merging: its fields may come from several files. */
    private static final class MergedLayer {
        final String name;
        final Position at;
        final Map<String, Field> fields = new LinkedHashMap<>();

        MergedLayer(String name, Position at) {
            this.name = name;
            this.at = at;
        }
    }

    private final Map<String, Field> fields = new LinkedHashMap<>();
    private final Map<String, MergedLayer> layers = new LinkedHashMap<>();
    private Position at;

    boolean present() {
        return at != null;
    }

    /** Lays one file's {@code build:} over what earlier files wrote; problems of the file alone are added. */
    void add(Field build, String owner, FieldReader reader, ProblemList problems) {
        if (!(build.value() instanceof MappingNode mapping)) {
            problems.add(build.valueAt(), "build of " + owner + " must be a set of fields (" + String.join(", ", FIELDS)
                    + "), not a " + (FieldReader.isNull(build.value()) ? "blank" : FieldReader.shapeOf(build.value()))
                    + ": write them indented below build:, or delete the line");
            return;
        }
        at = build.keyAt();
        Map<String, Field> written = ProfileDocument.fields(mapping, build.file(), FIELDS, "build of " + owner, problems);
        for (Field field : written.values()) {
            if (field.key().equals("layers")) {
                mergeLayers(ProfileDocument.entries(field, ProfileDocument.LAYER, reader, problems), owner, problems);
                fields.put("layers", field);
            } else {
                fields.put(field.key(), field);
            }
        }
    }

    private void mergeLayers(List<Entry> entries, String owner, ProblemList problems) {
        for (Entry entry : entries) {
            if (!entry.remove()) {
                layers.computeIfAbsent(entry.name(), name -> new MergedLayer(name, entry.at())).fields.putAll(entry.fields());
            } else if (layers.remove(entry.name()) == null) {
                problems.add(entry.fields().get("remove").keyAt(), "there is no layer \"" + entry.name() + "\" in the build of "
                        + owner + " to remove" + ClosestName.to(entry.name(), layers.keySet())
                                .map(meant -> " (did you mean \"" + meant + "\"?)").orElse("")
                        + (layers.isEmpty() ? "" : ": its layers before this file are " + String.join(", ", layers.keySet())));
            }
        }
    }

    /** The merged build, checked; null when refused (the problems say why). */
    BuildSpec read(String owner, FieldReader reader, ProblemList problems) {
        int before = problems.size();
        String buildOf = "build of " + owner;
        String base = require("base", buildOf + " has no base: name the image that carries the service's dependencies,"
                + " e.g. base: registry.example.com/swe-ai-fleet/orchestrator-base:v1.0.0 (Jib cannot run RUN steps, so"
                + " the base must already hold what pip install and protoc would add)", problems)
                .map(field -> base(field, buildOf, reader, problems)).orElse(null);
        String platform = Optional.ofNullable(fields.get("platform")).map(field -> {
            String text = reader.text(field, buildOf, "platform: linux/amd64");
            if (text != null && !PLATFORM.matcher(text).matches()) {
                problems.add(field.valueAt(), "platform of " + buildOf + " is \"" + text + "\": write os/architecture,"
                        + " e.g. platform: linux/amd64 or linux/arm64 (variants such as /v8 cannot be chosen)");
                return null;
            }
            return text;
        }).orElse(BuildSpec.DEFAULT_PLATFORM);
        Optional<String> workdir = Optional.ofNullable(fields.get("workdir")).map(field -> {
            String text = reader.text(field, buildOf, "workdir: /app");
            if (text != null && !absolute(text)) {
                problems.add(field.valueAt(), "workdir of " + buildOf + " is \"" + text + "\": write an absolute path in"
                        + " the container, e.g. workdir: /app");
            }
            return text;
        });
        Optional<String> user = Optional.ofNullable(fields.get("user")).map(field -> {
            String text = reader.text(field, buildOf, "user: \"1000\"");
            if (text != null && !USER.matcher(text).matches()) {
                problems.add(field.valueAt(), "user of " + buildOf + " is \"" + text + "\": write a user id or name,"
                        + " optionally with :group, e.g. user: \"1000\" (a number works on any base image and satisfies"
                        + " runAsNonRoot)");
            }
            return text;
        });
        Map<String, String> env = Optional.ofNullable(fields.get("env"))
                .map(field -> mapping(field, buildOf, "env: {PYTHONUNBUFFERED: \"1\"}", true, problems)).orElse(Map.of());
        List<String> ports = Optional.ofNullable(fields.get("ports")).map(field -> ports(field, buildOf, reader, problems))
                .orElse(List.of());
        Map<String, String> labels = Optional.ofNullable(fields.get("labels"))
                .map(field -> mapping(field, buildOf, "labels: {org.opencontainers.image.source: \"https://...\"}", false,
                        problems)).orElse(Map.of());
        Optional<List<String>> entrypoint = Optional.ofNullable(fields.get("entrypoint"))
                .map(field -> command(field, buildOf, "entrypoint: [python, -m, server]", reader));
        Optional<List<String>> cmd = Optional.ofNullable(fields.get("cmd"))
                .map(field -> command(field, buildOf, "cmd: [python, services/orchestrator/server.py]", reader));
        List<LayerSpec> layerSpecs = new ArrayList<>();
        for (MergedLayer layer : layers.values()) {
            LayerSpec spec = layer(layer, owner, reader, problems);
            if (spec != null) {
                layerSpecs.add(spec);
            }
        }
        if (layers.isEmpty() && problems.size() == before) {
            problems.add(fields.containsKey("layers") ? fields.get("layers").valueAt() : at, buildOf + " has no layers:"
                    + " the console adds the service's code on top of the base, so list at least one, e.g."
                    + " layers: [{name: src, from: src, to: /app/src/}]");
        }
        if (problems.size() != before) {
            return null;
        }
        return new BuildSpec(base, platform, workdir, user, env, ports, labels, entrypoint, cmd, layerSpecs);
    }

    private static String base(Field field, String buildOf, FieldReader reader, ProblemList problems) {
        String text = reader.text(field, buildOf, "base: registry.example.com/swe-ai-fleet/orchestrator-base:v1.0.0");
        if (text == null || text.equals(BuildSpec.SCRATCH)) {
            return text;
        }
        if (!REFERENCE.matcher(text).matches()) {
            problems.add(field.valueAt(), "base of " + buildOf + " is \"" + text + "\", not an image reference: write"
                    + " host/path:tag with a lower-case path, e.g. base: registry.example.com/swe-ai-fleet/orchestrator-base:v1.0.0"
                    + " (or base: scratch for an empty base)");
            return null;
        }
        String lastSegment = text.substring(text.lastIndexOf('/') + 1);
        if (!lastSegment.contains(":") && !text.contains("@")) {
            problems.add(field.valueAt(), "base of " + buildOf + " has no tag: name the exact base, e.g. "
                    + text + ":v1.0.0 (an implied :latest would change the image under the same code)");
            return null;
        }
        return text;
    }

    private Map<String, String> mapping(Field field, String owner, String example, boolean envNames, ProblemList problems) {
        Node value = field.value();
        if (!(value instanceof MappingNode mapping)) {
            problems.add(field.valueAt(), field.key() + " of " + owner + " must be a set of name: value lines, not a "
                    + (FieldReader.isNull(value) ? "blank" : FieldReader.shapeOf(value)) + ": write it like " + example);
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Position> seen = new LinkedHashMap<>();
        boolean refused = false;
        for (NodeTuple tuple : mapping.getValue()) {
            Position keyAt = field.at(tuple.getKeyNode());
            if (!(tuple.getKeyNode() instanceof ScalarNode key) || FieldReader.isNull(tuple.getKeyNode())) {
                problems.add(keyAt, "a name in " + field.key() + " of " + owner + " is not plain text: write it like " + example);
                refused = true;
                continue;
            }
            String name = key.getValue();
            if (envNames && !ENV_NAME.matcher(name).matches()) {
                problems.add(keyAt, "environment variable \"" + name + "\" of " + owner + " is not a valid name: use"
                        + " letters, digits and '_', not starting with a digit, e.g. PYTHONPATH");
                refused = true;
            }
            Position earlier = seen.putIfAbsent(name, keyAt);
            if (earlier != null) {
                problems.add(keyAt, name + " appears twice in " + field.key() + " of " + owner + " (first at "
                        + earlier.describeFrom(keyAt) + "): keep only one of them");
                refused = true;
            }
            Node item = tuple.getValueNode();
            if (item instanceof ScalarNode scalar && !FieldReader.isNull(item)) {
                values.put(name, scalar.getValue());
            } else {
                problems.add(field.at(item), name + " in " + field.key() + " of " + owner + " must have a single value"
                        + " (use \"\" for an empty one): write it like " + example);
                refused = true;
            }
        }
        return refused ? null : values;
    }

    private static List<String> ports(Field field, String owner, FieldReader reader, ProblemList problems) {
        List<Located> items = reader.texts(field, owner, "ports: [\"50055\"]");
        if (items == null) {
            return null;
        }
        boolean refused = false;
        for (Located item : items) {
            var matcher = PORT.matcher(item.text());
            if (!matcher.matches() || Integer.parseInt(matcher.group(1)) < 1 || Integer.parseInt(matcher.group(1)) > 65535) {
                problems.add(item.at(), "port \"" + item.text() + "\" of " + owner + " is not a port: write a number"
                        + " between 1 and 65535, optionally with /tcp or /udp, e.g. \"50055\" or \"53/udp\"");
                refused = true;
            }
        }
        return refused ? null : items.stream().map(Located::text).toList();
    }

    private static List<String> command(Field field, String owner, String example, FieldReader reader) {
        List<Located> items = reader.texts(field, owner, example);
        return items == null ? null : items.stream().map(Located::text).toList();
    }

    private LayerSpec layer(MergedLayer layer, String service, FieldReader reader, ProblemList problems) {
        int before = problems.size();
        String owner = "layer \"" + layer.name + "\" of " + service;
        if (!LAYER_NAME.matcher(layer.name).matches()) {
            problems.add(layer.fields.get("name").valueAt(), owner + " has a name that cannot be shown in progress: use"
                    + " letters, digits, '.', '_' and '-', e.g. name: src");
        }
        Field fromField = layer.fields.get("from");
        List<Located> from = null;
        if (fromField == null) {
            problems.add(layer.at, owner + " has no from: name the folders or files it copies, relative to the"
                    + " source root, e.g. from: services/orchestrator");
        } else {
            from = sources(fromField, owner, reader, problems);
        }
        if (from != null) {
            for (Located source : from) {
                String path = source.text();
                if (path.isBlank() || path.startsWith("/") || List.of(path.split("/")).contains("..")) {
                    problems.add(source.at(), "from \"" + path + "\" of " + owner + " must be a path inside the source"
                            + " root: write it relative to the root, without a leading '/' or '..', e.g. services/orchestrator");
                }
            }
        }
        Field toField = layer.fields.get("to");
        String to = null;
        if (toField == null) {
            problems.add(layer.at, owner + " has no to: say where its files go in the container, e.g. to: /app/src/");
        } else {
            to = reader.text(toField, owner, "to: /app/src/");
            if (to != null && !absolute(to)) {
                problems.add(toField.valueAt(), "to of " + owner + " is \"" + to + "\": write an absolute path in the"
                        + " container, e.g. to: /app/src/");
            } else if (to != null && from != null && from.size() > 1 && !to.endsWith("/")) {
                problems.add(toField.valueAt(), "to of " + owner + " must end with '/' because the layer copies "
                        + from.size() + " sources into it: write to: " + to + "/");
            }
        }
        List<String> exclude = Optional.ofNullable(layer.fields.get("exclude"))
                .map(field -> reader.texts(field, owner, "exclude: [\"**/__pycache__\", \"**/*.pyc\"]"))
                .map(items -> items.stream().map(Located::text).toList()).orElse(List.of());
        if (problems.size() != before || from == null || to == null) {
            return null;
        }
        return new LayerSpec(layer.name, from.stream().map(Located::text).toList(), to, exclude);
    }

    /** {@code from:} as one path or a list of paths. */
    private static List<Located> sources(Field field, String owner, FieldReader reader, ProblemList problems) {
        if (field.value() instanceof ScalarNode scalar && !FieldReader.isNull(field.value())) {
            return List.of(new Located(scalar.getValue(), field.valueAt()));
        }
        List<Located> items = reader.texts(field, owner, "from: [src, services/orchestrator]");
        if (items != null && items.isEmpty()) {
            problems.add(field.valueAt(), "from of " + owner + " is empty: name at least one folder or file, relative"
                    + " to the source root, e.g. from: services/orchestrator");
            return null;
        }
        return items;
    }

    private static boolean absolute(String path) {
        return path.startsWith("/") && !List.of(path.split("/")).contains("..") && path.chars().noneMatch(Character::isWhitespace);
    }

    private Optional<Field> require(String key, String missingMessage, ProblemList problems) {
        Field field = fields.get(key);
        if (field == null) {
            problems.add(at, missingMessage);
        }
        return Optional.ofNullable(field);
    }
}
