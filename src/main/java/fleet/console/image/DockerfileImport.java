package fleet.console.image;

import fleet.console.profile.BuildSpec;
import fleet.console.profile.LayerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service's Dockerfile read into a build spec, for the instructions Jib can express (FROM,
 * COPY and ADD of local files, ENV, WORKDIR, USER, EXPOSE, LABEL, ENTRYPOINT, CMD). Everything
 * else is reported with its line: above all every RUN, because the fleet's Dockerfiles install
 * their dependencies and generate their gRPC code with RUN pip install and RUN protoc, and an
 * image without them would crash at start. Such work belongs in the base image.
 *
 * @param file     the Dockerfile, as named in findings
 * @param spec     the spec, unless the file has no FROM
 * @param findings what was not carried over or needs a second look, in line order
 */
public record DockerfileImport(String file, Optional<BuildSpec> spec, List<Finding> findings) {

    /**
     * Something the import could not carry over, or carried over with a caveat.
     *
     * @param line        1-based line of the instruction
     * @param instruction its keyword (RUN, COPY...)
     * @param kind        whether the spec lacks what the instruction did
     * @param message     what it is and what to do
     */
    public record Finding(int line, String instruction, Kind kind, String message) {

        /** How much a finding matters. */
        public enum Kind {
            /** The image built from the spec lacks what this did: it must go into the base image. */
            UNSUPPORTED,
            /** Carried over, but differently than Docker would, or worth checking. */
            NOTE
        }

        /** {@code file:line: message}, the form editors jump from. */
        public String render(String file) {
            return file + ":" + line + ": " + message;
        }
    }

    private static final String MOVE_TO_BASE = "move it into the base image (build the base once with podman from a"
            + " Dockerfile of these steps, push it, and name it in build.base)";
    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([A-Za-z][A-Za-z0-9_-]*)\\s*=\\s*(.*?)\\s*");
    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?}|([A-Za-z_][A-Za-z0-9_]*))");
    private static final Pattern PORT_RANGE = Pattern.compile("(\\d{1,5})-(\\d{1,5})(/(?:tcp|udp))?");
    private static final Set<String> ARCHIVES = Set.of(".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz",
            ".tar.zst");

    public DockerfileImport {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(spec, "spec");
        findings = List.copyOf(findings);
    }

    /** Reads a Dockerfile from disk. */
    public static DockerfileImport read(Path dockerfile) throws IOException {
        return parse(Files.readString(dockerfile, StandardCharsets.UTF_8), dockerfile.toString());
    }

    /** Reads Dockerfile text, as if it were the file {@code name}. */
    public static DockerfileImport parse(String text, String name) {
        return new Reader(name).read(text);
    }

    /** The findings that leave the spec short of what the Dockerfile builds. */
    public List<Finding> unsupported() {
        return findings.stream().filter(f -> f.kind() == Finding.Kind.UNSUPPORTED).toList();
    }

    /** Whether the spec builds what the Dockerfile builds (nothing unsupported). */
    public boolean complete() {
        return spec.isPresent() && unsupported().isEmpty();
    }

    /**
     * The spec, when the Dockerfile holds nothing Jib cannot do; else a refusal listing every
     * such line, so that a build from it never pushes an image missing what RUN would have added.
     */
    public BuildSpec requireComplete() throws ImageBuildException {
        if (complete()) {
            return spec.orElseThrow();
        }
        StringBuilder message = new StringBuilder("The Dockerfile " + file + " cannot be built without Docker or Podman: ");
        List<Finding> missing = unsupported();
        message.append(missing.size() == 1 ? "one instruction does" : missing.size() + " instructions do")
                .append(" what Jib cannot. Nothing was pushed.");
        for (Finding finding : missing) {
            message.append("\n  ").append(finding.render(file));
        }
        throw new ImageBuildException(ImageBuildException.Problem.DOCKERFILE_UNSUPPORTED, message.toString());
    }

    /** The service a Dockerfile at {@code services/ray_executor/Dockerfile} is for: ray-executor. */
    public static String serviceNameFor(Path dockerfile) {
        Path folder = dockerfile.toAbsolutePath().normalize().getParent();
        String name = folder == null || folder.getFileName() == null ? "service" : folder.getFileName().toString();
        String cleaned = name.toLowerCase(Locale.ROOT).replace('_', '-').replaceAll("[^a-z0-9-]", "-")
                .replaceAll("^-+|-+$", "");
        return cleaned.isEmpty() ? "service" : cleaned;
    }

    /** One logical instruction: continuation lines joined, comments inside them dropped. */
    private record Instruction(int line, String keyword, String arguments, boolean heredoc) {
    }

    /** The state of one reading; a FROM starts a stage afresh, only the last stage is the image. */
    private static final class Reader {
        private final String file;
        private final List<Finding> findings = new ArrayList<>();
        private final Map<String, String> globalArgs = new LinkedHashMap<>();
        private final List<Integer> runLines = new ArrayList<>();
        private char escape = '\\';

        private String base;
        private int fromLine;
        private String stageName;
        private String platform = BuildSpec.DEFAULT_PLATFORM;
        private Map<String, String> variables = new LinkedHashMap<>();
        private String workdir;
        private String user;
        private Map<String, String> env = new LinkedHashMap<>();
        private Set<String> ports = new LinkedHashSet<>();
        private Map<String, String> labels = new LinkedHashMap<>();
        private List<String> entrypoint;
        private List<String> cmd;
        private List<LayerSpec> layers = new ArrayList<>();

        Reader(String file) {
            this.file = file;
        }

        DockerfileImport read(String text) {
            List<Instruction> instructions = instructions(text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1));
            for (Instruction instruction : instructions) {
                apply(instruction);
            }
            if (base == null) {
                findings.add(new Finding(1, "FROM", Finding.Kind.UNSUPPORTED, "there is no FROM instruction, so there is"
                        + " no base image: this is not a Dockerfile an image can be built from"));
                return new DockerfileImport(file, Optional.empty(), sorted());
            }
            if (!runLines.isEmpty()) {
                findings.add(new Finding(fromLine, "FROM", Finding.Kind.NOTE, "base " + base + " lacks what the RUN lines "
                        + join(runLines) + " add to it: build an image of those steps once (podman build), push it, and"
                        + " set build.base to it; the console then adds only the service's files on top"));
            }
            if (layers.isEmpty()) {
                findings.add(new Finding(fromLine, "FROM", Finding.Kind.UNSUPPORTED, "the final stage copies no local"
                        + " files (no COPY or ADD of the build context): there is nothing for the console to add on top"
                        + " of the base; add the service's folders as layers"));
            }
            if (entrypoint != null && cmd == null) {
                // As in Docker: an image's own ENTRYPOINT drops the CMD the base would give it.
                cmd = List.of();
            }
            BuildSpec spec = new BuildSpec(base, platform, Optional.ofNullable(workdir), Optional.ofNullable(user), env,
                    List.copyOf(ports), labels, Optional.ofNullable(entrypoint), Optional.ofNullable(cmd), layers);
            return new DockerfileImport(file, Optional.of(spec), sorted());
        }

        private List<Finding> sorted() {
            List<Finding> ordered = new ArrayList<>(findings);
            ordered.sort((a, b) -> Integer.compare(a.line(), b.line()));
            return ordered;
        }

        private List<Instruction> instructions(String[] lines) {
            int i = 0;
            // Parser directives come first; the first line that is not one ends them.
            while (i < lines.length) {
                Matcher directive = DIRECTIVE.matcher(lines[i].strip());
                if (!directive.matches()) {
                    break;
                }
                if (directive.group(1).equalsIgnoreCase("escape") && directive.group(2).length() == 1) {
                    escape = directive.group(2).charAt(0);
                }
                i++;
            }
            List<Instruction> instructions = new ArrayList<>();
            for (; i < lines.length; i++) {
                String trimmed = lines[i].strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int start = i + 1;
                StringBuilder text = new StringBuilder(stripEnd(lines[i]));
                while (endsWithEscape(text) && i + 1 < lines.length) {
                    text.setLength(text.length() - 1);
                    i++;
                    while (i < lines.length && (lines[i].strip().startsWith("#") || lines[i].isBlank())) {
                        i++;
                    }
                    if (i < lines.length) {
                        text.append(stripEnd(lines[i]));
                    }
                }
                if (endsWithEscape(text)) {
                    text.setLength(text.length() - 1);
                }
                String logical = text.toString().strip();
                int space = firstSpace(logical);
                String keyword = (space < 0 ? logical : logical.substring(0, space)).toUpperCase(Locale.ROOT);
                String arguments = space < 0 ? "" : logical.substring(space).strip();
                Matcher heredoc = HEREDOC.matcher(arguments);
                boolean hasHeredoc = heredoc.find() && !keyword.equals("ENV") && !keyword.equals("LABEL");
                if (hasHeredoc) {
                    String terminator = heredoc.group(1);
                    while (i + 1 < lines.length && !lines[i + 1].strip().equals(terminator)) {
                        i++;
                    }
                    i++;
                }
                instructions.add(new Instruction(start, keyword, arguments, hasHeredoc));
            }
            return instructions;
        }

        private boolean endsWithEscape(CharSequence text) {
            return text.length() > 0 && text.charAt(text.length() - 1) == escape;
        }

        private void apply(Instruction in) {
            switch (in.keyword()) {
                case "FROM" -> from(in);
                case "ARG" -> arg(in);
                case "RUN" -> run(in);
                case "COPY", "ADD" -> copy(in);
                case "ENV" -> pairs(in, true).forEach((k, v) -> {
                    env.put(k, v);
                    variables.put(k, v);
                });
                case "LABEL" -> labels.putAll(pairs(in, false));
                case "WORKDIR" -> workdir = absolute(expand(in, in.arguments()));
                case "USER" -> user(in);
                case "EXPOSE" -> expose(in);
                case "ENTRYPOINT" -> entrypoint = command(in);
                case "CMD" -> cmd = command(in);
                case "MAINTAINER" -> {
                    labels.put("org.opencontainers.image.authors", in.arguments());
                    note(in, "MAINTAINER is deprecated: carried over as the label org.opencontainers.image.authors");
                }
                case "HEALTHCHECK" -> unsupported(in, "HEALTHCHECK is not something the console's builds set; Kubernetes"
                        + " ignores it anyway and probes the pod (readinessProbe, livenessProbe in the Deployment). If"
                        + " another runtime needs it, " + MOVE_TO_BASE);
                case "VOLUME" -> unsupported(in, "VOLUME " + in.arguments() + " is not something the console's builds"
                        + " set; Kubernetes mounts volumes from the pod spec. If another runtime needs it, " + MOVE_TO_BASE);
                case "SHELL", "STOPSIGNAL", "ONBUILD" -> unsupported(in, in.keyword() + " is not something the console's"
                        + " builds set: " + MOVE_TO_BASE);
                default -> unsupported(in, in.keyword() + " is not a Dockerfile instruction the console knows: check the"
                        + " spelling; if it is a newer instruction, " + MOVE_TO_BASE);
            }
        }

        private void from(Instruction in) {
            if (base != null) {
                note(new Instruction(fromLine, "FROM", "", false), "build stage" + (stageName == null ? "" : " \""
                        + stageName + "\"") + " (FROM at line " + fromLine + ") is not the final image: only the last stage"
                        + " is imported, and what an earlier stage builds reaches it through RUN or COPY --from, which"
                        + " Jib cannot do");
            }
            List<String> words = new ArrayList<>(List.of(in.arguments().split("\\s+")));
            String stagePlatform = null;
            while (!words.isEmpty() && words.get(0).startsWith("--")) {
                String flag = words.remove(0);
                if (flag.startsWith("--platform=")) {
                    stagePlatform = expandWith(in, flag.substring("--platform=".length()), globalArgs);
                }
            }
            if (words.isEmpty() || words.get(0).isBlank()) {
                unsupported(in, "FROM names no image: write FROM image:tag");
                return;
            }
            variables = new LinkedHashMap<>(globalArgs);
            env = new LinkedHashMap<>();
            ports = new LinkedHashSet<>();
            labels = new LinkedHashMap<>();
            layers = new ArrayList<>();
            workdir = null;
            user = null;
            entrypoint = null;
            cmd = null;
            fromLine = in.line();
            stageName = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
            String image = expandWith(in, words.get(0), globalArgs);
            if (image.equalsIgnoreCase("scratch")) {
                base = BuildSpec.SCRATCH;
            } else {
                String last = image.substring(image.lastIndexOf('/') + 1);
                if (!last.contains(":") && !image.contains("@")) {
                    note(in, "FROM " + image + " names no tag, so it means " + image + ":latest, which moves: the spec"
                            + " pins that, and a version of your choice is better (e.g. python:3.13-slim)");
                    image = image + ":latest";
                }
                base = image;
            }
            platform = BuildSpec.DEFAULT_PLATFORM;
            if (stagePlatform != null) {
                if (stagePlatform.matches("[a-z0-9]+/[a-z0-9_]+")) {
                    platform = stagePlatform;
                } else {
                    note(in, "--platform=" + stagePlatform + " cannot be carried over (write os/architecture, e.g."
                            + " linux/arm64): the spec builds for " + BuildSpec.DEFAULT_PLATFORM);
                }
            }
        }

        private void arg(Instruction in) {
            for (String word : words(in.arguments())) {
                int eq = word.indexOf('=');
                String name = eq < 0 ? word : word.substring(0, eq);
                String value = eq < 0 ? null : unquote(word.substring(eq + 1));
                Map<String, String> scope = base == null ? globalArgs : variables;
                if (value != null) {
                    scope.put(name, expand(in, value));
                } else if (base != null && globalArgs.containsKey(name)) {
                    variables.put(name, globalArgs.get(name));
                } else {
                    scope.remove(name);
                }
            }
        }

        private void run(Instruction in) {
            runLines.add(in.line());
            String command = in.arguments().replaceAll("--mount=\\S+\\s*", "").replaceAll("--network=\\S+\\s*", "")
                    .replaceAll("--security=\\S+\\s*", "").replaceAll("\\s+", " ").strip();
            String lower = command.toLowerCase(Locale.ROOT);
            String what;
            if (lower.contains("pip install") || lower.contains("pip3 install") || lower.contains("poetry install")
                    || lower.contains("uv pip") || lower.contains("uv sync")) {
                what = "installs Python packages";
            } else if (lower.contains("protoc")) {
                what = "generates gRPC code with protoc";
            } else if (lower.matches(".*\\b(apt-get|apt|apk|yum|dnf|microdnf)\\b.*")) {
                what = "installs system packages";
            } else if (lower.matches(".*\\b(useradd|adduser|groupadd|addgroup)\\b.*")) {
                what = "creates a user";
            } else if (lower.matches(".*\\b(chown|chmod)\\b.*")) {
                what = "changes file ownership or permissions";
            } else {
                what = "runs a command";
            }
            String excerpt = command.length() > 70 ? command.substring(0, 67) + "..." : command;
            unsupported(in, "RUN " + excerpt + " " + what + " at build time, and Jib cannot run commands: " + MOVE_TO_BASE);
        }

        private void copy(Instruction in) {
            List<String> words = in.arguments().startsWith("[") ? jsonWords(in) : new ArrayList<>(words(in.arguments()));
            if (words == null) {
                return;
            }
            List<String> exclude = new ArrayList<>();
            while (!words.isEmpty() && words.get(0).startsWith("--")) {
                String flag = words.remove(0);
                String name = flag.contains("=") ? flag.substring(2, flag.indexOf('=')) : flag.substring(2);
                String value = flag.contains("=") ? flag.substring(flag.indexOf('=') + 1) : "";
                switch (name) {
                    case "from" -> {
                        unsupported(in, in.keyword() + " --from=" + value + " copies from a build stage or another image,"
                                + " which Jib cannot build: " + MOVE_TO_BASE);
                        return;
                    }
                    case "chown" -> note(in, "--chown=" + value + " is not carried over: the files are owned by root and"
                            + " readable by everyone (644, executables 755); a service that writes there needs a volume");
                    case "chmod" -> note(in, "--chmod=" + value + " is not carried over: files get 644, executables 755");
                    case "exclude" -> exclude.add(value);
                    case "link" -> { }
                    default -> note(in, "--" + name + " is not carried over: check where the files land");
                }
            }
            if (in.heredoc()) {
                unsupported(in, in.keyword() + " of an inline here-document: write the file into the source tree and copy"
                        + " it, or " + MOVE_TO_BASE);
                return;
            }
            if (words.size() < 2) {
                unsupported(in, in.keyword() + " needs at least a source and a destination");
                return;
            }
            String destination = expand(in, words.remove(words.size() - 1));
            List<String> sources = new ArrayList<>();
            for (String word : words) {
                String source = expand(in, word);
                String lower = source.toLowerCase(Locale.ROOT);
                if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("git@")
                        || lower.startsWith("git://")) {
                    unsupported(in, "ADD " + source + " downloads at build time: download it into the source tree before"
                            + " building, or " + MOVE_TO_BASE);
                    continue;
                }
                if (in.keyword().equals("ADD") && ARCHIVES.stream().anyMatch(lower::endsWith)) {
                    unsupported(in, "ADD " + source + " unpacks an archive, and Jib copies files as they are: unpack it"
                            + " into the source tree, or " + MOVE_TO_BASE);
                    continue;
                }
                String relative = source.replaceFirst("^(\\./|/)+", "");
                if (List.of(relative.split("/")).contains("..")) {
                    unsupported(in, in.keyword() + " " + source + " reaches outside the build context, which no build"
                            + " can read");
                    continue;
                }
                sources.add(relative.isEmpty() ? "." : relative);
            }
            if (sources.isEmpty()) {
                return;
            }
            String to = destination.startsWith("/") ? destination : (workdir == null ? "/" : folder(workdir)) + destination;
            if (sources.size() > 1 && !to.endsWith("/")) {
                note(in, in.keyword() + " of several sources into " + destination + ": Docker wants a destination"
                        + " ending in '/', the spec writes " + to + "/");
                to = to + "/";
            }
            layers.add(new LayerSpec(layerName(sources.get(0)), sources, normalised(to), exclude));
        }

        private void user(Instruction in) {
            user = expand(in, in.arguments());
            String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
            if (!name.matches("\\d+")) {
                note(in, "USER " + user + " is a name: the base image must define it (a RUN useradd does not run here);"
                        + " the fleet's images run as uid 1000, and user: \"1000\" works on any base and satisfies"
                        + " runAsNonRoot");
            }
        }

        private void expose(Instruction in) {
            for (String word : words(expand(in, in.arguments()))) {
                Matcher range = PORT_RANGE.matcher(word);
                if (range.matches()) {
                    int from = Integer.parseInt(range.group(1));
                    int to = Integer.parseInt(range.group(2));
                    for (int port = from; port <= to && port - from < 1000; port++) {
                        ports.add(port + (range.group(3) == null ? "" : range.group(3)));
                    }
                } else if (word.matches("\\d{1,5}(/(tcp|udp))?")) {
                    ports.add(word.endsWith("/tcp") ? word.substring(0, word.length() - 4) : word);
                } else {
                    note(in, "EXPOSE " + word + " is not a port: left out");
                }
            }
        }

        /** Exec form (a JSON list) as written; shell form runs through /bin/sh -c, as Docker does. */
        private List<String> command(Instruction in) {
            String arguments = in.arguments();
            if (arguments.startsWith("[")) {
                try {
                    JsonNode list = JsonMapper.shared().readTree(arguments);
                    if (list.isArray()) {
                        List<String> words = new ArrayList<>();
                        list.forEach(word -> words.add(word.asString()));
                        return words;
                    }
                } catch (JacksonException e) {
                    // Docker takes a list that is not valid JSON as shell form; so do we, below.
                }
            }
            note(in, in.keyword() + " in shell form runs through /bin/sh -c, so the base image needs a shell; the exec"
                    + " form, " + in.keyword() + " [\"python\", \"server.py\"], does without");
            return List.of("/bin/sh", "-c", arguments);
        }

        /** KEY=value pairs (quotes allowed), or the old {@code ENV KEY value with spaces}. */
        private Map<String, String> pairs(Instruction in, boolean legacyForm) {
            Map<String, String> pairs = new LinkedHashMap<>();
            List<String> words = words(in.arguments());
            if (words.isEmpty()) {
                note(in, in.keyword() + " without a value: left out");
                return pairs;
            }
            if (legacyForm && !words.get(0).contains("=")) {
                String rest = in.arguments().substring(words.get(0).length()).strip();
                pairs.put(words.get(0), expand(in, rest));
                return pairs;
            }
            for (String word : words) {
                int eq = word.indexOf('=');
                if (eq <= 0) {
                    note(in, in.keyword() + " " + word + " is not NAME=value: left out");
                    continue;
                }
                pairs.put(unquote(word.substring(0, eq)), expand(in, unquote(word.substring(eq + 1))));
            }
            return pairs;
        }

        private List<String> jsonWords(Instruction in) {
            try {
                JsonNode list = JsonMapper.shared().readTree(in.arguments());
                List<String> words = new ArrayList<>();
                list.forEach(word -> words.add(word.asString()));
                return words;
            } catch (JacksonException e) {
                unsupported(in, in.keyword() + " " + in.arguments() + " is neither a JSON list nor plain paths");
                return null;
            }
        }

        /** Words split at blanks, quotes kept with their word (their content may hold blanks). */
        private List<String> words(String text) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            char quote = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == escape && i + 1 < text.length()) {
                    word.append(c).append(text.charAt(++i));
                } else if (quote != 0) {
                    word.append(c);
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                    word.append(c);
                } else if (Character.isWhitespace(c)) {
                    if (word.length() > 0) {
                        words.add(word.toString());
                        word.setLength(0);
                    }
                } else {
                    word.append(c);
                }
            }
            if (word.length() > 0) {
                words.add(word.toString());
            }
            return words;
        }

        /** Removes quotes; in double quotes and bare words the escape character keeps the next one literally. */
        private String unquote(String text) {
            StringBuilder out = new StringBuilder();
            char quote = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote != '\'' && c == escape && i + 1 < text.length()) {
                    char next = text.charAt(++i);
                    // A kept "\$" stays escaped so that expansion leaves it alone.
                    out.append(next == '$' ? "\\$" : String.valueOf(next));
                } else if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (c == quote) {
                    quote = 0;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        private String expand(Instruction in, String text) {
            return expandWith(in, text, variables);
        }

        /** $NAME, ${NAME}, ${NAME:-default}, ${NAME:+alternative}, with what ARG and ENV set so far. */
        private String expandWith(Instruction in, String text, Map<String, String> values) {
            StringBuilder out = new StringBuilder();
            Matcher m = VARIABLE.matcher(text);
            int at = 0;
            while (m.find()) {
                if (m.start() > 0 && text.charAt(m.start() - 1) == '\\') {
                    out.append(text, at, m.start() - 1).append(m.group());
                    at = m.end();
                    continue;
                }
                String name = m.group(1) != null ? m.group(1) : m.group(4);
                String value = values.get(name);
                String replacement;
                if ("-".equals(m.group(2))) {
                    replacement = value == null || value.isEmpty() ? m.group(3) : value;
                } else if ("+".equals(m.group(2))) {
                    replacement = value == null || value.isEmpty() ? "" : m.group(3);
                } else {
                    if (value == null) {
                        note(in, "$" + name + " is not set here (an ARG without a default, or a build argument): it"
                                + " reads as empty; write the value in the spec");
                    }
                    replacement = value == null ? "" : value;
                }
                out.append(text, at, m.start()).append(replacement);
                at = m.end();
            }
            return out.append(text.substring(at)).toString();
        }

        private String absolute(String path) {
            String resolved = path.startsWith("/") ? path : (workdir == null ? "/" : folder(workdir)) + path;
            return normalised(resolved);
        }

        /** The spec's name for a layer: the last part of its first source, unique within the stage. */
        private String layerName(String source) {
            String[] parts = source.replaceAll("/+$", "").split("/");
            String last = parts[parts.length - 1];
            if ((last.contains("*") || last.contains("?")) && parts.length > 1) {
                last = parts[parts.length - 2] + "-files";
            }
            String name = last.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
            if (name.isEmpty() || name.equals(".")) {
                name = "context";
            }
            String unique = name;
            for (int n = 2; taken(unique); n++) {
                unique = name + "-" + n;
            }
            return unique;
        }

        private boolean taken(String name) {
            return layers.stream().anyMatch(l -> l.name().equals(name));
        }

        private void unsupported(Instruction in, String message) {
            findings.add(new Finding(in.line(), in.keyword(), Finding.Kind.UNSUPPORTED, message));
        }

        private void note(Instruction in, String message) {
            findings.add(new Finding(in.line(), in.keyword(), Finding.Kind.NOTE, message));
        }

        private static String folder(String path) {
            return path.endsWith("/") ? path : path + "/";
        }

        /** Collapses "." and ".." and repeated slashes, keeping a trailing slash. */
        private static String normalised(String path) {
            boolean trailing = path.endsWith("/") && path.length() > 1;
            List<String> parts = new ArrayList<>();
            for (String part : path.split("/")) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    if (!parts.isEmpty()) {
                        parts.remove(parts.size() - 1);
                    }
                } else {
                    parts.add(part);
                }
            }
            String joined = "/" + String.join("/", parts);
            return trailing && !joined.equals("/") ? joined + "/" : joined;
        }

        private static String stripEnd(String line) {
            return line.stripTrailing();
        }

        private static int firstSpace(String text) {
            for (int i = 0; i < text.length(); i++) {
                if (Character.isWhitespace(text.charAt(i))) {
                    return i;
                }
            }
            return -1;
        }

        private static String join(List<Integer> lines) {
            if (lines.size() == 1) {
                return String.valueOf(lines.get(0));
            }
            List<String> texts = lines.stream().map(String::valueOf).toList();
            return String.join(", ", texts.subList(0, texts.size() - 1)) + " and " + texts.get(texts.size() - 1);
        }
    }
}
