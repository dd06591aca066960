package fleet.console.cluster;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kubeconfig file as the operator has it, read and checked before any client is built, so that a
 * broken file is reported with its path and line instead of as a stack trace from deep in a client.
 */
public final class KubeconfigFile {

    private final Path path;
    private final String contents;
    private final io.fabric8.kubernetes.api.model.Config parsed;

    private KubeconfigFile(Path path, String contents, io.fabric8.kubernetes.api.model.Config parsed) {
        this.path = path;
        this.contents = contents;
        this.parsed = parsed;
    }

    /**
     * The file kubectl would use: the first entry of {@code KUBECONFIG}, else {@code ~/.kube/config}.
     */
    public static Path defaultPath(Map<String, String> env, Path home) {
        String fromEnv = env.get("KUBECONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            String first = fromEnv.split(java.io.File.pathSeparator)[0];
            if (!first.isBlank()) {
                return Path.of(first);
            }
        }
        return home.resolve(".kube").resolve("config");
    }

    /** Reads and checks a kubeconfig; never returns a half-valid file. */
    public static KubeconfigFile read(Path path) throws ConnectionProblem {
        if (!Files.isRegularFile(path)) {
            throw new ConnectionProblem(ConnectionProblem.Kind.KUBECONFIG_MISSING,
                    "No kubeconfig at " + path + ".",
                    "Point the console at one with --kubeconfig FILE (or KUBECONFIG), or use the sandbox.");
        }
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new ConnectionProblem(ConnectionProblem.Kind.KUBECONFIG_MISSING,
                    "The kubeconfig " + path + " cannot be read: " + e.getMessage(),
                    "Check the file's permissions, or choose another with --kubeconfig FILE.", e);
        }
        Object tree;
        try {
            tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            throw new ConnectionProblem(ConnectionProblem.Kind.KUBECONFIG_MALFORMED,
                    "The kubeconfig " + path + " is not valid YAML" + where + ": " + e.getProblem() + ".",
                    "Fix that line (kubectl config view shows what kubectl makes of it), or choose another file with --kubeconfig FILE.", e);
        } catch (YAMLException e) {
            throw new ConnectionProblem(ConnectionProblem.Kind.KUBECONFIG_MALFORMED,
                    "The kubeconfig " + path + " is not valid YAML: " + e.getMessage(),
                    "Fix the file, or choose another with --kubeconfig FILE.", e);
        }
        if (!(tree instanceof Map<?, ?> map) || !map.containsKey("clusters") && !map.containsKey("contexts")) {
            throw new ConnectionProblem(ConnectionProblem.Kind.KUBECONFIG_MALFORMED,
                    "The file " + path + " is YAML but not a kubeconfig: it has no clusters and no contexts.",
                    "Choose the kubeconfig your kubectl uses (usually ~/.kube/config) with --kubeconfig FILE.");
        }
        io.fabric8.kubernetes.api.model.Config parsed;
        try {
            parsed = KubeConfigUtils.parseConfigFromString(text);
        } catch (RuntimeException e) {
            throw new ConnectionProblem(ConnectionProblem.Kind.KUBECONFIG_MALFORMED,
                    "The kubeconfig " + path + " does not have the kubeconfig structure: " + rootMessage(e),
                    "Compare it with `kubectl config view`, fix it, or choose another with --kubeconfig FILE.", e);
        }
        return new KubeconfigFile(path, text, parsed);
    }

    public Path path() {
        return path;
    }

    public List<String> contexts() {
        return parsed.getContexts() == null ? List.of()
                : parsed.getContexts().stream().map(NamedContext::getName).toList();
    }

    public Optional<String> currentContext() {
        String current = parsed.getCurrentContext();
        return current == null || current.isBlank() ? Optional.empty() : Optional.of(current);
    }

    /** The namespace a context names, if any. */
    public Optional<String> namespaceOf(String context) {
        return parsed.getContexts() == null ? Optional.empty()
                : parsed.getContexts().stream()
                        .filter(c -> c.getName().equals(context) && c.getContext() != null)
                        .map(c -> c.getContext().getNamespace())
                        .filter(ns -> ns != null && !ns.isBlank())
                        .findFirst();
    }

    /** Client configuration for a context (null: the file's current context). */
    public Config configFor(String context) throws ConnectionProblem {
        String chosen = context != null ? context : currentContext().orElse(null);
        if (chosen == null) {
            throw new ConnectionProblem(ConnectionProblem.Kind.CONTEXT_UNKNOWN,
                    "The kubeconfig " + path + " has no current context.",
                    "Choose one with --context NAME; the file has: " + String.join(", ", contexts()) + ".");
        }
        if (!contexts().contains(chosen)) {
            throw new ConnectionProblem(ConnectionProblem.Kind.CONTEXT_UNKNOWN,
                    "There is no context '" + chosen + "' in " + path + ".",
                    contexts().isEmpty() ? "The file defines no contexts; add one with kubectl config set-context."
                            : "Choose one of: " + String.join(", ", contexts()) + ".");
        }
        try {
            return Config.fromKubeconfig(chosen, contents, path.toString());
        } catch (RuntimeException e) {
            throw new ConnectionProblem(ConnectionProblem.Kind.KUBECONFIG_MALFORMED,
                    "Context '" + chosen + "' in " + path + " cannot be used: " + rootMessage(e),
                    "Check its cluster and user entries (kubectl config view --context " + chosen + ").", e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
