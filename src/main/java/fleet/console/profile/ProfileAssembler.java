package fleet.console.profile;

import fleet.console.profile.FieldReader.Located;
import fleet.console.profile.ProfileDocument.Entry;
import fleet.console.profile.ProfileDocument.EntryKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Lays profile files over one another (later files win, services and streams merge by name field
 * by field) and checks the merged result as a whole, so that a value is judged in the fleet it
 * ends up in: a user's new stream can overlap a default one, a default service can lose its tag.
 */
final class ProfileAssembler {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern STREAM_NAME = Pattern.compile("[^\\s.*>/\\\\]+");
    private static final Pattern DURABLE_NAME = Pattern.compile("[^\\s.>/\\\\]+");
    private static final String DNS_ADVICE = "use lower-case letters, digits and '-', at most 63 characters,"
            + " starting and ending with a letter or digit";

    /** An entry after merging: fields may come from several files, each keeping its own. */
    private static final class Merged {
        final String name;
        final Position at;
        final Map<String, Field> fields = new LinkedHashMap<>();
        /** A service's build, merged field by field and its layers by name, not replaced whole. */
        final BuildSection build = new BuildSection();

        Merged(String name, Position at) {
            this.name = name;
            this.at = at;
        }

        Optional<Field> field(String key) {
            return Optional.ofNullable(fields.get(key));
        }
    }

    private final ProblemList problems;
    private final FieldReader reader;

    private ProfileAssembler(ProblemList problems) {
        this.problems = problems;
        this.reader = new FieldReader(problems);
    }

    /** Merges the layers, base first; throws with every problem found in any of them. */
    static FleetProfile assemble(List<ProfileDocument> layers, String source, ProblemList problems)
            throws ProfileException {
        return new ProfileAssembler(problems).build(layers, source);
    }

    private FleetProfile build(List<ProfileDocument> layers, String source) throws ProfileException {
        Position base = layers.get(0).start();
        Map<String, Field> top = new LinkedHashMap<>();
        Map<String, Field> registryFields = new LinkedHashMap<>();
        Map<String, Field> councilFields = new LinkedHashMap<>();
        Position registryAt = base;
        Position councilsAt = base;
        Map<String, Merged> services = new LinkedHashMap<>();
        Map<String, Merged> streams = new LinkedHashMap<>();
        for (ProfileDocument layer : layers) {
            top.putAll(layer.top);
            if (layer.registry != null) {
                registryFields.putAll(layer.registry.fields());
                registryAt = layer.registry.at();
            }
            if (layer.councils != null) {
                councilFields.putAll(layer.councils.fields());
                councilsAt = layer.councils.at();
            }
            merge(services, layer.services, ProfileDocument.SERVICE);
            merge(streams, layer.streams, ProfileDocument.STREAM);
        }

        String namespace = namespace(top, base);
        RegistrySpec registry = registry(registryFields, registryAt);
        List<ServiceSpec> serviceSpecs = new ArrayList<>();
        for (Merged entry : services.values()) {
            service(entry, registry).ifPresent(serviceSpecs::add);
        }
        checkDurablesClaimedOnce(services.values());
        List<StreamSpec> streamSpecs = new ArrayList<>();
        for (Merged entry : streams.values()) {
            stream(entry).ifPresent(streamSpecs::add);
        }
        checkSubjectsDoNotOverlap(streams);
        CouncilSpec councils = councils(councilFields, councilsAt);

        problems.throwIfAny();
        return new FleetProfile(namespace, registry, serviceSpecs, streamSpecs, councils, source);
    }

    private void merge(Map<String, Merged> merged, List<Entry> entries, EntryKind kind) {
        for (Entry entry : entries) {
            if (!entry.remove()) {
                Merged target = merged.computeIfAbsent(entry.name(), name -> new Merged(name, entry.at()));
                target.fields.putAll(entry.fields());
                Field build = entry.fields().get("build");
                if (build != null) {
                    target.build.add(build, kind.word() + " \"" + entry.name() + "\"", reader, problems);
                }
            } else if (merged.remove(entry.name()) == null) {
                problems.add(entry.fields().get("remove").keyAt(), "there is no " + kind.word() + " \"" + entry.name()
                        + "\" to remove" + ClosestName.to(entry.name(), merged.keySet())
                                .map(meant -> " (did you mean \"" + meant + "\"?)").orElse("")
                        + ": the " + kind.listField() + " before this file are " + String.join(", ", merged.keySet()));
            }
        }
    }

    private String namespace(Map<String, Field> top, Position base) {
        Field field = top.get("namespace");
        if (field == null) {
            problems.add(base, "the profile has no namespace: add namespace: swe-ai-fleet");
            return null;
        }
        String namespace = reader.text(field, "the profile", "namespace: swe-ai-fleet");
        if (namespace != null && !DNS_LABEL.matcher(namespace).matches()) {
            problems.add(field.valueAt(), "namespace \"" + namespace + "\" is not a valid Kubernetes namespace: "
                    + DNS_ADVICE);
            return null;
        }
        return namespace;
    }

    private RegistrySpec registry(Map<String, Field> fields, Position at) {
        int before = problems.size();
        String host = require(fields, "host", at, "registry has no host: add host: registry.example.com")
                .map(field -> {
                    String text = reader.text(field, "registry", "host: registry.example.com");
                    if (text != null && (text.contains("://") || text.contains("/") || text.isBlank()
                            || text.chars().anyMatch(Character::isWhitespace))) {
                        problems.add(field.valueAt(), "host of registry is \"" + text + "\": write only host[:port],"
                                + " without scheme or path (put the path in path:, and set insecure: true for a"
                                + " plain-HTTP registry)");
                    }
                    return text;
                }).orElse(null);
        String path = require(fields, "path", at, "registry has no path: add path: swe-ai-fleet (or path: \"\")")
                .map(field -> {
                    String text = reader.text(field, "registry", "path: swe-ai-fleet");
                    if (text != null && (text.startsWith("/") || text.endsWith("/")
                            || text.chars().anyMatch(Character::isWhitespace))) {
                        problems.add(field.valueAt(), "path of registry is \"" + text + "\": write it without"
                                + " leading or trailing '/' and without spaces, e.g. path: swe-ai-fleet");
                    }
                    return text;
                }).orElse(null);
        Boolean insecure = Optional.ofNullable(fields.get("insecure"))
                .map(field -> reader.flag(field, "registry")).orElse(false);
        if (problems.size() != before) {
            return null;
        }
        return new RegistrySpec(host, path, insecure);
    }

    private Optional<ServiceSpec> service(Merged entry, RegistrySpec registry) {
        int before = problems.size();
        String owner = "service \"" + entry.name + "\"";
        if (!DNS_LABEL.matcher(entry.name).matches()) {
            problems.add(entry.fields.get("name").valueAt(), owner + " is not a valid Kubernetes name: " + DNS_ADVICE);
        }
        WorkloadKind kind = entry.field("kind")
                .map(field -> reader.choice(field, owner, WorkloadKind.class)).orElse(WorkloadKind.DEPLOYMENT);
        String container = entry.field("container").map(field -> {
            String text = reader.text(field, owner, "container: " + entry.name);
            if (text != null && !DNS_LABEL.matcher(text).matches()) {
                problems.add(field.valueAt(), "container \"" + text + "\" of " + owner
                        + " is not a valid container name: " + DNS_ADVICE);
            }
            return text;
        }).orElse(entry.name);
        String suggestedImage = registry != null ? registry.repositoryFor(entry.name) : "<host>/<path>/" + entry.name;
        String image = require(entry.fields, "image", entry.at, owner + " has no image: add image: " + suggestedImage
                + " (the repository, without tag; the tag goes in tag:)")
                .map(field -> image(field, owner, suggestedImage)).orElse(null);
        String tag = require(entry.fields, "tag", entry.at, owner + " has no tag: add the tag the console should"
                + " deploy, e.g. tag: v1.0.0")
                .map(field -> {
                    String text = reader.text(field, owner, "tag: v1.0.0");
                    if (text != null && !IMAGE_TAG.matcher(text).matches()) {
                        problems.add(field.valueAt(), "tag \"" + text + "\" of " + owner + " is not a valid image tag:"
                                + " use letters, digits, '_', '.' and '-', at most 128 characters, e.g. tag: v3.0.1");
                    }
                    return text;
                }).orElse(null);
        Long replicas = entry.field("replicas").map(field -> reader.whole(field, owner, "replicas: 2", 0,
                Integer.MAX_VALUE, "use 0 or more (0 keeps the workload scaled down)")).orElse(1L);
        Boolean natsConsumers = require(entry.fields, "natsConsumers", entry.at, owner + " does not say whether it"
                + " consumes from NATS: add natsConsumers: true if it binds JetStream durables (a redeploy then scales"
                + " it to 0 first, because a durable accepts one subscriber), otherwise natsConsumers: false")
                .map(field -> reader.flag(field, owner)).orElse(null);
        List<String> durables = entry.field("durables").map(field -> durables(field, owner)).orElse(List.of());
        String durablesFile = entry.field("durables").map(Field::file).orElse(null);
        Map<String, String> subscriptions = entry.field("subscriptions")
                .map(field -> subscriptions(field, owner, durables, durablesFile)).orElse(Map.of());
        List<String> startupLines = entry.field("startupLines")
                .map(field -> startupLines(field, owner)).orElse(List.of());
        OptionalInt port = entry.field("port")
                .map(field -> reader.whole(field, owner, "port: 50055", 1, 65535,
                        "use the port number its Service exposes, between 1 and 65535"))
                .map(value -> OptionalInt.of(value.intValue())).orElse(OptionalInt.empty());
        BuildSpec build = entry.build.present() ? entry.build.read(owner, reader, problems) : null;
        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new ServiceSpec(entry.name, kind, container, image, tag, replicas.intValue(), natsConsumers,
                durables, subscriptions, startupLines, port, Optional.ofNullable(build)));
    }

    private String image(Field field, String owner, String suggestedImage) {
        String text = reader.text(field, owner, "image: " + suggestedImage);
        if (text == null) {
            return null;
        }
        String lastSegment = text.substring(text.lastIndexOf('/') + 1);
        if (text.contains("@")) {
            problems.add(field.valueAt(), "image of " + owner + " names a digest: write the repository only (image: "
                    + text.substring(0, text.indexOf('@')) + ") and the tag to deploy in tag:");
            return null;
        }
        if (lastSegment.contains(":")) {
            String repository = text.substring(0, text.lastIndexOf(':'));
            problems.add(field.valueAt(), "image of " + owner + " includes a tag: write image: " + repository
                    + " and tag: " + lastSegment.substring(lastSegment.indexOf(':') + 1));
            return null;
        }
        if (text.isBlank() || text.chars().anyMatch(Character::isWhitespace)) {
            problems.add(field.valueAt(), "image of " + owner + " is \"" + text + "\": write a repository without"
                    + " spaces, e.g. image: " + suggestedImage);
            return null;
        }
        return text;
    }

    private List<String> durables(Field field, String owner) {
        List<Located> items = reader.texts(field, owner, "durables: [orch-planning-story-transitions, \"orch-context-*\"]");
        if (items == null) {
            return null;
        }
        List<String> durables = new ArrayList<>();
        for (Located item : items) {
            if (!DURABLE_NAME.matcher(item.text()).matches()) {
                problems.add(item.at(), "durable \"" + item.text() + "\" of " + owner + " is not a NATS durable name:"
                        + " leave out '.', '>', '/' and spaces; '*' stands for any characters, e.g. \"orch-context-*\"");
            }
            durables.add(item.text());
        }
        return durables;
    }

    /**
     * {@code durable: subject} pairs: each durable must be one the service owns (a subscription to someone
     * else's durable would make the diagnosis blame the wrong service), each subject a valid filter.
     */
    private Map<String, String> subscriptions(Field field, String owner, List<String> durables, String durablesFile) {
        // Subscriptions from another file than the durables (the built-in ones, under a user's own durables)
        // keep only the durables the service still owns: the user replaced the list, not mistyped a name.
        boolean inherited = FleetProfile.DEFAULTS_NAME.equals(field.file()) && durablesFile != null && !durablesFile.equals(field.file());
        String example = "subscriptions: {orch-planning-story-transitions: planning.story.transitioned}";
        if (!(field.value() instanceof MappingNode mapping)) {
            problems.add(field.valueAt(), "subscriptions of " + owner + " must be a set of durable: subject pairs, not a "
                    + FieldReader.shapeOf(field.value()) + ": write it like " + example);
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key) || !(tuple.getValueNode() instanceof ScalarNode value)
                    || FieldReader.isNull(tuple.getValueNode())) {
                problems.add(field.at(tuple.getKeyNode()), "each subscription of " + owner
                        + " is a durable name and the subject it filters on: write it like " + example);
                continue;
            }
            String durable = key.getValue();
            if (durables != null && durables.stream().noneMatch(p -> ServiceSpec.globMatches(p, durable))) {
                if (inherited) {
                    continue;
                }
                problems.add(field.at(key), "subscription \"" + durable + "\" of " + owner + " is not one of its durables"
                        + ClosestName.to(durable, durables).map(m -> " (did you mean \"" + m + "\"?)").orElse("")
                        + ": add it to durables, or fix the name");
            }
            Optional<String> bad = SubjectFilters.problemWith(value.getValue());
            if (bad.isPresent()) {
                problems.add(field.at(value), "subject \"" + value.getValue() + "\" of subscription " + durable + " of " + owner
                        + " " + bad.get() + ": write a NATS subject like planning.story.transitioned");
            }
            if (out.put(durable, value.getValue()) != null) {
                problems.add(field.at(key), "subscription \"" + durable + "\" is listed twice in " + owner + ": list it once");
            }
        }
        return out;
    }

    private List<String> startupLines(Field field, String owner) {
        List<Located> items = reader.texts(field, owner, "startupLines: [\"NATS handler connected\"]");
        if (items == null) {
            return null;
        }
        for (Located item : items) {
            if (item.text().isBlank()) {
                problems.add(item.at(), "a startup line of " + owner + " is blank, and would match any log line:"
                        + " delete it or write the text a healthy start prints");
            }
        }
        return items.stream().map(Located::text).toList();
    }

    /** Two services owning the same durable would make ownership, and so the redeploy's scale-down, ambiguous. */
    private void checkDurablesClaimedOnce(Iterable<Merged> services) {
        Map<String, Located> firstClaim = new HashMap<>();
        Map<String, String> claimant = new HashMap<>();
        for (Merged service : services) {
            Optional<Field> field = service.field("durables");
            if (field.isEmpty() || !(field.get().value() instanceof SequenceNode sequence)) {
                continue;
            }
            for (Node node : sequence.getValue()) {
                if (!(node instanceof ScalarNode scalar)) {
                    continue;
                }
                Position at = field.get().at(node);
                Located earlier = firstClaim.putIfAbsent(scalar.getValue(), new Located(scalar.getValue(), at));
                if (earlier == null) {
                    claimant.put(scalar.getValue(), service.name);
                } else if (claimant.get(scalar.getValue()).equals(service.name)) {
                    problems.add(at, "durable \"" + scalar.getValue() + "\" is listed twice in service \"" + service.name
                            + "\" (first at " + earlier.at().describeFrom(at) + "): list it once");
                } else {
                    problems.add(at, "durable \"" + scalar.getValue() + "\" is claimed by service \""
                            + claimant.get(scalar.getValue()) + "\" (" + earlier.at().describeFrom(at)
                            + ") and by service \"" + service.name + "\": keep it only in the service that consumes it");
                }
            }
        }
    }

    private Optional<StreamSpec> stream(Merged entry) {
        int before = problems.size();
        String owner = "stream \"" + entry.name + "\"";
        if (!STREAM_NAME.matcher(entry.name).matches()) {
            problems.add(entry.fields.get("name").valueAt(), owner + " has a name NATS refuses: leave out spaces, '.',"
                    + " '*', '>', '/' and '\\', e.g. PLANNING_EVENTS");
        }
        List<String> subjects = require(entry.fields, "subjects", entry.at, owner + " has no subjects: add the"
                + " subjects it captures, e.g. subjects: [\"planning.>\"]")
                .map(field -> subjects(field, owner)).orElse(null);
        StreamSpec.Retention retention = entry.field("retention")
                .map(field -> reader.choice(field, owner, StreamSpec.Retention.class)).orElse(StreamSpec.Retention.LIMITS);
        StreamSpec.Storage storage = entry.field("storage")
                .map(field -> reader.choice(field, owner, StreamSpec.Storage.class)).orElse(StreamSpec.Storage.FILE);
        Long replicas = entry.field("replicas").map(field -> reader.whole(field, owner, "replicas: 1", 1, 5,
                "a stream keeps 1 to 5 copies (the NATS limit); use 1 with a single NATS server")).orElse(1L);
        Duration maxAge = entry.field("maxAge").map(field -> maxAge(field, owner)).orElse(Duration.ZERO);
        Long maxMsgs = entry.field("maxMsgs").map(field -> reader.whole(field, owner, "maxMsgs: 1000000", -1,
                Long.MAX_VALUE, "use a count of messages, or -1 for no limit")).orElse(-1L);
        Long maxBytes = entry.field("maxBytes").map(field -> reader.whole(field, owner, "maxBytes: 1073741824", -1,
                Long.MAX_VALUE, "use a size in bytes, or -1 for no limit")).orElse(-1L);
        StreamSpec.Discard discard = entry.field("discard")
                .map(field -> reader.choice(field, owner, StreamSpec.Discard.class)).orElse(StreamSpec.Discard.OLD);
        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new StreamSpec(entry.name, subjects, retention, storage, replicas.intValue(), maxAge,
                maxMsgs, maxBytes, discard));
    }

    private List<String> subjects(Field field, String owner) {
        String example = "subjects: [\"planning.>\"]";
        List<Located> items = reader.texts(field, owner, example);
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            problems.add(field.valueAt(), "subjects of " + owner + " is empty: list at least one subject, e.g. " + example);
            return null;
        }
        Map<String, Located> seen = new HashMap<>();
        for (Located item : items) {
            SubjectFilters.problemWith(item.text()).ifPresent(why -> problems.add(item.at(), "subject \"" + item.text()
                    + "\" of " + owner + " " + why + ": separate tokens with single dots; '*' stands for one token and"
                    + " '>' for all the rest, e.g. planning.story.>"));
            Located earlier = seen.putIfAbsent(item.text(), item);
            if (earlier != null) {
                problems.add(item.at(), "subject \"" + item.text() + "\" is listed twice in " + owner + " (first at "
                        + earlier.at().describeFrom(item.at()) + "): list it once");
            }
        }
        return items.stream().map(Located::text).toList();
    }

    private Duration maxAge(Field field, String owner) {
        String text = reader.text(field, owner, "maxAge: 7d");
        if (text == null) {
            return null;
        }
        Optional<Duration> parsed = DurationText.parse(text);
        if (parsed.isEmpty()) {
            problems.add(field.valueAt(), "maxAge of " + owner + " is \"" + text + "\", not a duration: write a number"
                    + " and a unit (s, m, h or d), e.g. maxAge: 7d or maxAge: 90s, or 0 for no limit");
        }
        return parsed.orElse(null);
    }

    /** NATS refuses a stream whose subjects overlap another's; say so before the console tries. */
    private void checkSubjectsDoNotOverlap(Map<String, Merged> streams) {
        List<Merged> entries = new ArrayList<>(streams.values());
        List<List<Located>> subjects = new ArrayList<>();
        for (Merged entry : entries) {
            subjects.add(locatedSubjects(entry));
        }
        for (int later = 0; later < entries.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                Merged other = entries.get(earlier);
                Merged stream = entries.get(later);
                overlapBetween(subjects.get(later), subjects.get(earlier)).ifPresent(pair -> {
                    Located mine = pair.get(0);
                    Located theirs = pair.get(1);
                    problems.add(mine.at(), "stream \"" + stream.name + "\" overlaps stream \"" + other.name
                            + "\": its subject \"" + mine.text() + "\" overlaps \"" + theirs.text() + "\" ("
                            + theirs.at().describeFrom(mine.at()) + "), so both would capture the same messages,"
                            + " which NATS refuses: narrow one of the subjects, or drop a stream with {name: " + other.name
                            + ", remove: true}");
                });
            }
        }
    }

    private static Optional<List<Located>> overlapBetween(List<Located> mine, List<Located> theirs) {
        for (Located a : mine) {
            for (Located b : theirs) {
                if (SubjectFilters.overlap(a.text(), b.text())) {
                    return Optional.of(List.of(a, b));
                }
            }
        }
        return Optional.empty();
    }

    private static List<Located> locatedSubjects(Merged entry) {
        List<Located> located = new ArrayList<>();
        Field field = entry.fields.get("subjects");
        if (field != null && field.value() instanceof SequenceNode sequence) {
            for (Node node : sequence.getValue()) {
                if (node instanceof ScalarNode scalar && !FieldReader.isNull(node)) {
                    located.add(new Located(scalar.getValue(), field.at(node)));
                }
            }
        }
        return located;
    }

    private CouncilSpec councils(Map<String, Field> fields, Position at) {
        int before = problems.size();
        String example = "roles: [DEV, QA, ARCHITECT, DEVOPS, DATA]";
        List<String> roles = require(fields, "roles", at, "councils has no roles: add " + example)
                .map(field -> roles(field, example)).orElse(null);
        Long agents = require(fields, "agentsPerCouncil", at, "councils has no agentsPerCouncil: add agentsPerCouncil: 3")
                .map(field -> reader.whole(field, "councils", "agentsPerCouncil: 3", 1, Integer.MAX_VALUE,
                        "a council needs at least 1 agent; the fleet's init job creates 3"))
                .orElse(null);
        String model = require(fields, "model", at, "councils has no model: add the model the agents run on, e.g."
                + " model: Qwen/Qwen2.5-0.5B-Instruct")
                .map(field -> {
                    String text = reader.text(field, "councils", "model: Qwen/Qwen2.5-0.5B-Instruct");
                    if (text != null && text.isBlank()) {
                        problems.add(field.valueAt(), "model of councils is blank: name the model the agents run on,"
                                + " e.g. model: Qwen/Qwen2.5-0.5B-Instruct");
                    }
                    return text;
                }).orElse(null);
        if (problems.size() != before) {
            return null;
        }
        return new CouncilSpec(roles, agents.intValue(), model);
    }

    private List<String> roles(Field field, String example) {
        List<Located> items = reader.texts(field, "councils", example);
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            problems.add(field.valueAt(), "roles of councils is empty, which leaves the orchestrator without councils:"
                    + " list at least one role, e.g. " + example);
        }
        Map<String, Located> seen = new HashMap<>();
        for (Located role : items) {
            if (role.text().isBlank()) {
                problems.add(role.at(), "a role of councils is blank: write the role's name, e.g. DEV");
            }
            Located earlier = seen.putIfAbsent(role.text(), role);
            if (earlier != null) {
                problems.add(role.at(), "role \"" + role.text() + "\" is listed twice in councils (first at "
                        + earlier.at().describeFrom(role.at()) + "): list each role once, a role has one council");
            }
        }
        return items.stream().map(Located::text).toList();
    }

    private Optional<Field> require(Map<String, Field> fields, String key, Position at, String missingMessage) {
        Field field = fields.get(key);
        if (field == null) {
            problems.add(at, missingMessage);
        }
        return Optional.ofNullable(field);
    }
}
