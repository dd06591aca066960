package fleet.console.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Finds the streams a Kubernetes manifest's jobs declare inline, whether as {@code nats stream
 * add} commands of a shell script or as name/subjects pairs of an inline Python or JSON script.
 * Reads reference manifests in tests only; the console itself reads the server's streams.
 */
final class DeclaredStreams {

    private static final Pattern CLI_ADD = Pattern.compile("nats\\s+stream\\s+add\\s+([^\\s\\\\]+)");
    private static final Pattern CLI_SUBJECTS = Pattern.compile("--subjects[=\\s]+[\"']?([^\"'\\s\\\\]+)");
    private static final Pattern NAME_THEN_SUBJECTS = Pattern.compile(
            "[\"']?name[\"']?\\s*[:=]\\s*[\"']([A-Za-z0-9_-]+)[\"']\\s*,\\s*[\"']?subjects[\"']?\\s*[:=]\\s*\\[([^\\]]*)\\]");
    private static final Pattern QUOTED = Pattern.compile("[\"']([^\"']+)[\"']");

    private DeclaredStreams() {
    }

    /** Stream name to subjects, in the order the manifest declares them. */
    static Map<String, List<String>> in(String manifests) {
        Map<String, List<String>> streams = new LinkedHashMap<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(manifests)) {
            List<String> texts = new ArrayList<>();
            collectTexts(document, texts);
            texts.forEach(text -> fromCli(text, streams));
            texts.forEach(text -> fromScript(text, streams));
        }
        return streams;
    }

    private static void collectTexts(Object node, List<String> texts) {
        if (node instanceof String text) {
            texts.add(text);
        } else if (node instanceof Map<?, ?> map) {
            map.values().forEach(value -> collectTexts(value, texts));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectTexts(item, texts));
        }
    }

    private static void fromCli(String script, Map<String, List<String>> streams) {
        Matcher add = CLI_ADD.matcher(script);
        List<int[]> commands = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (add.find()) {
            commands.add(new int[] {add.start(), add.end()});
            names.add(add.group(1));
        }
        for (int i = 0; i < commands.size(); i++) {
            int end = i + 1 < commands.size() ? commands.get(i + 1)[0] : script.length();
            Matcher subjects = CLI_SUBJECTS.matcher(script.substring(commands.get(i)[1], end));
            if (subjects.find()) {
                streams.put(names.get(i), List.of(subjects.group(1).split(",")));
            }
        }
    }

    private static void fromScript(String script, Map<String, List<String>> streams) {
        Matcher declaration = NAME_THEN_SUBJECTS.matcher(script);
        while (declaration.find()) {
            List<String> subjects = new ArrayList<>();
            Matcher quoted = QUOTED.matcher(declaration.group(2));
            while (quoted.find()) {
                subjects.add(quoted.group(1));
            }
            streams.put(declaration.group(1), subjects);
        }
    }
}
